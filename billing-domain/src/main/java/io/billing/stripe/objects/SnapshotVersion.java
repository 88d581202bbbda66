package io.billing.stripe.objects;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The version of a Stripe object snapshot, and the rule that decides which of two snapshots is newer.
 *
 * <p>Stripe's {@code created} has one-second resolution, and one action often emits several events in
 * the same second. The rule, in order:
 * <ol>
 *   <li>the later {@code created} wins;</li>
 *   <li>within one second, the status further along the object's life cycle wins (for an invoice
 *       {@code draft < open < paid|void|uncollectible}; for a subscription {@code incomplete < trialing <
 *       active < past_due < unpaid < canceled}; and so on in {@link #STATUS_PRECEDENCE}); a
 *       {@code *.deleted} event outranks any status and a {@code *.created} event ranks below them;</li>
 *   <li>still tied: the greater event id, an arbitrary but fixed choice, so that every delivery order
 *       ends in the same state.</li>
 * </ol>
 */
public record SnapshotVersion(Instant created, int rank, String eventId) implements Comparable<SnapshotVersion> {

    /** Life-cycle order of statuses per Stripe object type: a later position ranks higher. */
    static final Map<String, List<String>> STATUS_PRECEDENCE = Map.of(
            "invoice", List.of("draft", "open", "paid", "uncollectible", "void"),
            "subscription", List.of("incomplete", "incomplete_expired", "trialing", "active", "paused", "past_due",
                    "unpaid", "canceled"),
            "payment_intent", List.of("requires_payment_method", "requires_confirmation", "requires_action",
                    "processing", "requires_capture", "canceled", "succeeded"),
            "charge", List.of("pending", "failed", "succeeded"),
            "checkout.session", List.of("open", "complete", "expired"),
            "refund", List.of("pending", "requires_action", "failed", "canceled", "succeeded"),
            "dispute", List.of("warning_needs_response", "warning_under_review", "needs_response", "under_review",
                    "warning_closed", "won", "lost"),
            "credit_note", List.of("issued", "void"));

    private static final int CREATED_EVENT_RANK = 0;
    private static final int DELETED_EVENT_RANK = 1000;

    /** The rank of a snapshot by its object's status and the event type that carried it. */
    public static int rank(String objectType, String status, String eventType) {
        if (eventType.endsWith(".deleted")) {
            return DELETED_EVENT_RANK;
        }
        if (eventType.endsWith(".created")) {
            return CREATED_EVENT_RANK;
        }
        List<String> order = STATUS_PRECEDENCE.getOrDefault(objectType, List.of());
        int position = status == null ? -1 : order.indexOf(status);
        return 2 + position; // an unknown or absent status ranks 1, just above *.created
    }

    @Override
    public int compareTo(SnapshotVersion other) {
        int byCreated = created.compareTo(other.created);
        if (byCreated != 0) {
            return byCreated;
        }
        int byRank = Integer.compare(rank, other.rank);
        return byRank != 0 ? byRank : eventId.compareTo(other.eventId);
    }

    public boolean isNewerThan(SnapshotVersion other) {
        return compareTo(other) > 0;
    }
}
