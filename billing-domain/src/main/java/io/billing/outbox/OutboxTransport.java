package io.billing.outbox;

import java.time.Duration;

/** Delivers outbox messages to one destination (a receiver outside this process). */
public interface OutboxTransport {

    /** The time limit of a transport that does not say: the connectors' default connect and read timeouts. */
    Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(15);

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
     * Delivers one message, passing its idempotency key so that the receiver can drop a repeat. Should not
     * throw for the receiver's failures: those are results. One that throws anyway (a client's exception for a
     * refused connection or a timeout) is taken as a failure worth retrying, like a 503.
     */
    Result deliver(OutboxMessage message);

    /**
     * The longest one delivery takes before it gives up: its connect and read timeouts together (and its own
     * retries, if it makes any). A message is leased for this plus a margin, so no other node sends it while
     * this one may still be sending it.
     */
    default Duration timeLimit() {
        return DEFAULT_TIME_LIMIT;
    }

    /** This transport, known to give up within {@code limit}: see {@link #timeLimit()}. */
    default OutboxTransport within(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a transport's time limit must be positive");
        }
        OutboxTransport transport = this;
        return new OutboxTransport() {
            @Override
            public Result deliver(OutboxMessage message) {
                return transport.deliver(message);
            }

            @Override
            public Duration timeLimit() {
                return limit;
            }
        };
    }
}
