package io.billing.processing.operator;

import java.time.Instant;
import java.util.List;

/** Read models of events for operators: a list row, the full detail, its attempts and audit trail. */
public final class EventViews {

    private EventViews() {
    }

    public record Summary(String eventId, String type, String status, String statusReason, String tenantId,
                          String objectType, String objectId, String customerId, Instant created,
                          Instant receivedAt, int deliveryCount, int attemptCount, Instant dueAt) {
    }

    public record Page(List<Summary> events, int page, int size, long total) {
    }

    /**
     * @param byStatus     events per status (only statuses that have events)
     * @param oldestDue    when the oldest event waiting for a worker was due; null when none waits
     * @param outboxBacklog outbound messages not delivered yet (pending, sending, retrying)
     * @param outboxFailed outbound messages that failed for good
     */
    public record Overview(java.util.Map<String, Long> byStatus, Instant oldestDue, long outboxBacklog,
                           long outboxFailed) {
        public long count(String status) {
            return byStatus.getOrDefault(status, 0L);
        }
    }

    public record Attempt(int attemptNo, String nodeId, Instant startedAt, Instant finishedAt, String outcome,
                          String errorClass, String errorMessage, String stackTrace) {
    }

    public record Action(Instant at, String actor, String action, String before, String after, String reason) {
    }

    /**
     * @param payload the event body exactly as Stripe sent it
     */
    public record Detail(Summary summary, String apiVersion, boolean livemode, String account,
                         Instant lastDeliveredAt, String payload, List<Attempt> attempts, List<Action> actions) {
    }
}
