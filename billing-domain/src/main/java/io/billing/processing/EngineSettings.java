package io.billing.processing;

import io.billing.platform.queue.RetryPolicy;
import io.billing.stripe.StripeModes;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of one node's processing engine.
 *
 * @param nodeId    names this node in leases and attempt records; unique per running instance
 * @param workers   worker threads, each claiming and running its own small batches
 * @param batchSize rows claimed per claim transaction
 * @param lease     how long a claim protects a row; a node that dies holds its rows this long
 * @param idlePoll  how long an idle worker waits before it looks again (new events wake it earlier)
 * @param retry     the backoff schedule for failed events
 * @param modes     the Stripe modes whose events are applied; an event of another mode ends {@code IGNORED}
 */
public record EngineSettings(String nodeId, int workers, int batchSize, Duration lease, Duration idlePoll,
                             RetryPolicy retry, StripeModes modes) {

    public EngineSettings {
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 128) {
            throw new IllegalArgumentException("a node id of 1 to 128 characters is required");
        }
        if (workers < 1 || batchSize < 1) {
            throw new IllegalArgumentException("at least one worker and a batch size of at least one");
        }
        Objects.requireNonNull(modes, "modes");
    }

    /**
     * How long one attempt (a batch's transaction, or one event's) may run: half the lease, so that a stuck
     * query or a hanging handler ends its attempt, rolled back and recorded, well before another node may take
     * the events over. Each statement is held to it by the database ({@code statement_timeout} on PostgreSQL),
     * the attempt as a whole by the engine between events.
     */
    public Duration attemptTimeout() {
        return lease.dividedBy(2);
    }
}
