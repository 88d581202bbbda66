package io.billing.processing.handler;

import io.billing.platform.queue.LeasedWorkQueue.Lease;

import java.time.Instant;

/**
 * One claimed inbox row: the stored event and the claim on it.
 *
 * @param attempt       the number of this attempt over the event's whole life
 * @param cycleAttempt  the number of this attempt since the event was last (re-)queued by hand
 * @param assignedTenantId a tenant an operator assigned to this event by hand, or null
 */
public record InboxWorkItem(String eventId, String type, String apiVersion, boolean livemode, String account,
                            Instant created, String objectType, String objectId, String customerId,
                            byte[] payload, Instant receivedAt, int attempt, int cycleAttempt, Lease lease,
                            String assignedTenantId) {
}
