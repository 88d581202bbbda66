package io.billing.stripe.webhook;

/**
 * Why a webhook signature was refused. The {@link #code()} is what the sender sees in the error body,
 * so it names the problem without revealing anything about the configured secrets.
 */
public enum SignatureRejection {
    MISSING_SIGNATURE("missing_signature", "The Stripe-Signature header is missing."),
    MALFORMED_SIGNATURE("malformed_signature",
            "The Stripe-Signature header must carry a timestamp t=<unix seconds> and at least one v1 signature."),
    TIMESTAMP_TOO_OLD("timestamp_too_old", "The signature timestamp is older than the allowed tolerance."),
    TIMESTAMP_IN_FUTURE("timestamp_in_future", "The signature timestamp lies further in the future than the allowed tolerance."),
    NO_MATCHING_SECRET("signature_mismatch", "No v1 signature matches any configured webhook secret."),
    NOT_CONFIGURED("webhook_not_configured", "No webhook secret is configured on this receiver.");

    private final String code;
    private final String message;

    SignatureRejection(String code, String message) {
        this.code = code;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }
}
