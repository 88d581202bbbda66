package io.billing.outbox;

import io.billing.platform.queue.LeasedWorkQueue.Lease;

/**
 * One claimed outbox message, ready to deliver.
 *
 * @param attempt      the number of this attempt over the message's life
 * @param cycleAttempt the number of this attempt in the current retry cycle (an operator's retry starts a new one)
 */
public record OutboxMessage(String idempotencyKey, String destination, String tenantId, String sourceEventId,
                            String payload, int attempt, int cycleAttempt, Lease lease) {

    /** The same message with what its transport sends completed (a receiver's id learnt at delivery, say). */
    public OutboxMessage withPayload(String completed) {
        return new OutboxMessage(idempotencyKey, destination, tenantId, sourceEventId, completed, attempt, cycleAttempt,
                lease);
    }
}
