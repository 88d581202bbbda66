package io.billing.retention;

import java.time.Duration;

/**
 * How long the service keeps what it may remove, and how the removal paces itself.
 *
 * @param payloadAge          a settled event's raw body is removed this long after it settled
 * @param attemptDetailAge    an attempt's error message and stack trace are removed this long after it finished
 * @param deliveredMessageAge a delivered outbound message and its attempts are removed this long after delivery;
 *                            at least {@code payloadAge}: an event can be re-run while it has its body, and a
 *                            re-run must find the messages it caused, or it would send them again under a key the
 *                            receiver may have forgotten
 * @param batchSize           rows removed per transaction
 * @param batchPause          pause between two transactions, leaving the database to the intake and the engine
 * @param lease               how long the job's lease lasts without renewal (every transaction renews it)
 */
public record RetentionSettings(Duration payloadAge, Duration attemptDetailAge, Duration deliveredMessageAge,
                                int batchSize, Duration batchPause, Duration lease) {

    public static final int MAX_BATCH_SIZE = 10_000;

    public RetentionSettings {
        for (Duration age : new Duration[] {payloadAge, attemptDetailAge, deliveredMessageAge}) {
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("retention ages must be positive");
            }
        }
        if (deliveredMessageAge.compareTo(payloadAge) < 0) {
            throw new IllegalArgumentException("delivered outbound messages must be kept at least as long as event"
                    + " bodies (" + payloadAge.toDays() + " days): a re-run of an event would send the messages it"
                    + " caused again");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("the retention's batch size must be 1 to " + MAX_BATCH_SIZE);
        }
        if (batchPause.isNegative() || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the batch pause must not be negative and the lease must be positive");
        }
    }
}
