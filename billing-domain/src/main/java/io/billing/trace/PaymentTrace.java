package io.billing.trace;

import io.billing.ledger.PaymentPostings;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.reconciliation.ReconciliationRecord;
import io.billing.reconciliation.ReconciliationRecords;
import io.billing.tenant.JpaTenantRepository;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Support's question, "what did this payment pay for?", from any id: an event ({@code evt_}), a Stripe
 * object ({@code cs_}, {@code pi_}, {@code in_}, {@code ch_}, {@code re_}, {@code du_}, {@code sub_},
 * {@code cus_}), a tenant id or an order id. The answer is a timeline: the events about the object (or,
 * for a customer or tenant, about all its objects) in Stripe's order with their processing status, the
 * objects' current state, the ledger postings those events made, the payments' reconciliation records and the
 * outbound messages the events caused. Support looks across tenants: any id leads to whatever it belongs to.
 *
 * <p>One trace reads on one persistence context. The reconciliation records and the tenants are entities, read
 * through their repositories; the other tables are read with SQL, each for the reason given where it is read.
 */
public class PaymentTrace {

    /**
     * One line of the timeline, in Stripe's {@code created} order.
     *
     * @param payloadRemovedAt when data retention removed the event's raw body (its envelope, status and what it
     *                         changed stay); null while the body is kept
     */
    public record Event(String eventId, String type, Instant created, String objectId, String status,
                        String tenantId, String statusReason, Instant payloadRemovedAt) {
    }

    public record ObjectState(String objectId, String objectType, String tenantId, String status, boolean deleted,
                              String lastEventType) {
    }

    public record Posting(String businessKey, String sourceEventId, String currency, String description,
                          Instant postedAt) {
    }

    /** A payment's reconciliation record: every id it links, its status, and the events about it. */
    public record Payment(String paymentKey, String status, String invoiceId, String paymentIntentId,
                          String chargeId, String checkoutSessionId, String subscriptionId, String customerId,
                          String orderId, String storeOrderId, Instant firstReceivedAt, Instant reconciledAt,
                          int retryCount, Instant lastRetryAt, List<String> eventIds) {
    }

    /** An outbound message one of the events caused (a notification, a connector call, an object read). */
    public record Message(String idempotencyKey, String destination, String sourceEventId, String status,
                          int attempts, Instant createdAt, Instant deliveredAt) {
    }

    /** @param resolvedAs what the id was taken for: event, object, customer, tenant or order */
    public record Trace(String id, String resolvedAs, List<ObjectState> objects, List<Event> events,
                       List<Posting> postings, List<Payment> payments, List<Message> messages) {
        public boolean found() {
            return !events.isEmpty() || !objects.isEmpty();
        }
    }

    private static final int MAX_EVENTS = 500;
    /**
     * Read with SQL: the inbox's entity ({@code InboxEvent}) maps what the workers and the admin read of an event,
     * not the tenant and status reason a trace shows.
     */
    private static final String EVENTS_SQL = "SELECT event_id, event_type, stripe_created, object_id, status,"
            + " tenant_id, status_reason, payload_removed_at FROM inbox_event WHERE %s"
            + " ORDER BY stripe_created, event_id LIMIT "
            + MAX_EVENTS;
    /** Object snapshots have no entity in this module's persistence unit: read with SQL. */
    private static final String OBJECT_SQL = "SELECT object_id, object_type, tenant_id, status, deleted, version_type"
            + " FROM stripe_object WHERE object_id = ?";
    /**
     * Journal entries have no entity in this module's persistence unit: read with SQL, by the indexed
     * source_event_id and object_id.
     */
    private static final String POSTINGS_SQL = "SELECT business_key, source_event_id, currency, description,"
            + " posted_at, entry_id FROM journal_entry WHERE %s = ?";
    /** The outbox is the engine's plain-SQL table, without an entity. */
    private static final String MESSAGES_SQL = "SELECT idempotency_key, destination, source_event_id, status,"
            + " attempt_count, created_at, delivered_at FROM outbox_message WHERE source_event_id = ?";
    /** Subscriptions have no entity in this module's persistence unit: read with SQL. */
    private static final String SUBSCRIPTIONS_OF_ORDER_SQL =
            "SELECT subscription_id FROM subscription WHERE order_id = ?";
    /** A one-time order's journal entries (no entity, as above), by their description. */
    private static final String KEYS_OF_DESCRIPTION_SQL =
            "SELECT business_key FROM journal_entry WHERE description = ?";

    private final DataAccess data;

    public PaymentTrace(DataAccess data) {
        this.data = data;
    }

    public Trace trace(String id) throws SQLException {
        if (id == null || id.isBlank() || id.length() > 255) {
            throw new IllegalArgumentException("an id of 1 to 255 characters is required");
        }
        return DatabaseFailures.read(data, entityManager -> trace(entityManager, id));
    }

    private static Trace trace(EntityManager entityManager, String id) {
        String resolvedAs;
        List<Event> events;
        if (id.startsWith("evt_")) {
            List<Event> one = events(entityManager, "event_id = ?", id);
            String objectId = one.isEmpty() ? null : one.get(0).objectId();
            resolvedAs = "event";
            events = objectId == null ? one : events(entityManager, "object_id = ?", objectId);
        } else if (id.startsWith("cus_")) {
            resolvedAs = "customer";
            events = events(entityManager, "customer_id = ? OR object_id = ?", id, id);
        } else if (new JpaTenantRepository(entityManager).find(TenantId.of(id)).isPresent()) {
            resolvedAs = "tenant";
            events = events(entityManager, "tenant_id = ?", id);
        } else if (id.startsWith("ord_") || !rows(entityManager, SUBSCRIPTIONS_OF_ORDER_SQL, id).isEmpty()) {
            // A subscription's order is in its metadata; a one-time order's payment is posted as
            // payment:<payment intent> with the order in the description.
            resolvedAs = "order";
            events = new ArrayList<>();
            List<String> objects = new ArrayList<>();
            for (Object[] row : rows(entityManager, SUBSCRIPTIONS_OF_ORDER_SQL, id)) {
                objects.add((String) row[0]);
            }
            for (Object[] row : rows(entityManager, KEYS_OF_DESCRIPTION_SQL, PaymentPostings.orderPaid(id))) {
                String key = (String) row[0];
                objects.add(key.substring(key.indexOf(':') + 1));
            }
            for (String object : objects) {
                events.addAll(events(entityManager, "object_id = ?", object));
            }
        } else {
            resolvedAs = "object";
            events = events(entityManager, "object_id = ?", id);
        }
        Set<String> objectIds = new LinkedHashSet<>();
        Set<String> eventIds = new LinkedHashSet<>();
        for (Event event : events) {
            if (event.objectId() != null) {
                objectIds.add(event.objectId());
            }
            eventIds.add(event.eventId());
        }
        return new Trace(id, resolvedAs, objects(entityManager, objectIds), events,
                postings(entityManager, eventIds, objectIds), payments(entityManager, objectIds),
                messages(entityManager, eventIds));
    }

    private static List<Event> events(EntityManager entityManager, String condition, String... parameters) {
        List<Event> events = new ArrayList<>();
        for (Object[] row : rows(entityManager, EVENTS_SQL.formatted(condition), (Object[]) parameters)) {
            events.add(new Event((String) row[0], (String) row[1], instant(row[2]), (String) row[3],
                    (String) row[4], (String) row[5], (String) row[6], instant(row[7])));
        }
        return events;
    }

    private static List<ObjectState> objects(EntityManager entityManager, Set<String> objectIds) {
        List<ObjectState> objects = new ArrayList<>();
        for (String objectId : objectIds) {
            for (Object[] row : rows(entityManager, OBJECT_SQL, objectId)) {
                objects.add(new ObjectState((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                        Boolean.TRUE.equals(row[4]), (String) row[5]));
            }
        }
        return objects;
    }

    /** The postings the events made, and any posting keyed by one of the objects (a fact about it). */
    private static List<Posting> postings(EntityManager entityManager, Set<String> eventIds, Set<String> objectIds) {
        Set<Long> seen = new LinkedHashSet<>();
        List<Posting> postings = new ArrayList<>();
        for (String eventId : eventIds) {
            collect(rows(entityManager, POSTINGS_SQL.formatted("source_event_id"), eventId), seen, postings);
        }
        for (String objectId : objectIds) {
            collect(rows(entityManager, POSTINGS_SQL.formatted("object_id"), objectId), seen, postings);
        }
        postings.sort(Comparator.comparing(Posting::postedAt));
        return postings;
    }

    private static void collect(List<Object[]> rows, Set<Long> seen, List<Posting> postings) {
        for (Object[] row : rows) {
            if (seen.add(((Number) row[5]).longValue())) {
                postings.add(new Posting((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                        instant(row[4])));
            }
        }
    }

    /** The outbound messages the events caused, oldest first. */
    private static List<Message> messages(EntityManager entityManager, Set<String> eventIds) {
        List<Message> messages = new ArrayList<>();
        for (String eventId : eventIds) {
            for (Object[] row : rows(entityManager, MESSAGES_SQL, eventId)) {
                messages.add(new Message((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                        ((Number) row[4]).intValue(), instant(row[5]), instant(row[6])));
            }
        }
        messages.sort(Comparator.comparing(Message::createdAt));
        return messages;
    }

    /** The reconciliation records any of the objects belongs to, whatever their tenant. */
    private static List<Payment> payments(EntityManager entityManager, Set<String> objectIds) {
        List<Payment> payments = new ArrayList<>();
        for (ReconciliationRecord record : ReconciliationRecords.of(entityManager)
                .ofStripeObjectsAcrossTenants(objectIds)) {
            payments.add(new Payment(record.paymentKey(), record.status().name(), record.ids().invoiceId(),
                    record.ids().paymentIntentId(), record.ids().chargeId(), record.ids().checkoutSessionId(),
                    record.ids().subscriptionId(), record.ids().customerId(), record.orderId(), record.storeOrderId(),
                    record.firstReceivedAt(), record.reconciledAt(), record.retryCount(), record.lastRetryAt(),
                    record.eventIds()));
        }
        return payments;
    }

    /** A native query's rows, each as an array of its columns (a one-column row too). */
    private static List<Object[]> rows(EntityManager entityManager, String sql, Object... parameters) {
        Query query = entityManager.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<Object[]> rows = new ArrayList<>();
        for (Object row : query.getResultList()) {
            rows.add(row instanceof Object[] columns ? columns : new Object[] {row});
        }
        return rows;
    }

    /** A timestamp column's value as the driver gives it: a Timestamp (PostgreSQL) or an OffsetDateTime (H2). */
    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return (Instant) value;
    }
}
