package io.billing.stripe.webhook;

/** Thrown when a webhook request does not carry a valid signature; {@link #reason()} says which check failed. */
public class SignatureRejectedException extends Exception {

    private final SignatureRejection reason;

    public SignatureRejectedException(SignatureRejection reason) {
        super(reason.message());
        this.reason = reason;
    }

    public SignatureRejection reason() {
        return reason;
    }
}
