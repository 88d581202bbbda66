package io.billing.outbox;

/** Delivers outbox messages to one destination (a receiver outside this process). */
public interface OutboxTransport {

    /**
     * The result of one delivery attempt.
     *
     * @param delivered  the receiver accepted the message
     * @param permanent  it refused the message in a way that retrying will not change
     * @param httpStatus the receiver's status code, if it answered
     * @param detail     what went wrong, for the attempt record
     */
    record Result(boolean delivered, boolean permanent, Integer httpStatus, String detail) {
        public static Result delivered(int httpStatus) {
            return new Result(true, false, httpStatus, null);
        }

        /** An HTTP receiver's answer: 2xx delivered; 408, 429 and 5xx worth retrying; any other refusal final. */
        public static Result ofHttpStatus(int status, String receiver) {
            if (status / 100 == 2) {
                return delivered(status);
            }
            boolean retryable = status == 408 || status == 429 || status >= 500;
            return new Result(false, !retryable, status, "HTTP " + status + " from " + receiver);
        }
    }

    /**
     * Delivers one message, passing its idempotency key so that the receiver can drop a repeat. Must not
     * throw for the receiver's failures: those are results.
     */
    Result deliver(OutboxMessage message);
}
