package io.billing.stripe.webhook;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Checks a webhook request's {@code Stripe-Signature} against every configured endpoint secret.
 *
 * <p>The header is parsed here so that each kind of failure gets its own error code, and the timestamp
 * is checked here against the injected clock in both directions. The HMAC itself is left to stripe-java
 * ({@link Webhook.Signature#verifyHeader}, with its own time check switched off by tolerance 0), so the
 * tests, which sign with their own HMAC code, check stripe-java and stripe-java checks the tests.
 *
 * <p>Immutable and thread-safe: one instance serves all requests.
 */
public final class WebhookSignatureVerifier {

    private final List<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public WebhookSignatureVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.secrets = secrets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive, was " + tolerance);
        }
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** Whether at least one secret is configured; without one every request is refused. */
    public boolean isConfigured() {
        return !secrets.isEmpty();
    }

    /** How many secrets are configured (never the secrets themselves: they must not reach a log). */
    public int secretCount() {
        return secrets.size();
    }

    /**
     * Verifies the signature header over the raw body.
     *
     * @throws SignatureRejectedException naming the first check that failed
     */
    public void verify(byte[] rawBody, String signatureHeader) throws SignatureRejectedException {
        if (!isConfigured()) {
            throw new SignatureRejectedException(SignatureRejection.NOT_CONFIGURED);
        }
        SignatureHeader header = SignatureHeader.parse(signatureHeader);
        long now = clock.instant().getEpochSecond();
        long age = now - header.timestamp();
        if (age > tolerance.toSeconds()) {
            throw new SignatureRejectedException(SignatureRejection.TIMESTAMP_TOO_OLD);
        }
        if (-age > tolerance.toSeconds()) {
            throw new SignatureRejectedException(SignatureRejection.TIMESTAMP_IN_FUTURE);
        }
        // Stripe signs the UTF-8 text it sends; a body that is not valid UTF-8 cannot survive this
        // round trip unchanged and then simply fails to match, which is the right answer for it.
        String payload = new String(rawBody, StandardCharsets.UTF_8);
        for (String secret : secrets) {
            try {
                Webhook.Signature.verifyHeader(payload, signatureHeader, secret, 0);
                return;
            } catch (SignatureVerificationException mismatch) {
                // try the next secret
            }
        }
        throw new SignatureRejectedException(SignatureRejection.NO_MATCHING_SECRET);
    }
}
