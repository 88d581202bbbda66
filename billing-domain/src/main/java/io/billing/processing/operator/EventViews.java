package io.billing.processing.operator;

import io.billing.trace.EventSummaries;

import java.time.Instant;
import java.util.List;

/** Read models of events for operators: a list row, the full detail, its attempts and audit trail. */
public final class EventViews {

    private EventViews() {
    }

    /**
     * @param livemode whether the event came from Stripe's live mode (false: test mode); the engine ignores events of a
     *                 mode the service does not apply ({@code BILLING_STRIPE_MODES})
     * @param summary  what the event says in one line of plain words, with its amounts
     *                 ({@link io.billing.trace.EventSummaries}); its envelope's line once data retention removed its body
     */
    public record Summary(String eventId, String type, String status, String statusReason, String tenantId,
                          String objectType, String objectId, String customerId, Instant created,
                          Instant receivedAt, int deliveryCount, int attemptCount, Instant dueAt, boolean livemode,
                          String summary) {

        /** The same row with its line. */
        Summary withSummary(String line) {
            return new Summary(eventId, type, status, statusReason, tenantId, objectType, objectId, customerId, created,
                    receivedAt, deliveryCount, attemptCount, dueAt, livemode, line);
        }

        /** The event as the inbox stores it, to be summed up with its body or its kept line. */
        EventSummaries.Stored stored(byte[] body, String line) {
            return new EventSummaries.Stored(type, objectType, objectId, body, line);
        }
    }

    public record Page(List<Summary> events, int page, int size, long total) {
    }

    /** The events received in one hour, by their status now. */
    public record HourCount(Instant hour, java.util.Map<String, Long> byStatus) {
        public long total() {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        public long count(String status) {
            return byStatus.getOrDefault(status, 0L);
        }
    }

    /**
     * What a list of events may be ordered by. Each order is a keyset, its column then {@code (stripe_created,
     * event_id)}, served by an index that starts with the column and ends in {@code stripe_created}: the created order
     * by {@code ix_inbox_event_created_id}, the type's by {@code ix_inbox_event_type}, the status's by
     * {@code ix_inbox_event_status_created}. Only columns that are never null: a null would drop out of the keyset's
     * row comparison.
     */
    public enum Order {
        CREATED(null), TYPE("event_type"), STATUS("status");

        private final String column;

        Order(String column) {
            this.column = column;
        }

        /** The keyset's columns, in order. */
        String keyset() {
            return column == null ? "stripe_created, event_id" : column + ", stripe_created, event_id";
        }

        /** The row's value of the ordered column; null for the created order, whose keyset is the created time. */
        String key(Summary row) {
            return switch (this) {
                case CREATED -> null;
                case TYPE -> row.type();
                case STATUS -> row.status();
            };
        }

        /** The order a URL names (its lower-case name), the created order for anything else. */
        public static Order named(String name) {
            for (Order order : values()) {
                if (order.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                    return order;
                }
            }
            return CREATED;
        }
    }

    /**
     * Where a page of events starts or ends: a row's place in the keyset of its order, (created, event id) or
     * (the ordered column's value, created, event id).
     *
     * @param key the ordered column's value; null in the created order
     */
    public record Cursor(String key, Instant created, String eventId) {

        /** A cursor of the created order. */
        public Cursor(Instant created, String eventId) {
            this(null, created, eventId);
        }

        public static Cursor of(Summary row) {
            return new Cursor(row.created(), row.eventId());
        }

        public static Cursor of(Summary row, Order order) {
            return new Cursor(order.key(row), row.created(), row.eventId());
        }

        /** The cursor as a URL parameter: {@code <ISO instant>~<event id>}, after {@code <key>~} in other orders. */
        public String token() {
            return (key == null ? "" : key + "~") + created + "~" + eventId;
        }

        /** The cursor of a token of the created order, or null for a missing or malformed one (the first page). */
        public static Cursor parse(String token) {
            return parse(token, Order.CREATED);
        }

        /** The cursor of a token of the order, or null for a missing or malformed one (the first page). */
        public static Cursor parse(String token, Order order) {
            String key = null;
            String rest = token;
            if (order != Order.CREATED && token != null) {
                int end = token.indexOf('~');
                if (end < 1) {
                    return null;
                }
                key = token.substring(0, end);
                rest = token.substring(end + 1);
            }
            int at = rest == null ? -1 : rest.indexOf('~');
            if (at < 1 || at == rest.length() - 1) {
                return null;
            }
            try {
                return new Cursor(key, Instant.parse(rest.substring(0, at)), rest.substring(at + 1));
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }

    /**
     * One keyset page, newest first.
     *
     * @param older the cursor for the next older page; null when there is none
     * @param newer the cursor for the next newer page; null at the newest
     */
    public record Slice(List<Summary> events, Cursor older, Cursor newer) {
    }

    /**
     * One keyset page in the order asked for.
     *
     * @param next     the cursor of the page after this one; null at the end
     * @param previous the cursor of the page before this one; null at the start
     */
    public record SortedSlice(List<Summary> events, Cursor next, Cursor previous) {
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

    /**
     * @param detailsRemovedAt when data retention removed the error message and stack trace; null while they are
     *                         kept (or the attempt had none)
     */
    public record Attempt(int attemptNo, String nodeId, Instant startedAt, Instant finishedAt, String outcome,
                          String errorClass, String errorMessage, String stackTrace, Instant detailsRemovedAt) {
    }

    public record Action(Instant at, String actor, String action, String before, String after, String reason) {
    }

    /**
     * @param payload          the event body exactly as Stripe sent it; null once data retention removed it
     * @param payloadRemovedAt when data retention removed the body; null while it is kept
     * @param payloadSha256    the SHA-256 of the body in lower-case hex, kept when the body is removed (null before)
     */
    public record Detail(Summary summary, String apiVersion, boolean livemode, String account,
                         Instant lastDeliveredAt, String payload, Instant payloadRemovedAt, String payloadSha256,
                         List<Attempt> attempts, List<Action> actions) {

        /** What a screen shows in place of a removed body, or null while the body is kept. */
        public String payloadRemovedNotice() {
            return payloadRemovedAt == null ? null : "The body of this event was removed by data retention on "
                    + payloadRemovedAt + ". Its SHA-256 was " + payloadSha256 + ".";
        }
    }
}
