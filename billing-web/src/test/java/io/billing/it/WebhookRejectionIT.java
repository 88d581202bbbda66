package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.StripeSigner;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.billing.it.WebhookClient.JSON;
import static io.billing.it.WebhookClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of bad delivery gets its own clear 4xx with a JSON error code, and nothing of it is stored.
 * Every test posts an event under a fresh id, so "nothing stored" is checked for exactly that id.
 */
@ExtendWith(ArquillianExtension.class)
class WebhookRejectionIT {

    private final WebhookClient webhook = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    private static Fixture freshEvent() {
        return StripeFixtures.get("acme/05_invoice.paid.subscription_create.json")
                .withFreshEventId("evt_reject_");
    }

    private void assertRefused(WebhookClient.Answer answer, int status, String code, Fixture event) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(code, answer.error(), answer.body());
        assertFalse(answer.json().getString("message").isBlank());
        assertTrue(InboxRows.find(event.eventId()).isEmpty(), "nothing stored for " + event.eventId());
    }

    @Test
    void missingSignatureHeader() {
        Fixture event = freshEvent();
        assertRefused(webhook.post(event.body(), JSON, null), 400, "missing_signature", event);
    }

    @Test
    void malformedSignatureHeader() {
        Fixture event = freshEvent();
        assertRefused(webhook.post(event.body(), JSON, "v1=abc,garbage"), 400, "malformed_signature", event);
        assertRefused(webhook.post(event.body(), JSON, "t=" + now()), 400, "malformed_signature", event);
    }

    @Test
    void noSecretMatches() {
        Fixture event = freshEvent();
        String header = StripeSigner.header(event.body(), now(), "whsec_not_ours");
        assertRefused(webhook.post(event.body(), JSON, header), 400, "signature_mismatch", event);
    }

    @Test
    void bodyChangedAfterSigningDoesNotMatch() {
        Fixture event = freshEvent();
        String header = StripeSigner.header(event.body(), now(), environment.currentSecret);
        byte[] tampered = new String(event.body(), StandardCharsets.UTF_8).replace("\"amount_paid\": 2900", "\"amount_paid\": 1")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(Arrays.equals(tampered, event.body()), "the fixture must contain the amount we tamper with");
        assertRefused(webhook.post(tampered, JSON, header), 400, "signature_mismatch", event);
    }

    @Test
    void staleTimestamp() {
        Fixture event = freshEvent();
        String header = StripeSigner.header(event.body(), now() - 301, environment.currentSecret);
        assertRefused(webhook.post(event.body(), JSON, header), 400, "timestamp_too_old", event);
    }

    @Test
    void futureTimestamp() {
        Fixture event = freshEvent();
        String header = StripeSigner.header(event.body(), now() + 3600, environment.currentSecret);
        assertRefused(webhook.post(event.body(), JSON, header), 400, "timestamp_in_future", event);
    }

    @Test
    void bodyThatIsNotAJsonObject() {
        Fixture event = freshEvent();
        for (String body : new String[]{"[1,2,3]", "not json at all", "{\"id\": \"" + event.eventId() + "\", "}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String header = StripeSigner.header(bytes, now(), environment.currentSecret);
            assertRefused(webhook.post(bytes, JSON, header), 400, "invalid_json", event);
        }
    }

    @Test
    void eventWithoutIdOrType() {
        Fixture event = freshEvent();
        String text = new String(event.body(), StandardCharsets.UTF_8);
        byte[] noId = text.replaceFirst("\"id\": \"" + event.eventId() + "\",", "").getBytes(StandardCharsets.UTF_8);
        byte[] noType = text.replaceFirst("\"type\": \"invoice.paid\"", "\"kind\": \"invoice.paid\"").getBytes(StandardCharsets.UTF_8);
        assertRefused(webhook.post(noId, JSON, StripeSigner.header(noId, now(), environment.currentSecret)),
                400, "missing_field", event);
        assertRefused(webhook.post(noType, JSON, StripeSigner.header(noType, now(), environment.currentSecret)),
                400, "missing_field", event);
    }

    @Test
    void bodyOverOneMebibyte() {
        Fixture event = freshEvent();
        String text = new String(event.body(), StandardCharsets.UTF_8);
        // A valid event padded past 1 MiB with a metadata string, correctly signed: refused for its size alone.
        byte[] huge = text.replaceFirst("\"object\": \"event\",", "\"object\": \"event\", \"padding\": \""
                + "x".repeat(1024 * 1024) + "\",").getBytes(StandardCharsets.UTF_8);
        String header = StripeSigner.header(huge, now(), environment.currentSecret);
        assertRefused(webhook.post(huge, JSON, header), 413, "payload_too_large", event);
    }

    @Test
    void wrongContentType() {
        Fixture event = freshEvent();
        String header = StripeSigner.header(event.body(), now(), environment.currentSecret);
        assertRefused(webhook.post(event.body(), "text/plain", header), 415, "unsupported_media_type", event);
        assertRefused(webhook.post(event.body(), null, header), 415, "unsupported_media_type", event);
    }

    @Test
    void refusedSignaturesAreCounted() {
        double before = RejectionMetrics.count(webhook, "signature_mismatch");
        Fixture event = freshEvent();
        webhook.post(event.body(), JSON, StripeSigner.header(event.body(), now(), "whsec_wrong"));
        webhook.post(event.body(), JSON, StripeSigner.header(event.body(), now(), "whsec_wrong"));
        assertEquals(before + 2, RejectionMetrics.count(webhook, "signature_mismatch"));
    }

    /**
     * Signed bodies carrying values no database column stores (a {@code created} of ±10^15 s, a NUL in the event
     * id), sent in the middle of a concurrent burst of good deliveries: each gets its own 400 naming the field,
     * nothing of it is stored, and every neighbour is stored. The same on PostgreSQL and on H2.
     */
    @Test
    void unstorableValuesAreRefusedAloneInTheMiddleOfABurst() throws Exception {
        List<Fixture> good = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            good.add(freshEvent());
        }
        Fixture farFuture = freshEvent().createdAt(1_000_000_000_000_000L);
        Fixture farPast = freshEvent().createdAt(-1_000_000_000_000_000L);
        Fixture nulInId = freshEvent();
        String quotedId = "\"" + nulInId.eventId() + "\"";
        byte[] nulBody = new String(nulInId.body(), StandardCharsets.UTF_8).replace(quotedId,
                "\"" + nulInId.eventId() + "\\u0000\"").getBytes(StandardCharsets.UTF_8);
        assertTrue(new String(nulBody, StandardCharsets.UTF_8).contains("\\u0000"), "a NUL, escaped in the JSON");

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<WebhookClient.Answer>> goodAnswers = new ArrayList<>();
            for (int i = 0; i < good.size(); i++) {
                Fixture event = good.get(i);
                goodAnswers.add(pool.submit(() -> webhook.postSigned(event.body())));
                if (i == 20) {
                    Future<WebhookClient.Answer> future = pool.submit(() -> webhook.postSigned(farFuture.body()));
                    Future<WebhookClient.Answer> past = pool.submit(() -> webhook.postSigned(farPast.body()));
                    Future<WebhookClient.Answer> nul = pool.submit(() -> webhook.postSigned(nulBody));
                    assertRefusedNaming(future.get(), "'created'", farFuture);
                    assertRefusedNaming(past.get(), "'created'", farPast);
                    assertRefusedNaming(nul.get(), "'id'", nulInId);
                }
            }
            for (int i = 0; i < good.size(); i++) {
                assertEquals(200, goodAnswers.get(i).get().status(), goodAnswers.get(i).get().body());
                assertFalse(InboxRows.find(good.get(i).eventId()).isEmpty(), "stored: " + good.get(i).eventId());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertRefusedNaming(WebhookClient.Answer answer, String field, Fixture event) {
        assertRefused(answer, 400, "invalid_field", event);
        assertTrue(answer.json().getString("message").contains(field), answer.body());
    }
}
