package io.billing.stripe.webhook;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebhookSignatureVerifierTest {

    private static final String CURRENT = "whsec_current_0123456789";
    private static final String PREVIOUS = "whsec_previous_0123456789";
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final long T = NOW.getEpochSecond();

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final WebhookSignatureVerifier verifier =
            new WebhookSignatureVerifier(List.of(CURRENT, " " + PREVIOUS + " "), Duration.ofSeconds(300), clock);
    private final byte[] body = StripeFixtures.get("acme/06_invoice.payment_succeeded.json").body();

    private SignatureRejection rejection(byte[] payload, String header) {
        return assertThrows(SignatureRejectedException.class, () -> verifier.verify(payload, header)).reason();
    }

    @Test
    void acceptsABodySignedWithAnyConfiguredSecret() {
        assertDoesNotThrow(() -> verifier.verify(body, StripeSigner.header(body, T, CURRENT)));
        assertDoesNotThrow(() -> verifier.verify(body, StripeSigner.header(body, T, PREVIOUS)));
    }

    @Test
    void acceptsWhenAnyOfSeveralV1EntriesMatches() {
        String header = "t=" + T + ",v1=" + StripeSigner.v1(body, "whsec_other", T) + ",v1=" + StripeSigner.v1(body, PREVIOUS, T)
                + ",v0=" + StripeSigner.v1(body, "whsec_v0", T);
        assertDoesNotThrow(() -> verifier.verify(body, header));
    }

    @Test
    void refusesWhenNoSecretMatches() {
        assertEquals(SignatureRejection.NO_MATCHING_SECRET, rejection(body, StripeSigner.header(body, T, "whsec_unknown")));
    }

    @Test
    void refusesABodyChangedByOneByte() {
        byte[] tampered = body.clone();
        tampered[tampered.length - 2] ^= 1;
        assertEquals(SignatureRejection.NO_MATCHING_SECRET, rejection(tampered, StripeSigner.header(body, T, CURRENT)));
    }

    @Test
    void refusesAV0OnlyHeader() {
        String header = "t=" + T + ",v0=" + StripeSigner.v1(body, CURRENT, T);
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE, rejection(body, header));
    }

    @Test
    void toleranceAppliesInBothDirections() {
        assertDoesNotThrow(() -> verifier.verify(body, StripeSigner.header(body, T - 300, CURRENT)));
        assertDoesNotThrow(() -> verifier.verify(body, StripeSigner.header(body, T + 300, CURRENT)));
        assertEquals(SignatureRejection.TIMESTAMP_TOO_OLD, rejection(body, StripeSigner.header(body, T - 301, CURRENT)));
        assertEquals(SignatureRejection.TIMESTAMP_IN_FUTURE, rejection(body, StripeSigner.header(body, T + 301, CURRENT)));
    }

    @Test
    void theTimestampIsPartOfWhatIsSigned() {
        String signedEarlier = StripeSigner.v1(body, CURRENT, T - 10);
        assertEquals(SignatureRejection.NO_MATCHING_SECRET, rejection(body, "t=" + T + ",v1=" + signedEarlier));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "t=abc,v1=00", "v1=" + "ab", "t=1700000000", "t=1,t=2,v1=x", "t=,v1=", "=,="})
    void refusesMalformedHeaders(String header) {
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE, rejection(body, header));
    }

    @Test
    void refusesAMissingHeader() {
        assertEquals(SignatureRejection.MISSING_SIGNATURE, rejection(body, null));
        assertEquals(SignatureRejection.MISSING_SIGNATURE, rejection(body, "  "));
    }

    @Test
    void refusesEverythingWhenNoSecretIsConfigured() {
        WebhookSignatureVerifier unconfigured = new WebhookSignatureVerifier(List.of("", " "), Duration.ofSeconds(300), clock);
        SignatureRejectedException e = assertThrows(SignatureRejectedException.class,
                () -> unconfigured.verify(body, StripeSigner.header(body, T, CURRENT)));
        assertEquals(SignatureRejection.NOT_CONFIGURED, e.reason());
        assertEquals(0, unconfigured.secretCount());
    }

    @Test
    void signaturesAreComparedAsStripeWritesThemInLowercaseHex() {
        // stripe-java compares the hex text exactly; Stripe only ever sends lowercase.
        String header = "t=" + T + ",v1=" + StripeSigner.v1(body, CURRENT, T).toUpperCase();
        assertEquals(SignatureRejection.NO_MATCHING_SECRET, rejection(body, header));
    }

    @Test
    void theSignatureCoversTheRawBytesEvenWhenTheyAreNotUtf8() {
        // Stripe sends UTF-8; whether a body is valid UTF-8 is the parser's question (it refuses it), not the
        // signature's: the HMAC is over the bytes as they arrived.
        byte[] latin1 = "{\"id\":\"evt_1\",\"name\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertDoesNotThrow(() -> verifier.verify(latin1, StripeSigner.header(latin1, T, CURRENT)));
        byte[] utf8 = "{\"id\":\"evt_1\",\"name\":\"Caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(SignatureRejection.NO_MATCHING_SECRET, rejection(utf8, StripeSigner.header(latin1, T, CURRENT)));
    }

    @Test
    void aV1EntryThatCannotBeAnHmacSha256IsMalformedNotAMismatch() {
        String right = StripeSigner.v1(body, CURRENT, T);
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE, rejection(body, "t=" + T + ",v1=" + right.substring(1)),
                "63 hex digits");
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE, rejection(body, "t=" + T + ",v1=" + right + "0"),
                "65 hex digits");
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE,
                rejection(body, "t=" + T + ",v1=" + right.substring(1) + "g"), "64 characters, one not hex");
    }

    @Test
    void anEntryWithoutANameIsMalformed() {
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE,
                rejection(body, StripeSigner.header(body, T, CURRENT) + ",=" + StripeSigner.v1(body, CURRENT, T)));
    }

    @Test
    void aHeaderIsReadUpTo8KiB() {
        String signed = StripeSigner.header(body, T, CURRENT) + ",v0=";
        String longest = signed + "0".repeat(8 * 1024 - signed.length());
        assertDoesNotThrow(() -> verifier.verify(body, longest), "other schemes may fill it");
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE, rejection(body, longest + "0"));
    }

    @Test
    void aTimestampIsReadUpTo12Digits() throws SignatureRejectedException {
        String v1 = StripeSigner.v1(body, CURRENT, T);
        assertEquals(999_999_999_999L, SignatureHeader.parse("t=999999999999,v1=" + v1).timestamp());
        assertEquals(SignatureRejection.TIMESTAMP_IN_FUTURE, rejection(body, "t=999999999999,v1=" + v1),
                "read, then refused as too far ahead");
        assertEquals(SignatureRejection.MALFORMED_SIGNATURE, rejection(body, "t=1000000000000,v1=" + v1));
    }

    @Test
    void signingLikeStripeGivesWhatTheTestsSignerGivesAndTheVerifierAccepts() {
        String payload = new String(body, StandardCharsets.UTF_8);
        String header = SignatureHeader.sign(CURRENT, T, payload);
        assertEquals(StripeSigner.header(body, T, CURRENT), header);
        assertDoesNotThrow(() -> verifier.verify(body, header));
    }

    @Test
    void countsTheSecretsItWasGivenLeavingOutBlankOnes() {
        assertEquals(2, verifier.secretCount());
        assertEquals(1, new WebhookSignatureVerifier(List.of(" ", CURRENT, ""), Duration.ofSeconds(300), clock)
                .secretCount());
    }

    /**
     * The independent check: stripe-java's own verification (time check off, as the timestamp is checked above)
     * must accept and refuse exactly what this verifier does, for every fixture and for headers signed right,
     * with another secret, over another timestamp, over a changed body, with several entries and in uppercase.
     */
    @Test
    void acceptsAndRefusesExactlyWhatStripeJavaDoes() {
        int accepted = 0;
        int refused = 0;
        for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
            byte[] sent = fixture.body();
            byte[] changed = sent.clone();
            changed[sent.length / 2] ^= 0x01;
            String right = StripeSigner.v1(sent, PREVIOUS, T);
            List<String> headers = List.of(
                    "t=" + T + ",v1=" + right,
                    "t=" + T + ",v1=" + StripeSigner.v1(sent, "whsec_someone_else", T),
                    "t=" + T + ",v1=" + StripeSigner.v1(sent, CURRENT, T - 1),
                    "t=" + T + ",v1=" + StripeSigner.v1(changed, CURRENT, T),
                    "t=" + T + ",v1=" + StripeSigner.v1(sent, "whsec_someone_else", T) + ",v1=" + right,
                    "t=" + T + ",v1=" + right.toUpperCase(java.util.Locale.ROOT),
                    "t=" + T + ",v0=" + right + ",v1=" + StripeSigner.v1(sent, CURRENT, T));
            for (String header : headers) {
                boolean ours = accepts(sent, header);
                assertEquals(stripeJavaAccepts(sent, header), ours, fixture.name() + " with " + header);
                if (ours) {
                    accepted++;
                } else {
                    refused++;
                }
            }
        }
        assertEquals(StripeFixtures.all().size() * 3, accepted, "right, several entries, v0 beside v1");
        assertEquals(StripeFixtures.all().size() * 4, refused);
    }

    private boolean accepts(byte[] body, String header) {
        try {
            verifier.verify(body, header);
            return true;
        } catch (SignatureRejectedException e) {
            return false;
        }
    }

    private static boolean stripeJavaAccepts(byte[] body, String header) {
        String payload = new String(body, StandardCharsets.UTF_8);
        for (String secret : List.of(CURRENT, PREVIOUS)) {
            try {
                com.stripe.net.Webhook.Signature.verifyHeader(payload, header, secret, 0);
                return true;
            } catch (com.stripe.exception.SignatureVerificationException e) {
                // the next secret
            }
        }
        return false;
    }
}
