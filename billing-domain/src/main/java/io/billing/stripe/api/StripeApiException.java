package io.billing.stripe.api;

/**
 * A Stripe API call that did not succeed, sorted into what the caller can do about it. The message is
 * Stripe's (or the connection's) and never holds the API key.
 */
public class StripeApiException extends Exception {

    /** What kind of failure, and so whether trying again can help. */
    public enum Kind {
        /** The card was declined or cannot be used: the customer must act, a retry changes nothing. */
        CARD_ERROR(false),
        /** The request was wrong (unknown price, bad parameter): fix the request. */
        INVALID_REQUEST(false),
        /** The object does not exist (in this mode, on this account). */
        NOT_FOUND(false),
        /** The API key is missing, wrong or lacks the permission. */
        AUTHENTICATION(false),
        /** Too many requests: try again later with the same idempotency key. */
        RATE_LIMITED(true),
        /** Stripe failed (5xx) even after the client's own retries: try again later with the same key. */
        API_ERROR(true),
        /** Stripe could not be reached or did not answer in time. */
        CONNECTION(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final Integer httpStatus;
    private final String code;
    private final String requestId;

    public StripeApiException(Kind kind, Integer httpStatus, String code, String requestId, String message,
                              Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.code = code;
        this.requestId = requestId;
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** The status Stripe answered with; null when it did not answer. */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** Stripe's error code ({@code card_declined}, {@code resource_missing} …), when it gave one. */
    public String code() {
        return code;
    }

    /** Stripe's request id, for Stripe's support. */
    public String requestId() {
        return requestId;
    }
}
