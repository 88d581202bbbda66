package io.billing.outbox;

import io.billing.platform.queue.LeasedWorkQueue.Lease;

/** One claimed outbox message, ready to deliver. */
public record OutboxMessage(String idempotencyKey, String destination, String tenantId, String sourceEventId,
                            String payload, int attempt, Lease lease) {
}
