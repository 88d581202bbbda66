package io.billing.trace;

import io.billing.ledger.PaymentPostings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Support's question, "what did this payment pay for?", from any id: an event ({@code evt_}), a Stripe
 * object ({@code cs_}, {@code pi_}, {@code in_}, {@code ch_}, {@code re_}, {@code du_}, {@code sub_},
 * {@code cus_}), a tenant id or an order id. The answer is a timeline: the events about the object (or,
 * for a customer or tenant, about all its objects) in Stripe's order with their processing status, the
 * objects' current state, and the ledger postings those events made.
 */
public class PaymentTrace {

    /** One line of the timeline, in Stripe's {@code created} order. */
    public record Event(String eventId, String type, Instant created, String objectId, String status,
                        String tenantId, String statusReason) {
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
    private static final String EVENT_COLUMNS =
            "event_id, event_type, stripe_created, object_id, status, tenant_id, status_reason";

    private final DataSource dataSource;

    public PaymentTrace(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Trace trace(String id) throws SQLException {
        if (id == null || id.isBlank() || id.length() > 255) {
            throw new IllegalArgumentException("an id of 1 to 255 characters is required");
        }
        try (Connection connection = dataSource.getConnection()) {
            String resolvedAs;
            List<Event> events;
            if (id.startsWith("evt_")) {
                List<Event> one = events(connection, "event_id = ?", id);
                String objectId = one.isEmpty() ? null : one.get(0).objectId();
                resolvedAs = "event";
                events = objectId == null ? one : events(connection, "object_id = ?", objectId);
            } else if (id.startsWith("cus_")) {
                resolvedAs = "customer";
                events = events(connection, "customer_id = ? OR object_id = ?", id, id);
            } else if (exists(connection, "SELECT 1 FROM tenant WHERE tenant_id = ?", id)) {
                resolvedAs = "tenant";
                events = events(connection, "tenant_id = ?", id);
            } else if (id.startsWith("ord_") || exists(connection,
                    "SELECT 1 FROM subscription WHERE order_id = ?", id)) {
                // A subscription's order is in its metadata; a one-time order's payment is posted as
                // payment:<payment intent> with the order in the description.
                resolvedAs = "order";
                events = new ArrayList<>();
                List<String> objects = new ArrayList<>(strings(connection,
                        "SELECT subscription_id FROM subscription WHERE order_id = ?", id));
                for (String key : strings(connection,
                        "SELECT business_key FROM journal_entry WHERE description = ?", PaymentPostings.orderPaid(id))) {
                    objects.add(key.substring(key.indexOf(':') + 1));
                }
                for (String object : objects) {
                    events.addAll(events(connection, "object_id = ?", object));
                }
            } else {
                resolvedAs = "object";
                events = events(connection, "object_id = ?", id);
            }
            Set<String> objectIds = new LinkedHashSet<>();
            Set<String> eventIds = new LinkedHashSet<>();
            for (Event event : events) {
                if (event.objectId() != null) {
                    objectIds.add(event.objectId());
                }
                eventIds.add(event.eventId());
            }
            return new Trace(id, resolvedAs, objects(connection, objectIds), events, postings(connection, eventIds,
                    objectIds), payments(connection, objectIds), messages(connection, eventIds));
        }
    }

    private static List<Event> events(Connection connection, String condition, String... parameters)
            throws SQLException {
        List<Event> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM inbox_event WHERE "
                + condition + " ORDER BY stripe_created, event_id LIMIT " + MAX_EVENTS)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    events.add(new Event(row.getString(1), row.getString(2), instant(row.getTimestamp(3)),
                            row.getString(4), row.getString(5), row.getString(6), row.getString(7)));
                }
            }
        }
        return events;
    }

    private static List<ObjectState> objects(Connection connection, Set<String> objectIds) throws SQLException {
        List<ObjectState> objects = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT object_id, object_type, tenant_id, status,"
                + " deleted, version_type FROM stripe_object WHERE object_id = ?")) {
            for (String objectId : objectIds) {
                query.setString(1, objectId);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        objects.add(new ObjectState(row.getString(1), row.getString(2), row.getString(3),
                                row.getString(4), row.getBoolean(5), row.getString(6)));
                    }
                }
            }
        }
        return objects;
    }

    /** The postings the events made, and any posting keyed by one of the objects (a fact about it). */
    private static List<Posting> postings(Connection connection, Set<String> eventIds, Set<String> objectIds)
            throws SQLException {
        Set<Long> seen = new LinkedHashSet<>();
        List<Posting> postings = new ArrayList<>();
        String select = "SELECT business_key, source_event_id, currency, description, posted_at, entry_id"
                + " FROM journal_entry WHERE ";
        try (PreparedStatement byEvent = connection.prepareStatement(select + "source_event_id = ?");
             PreparedStatement byObject = connection.prepareStatement(select + "object_id = ?")) {
            for (String eventId : eventIds) {
                byEvent.setString(1, eventId);
                collect(byEvent, seen, postings);
            }
            for (String objectId : objectIds) {
                byObject.setString(1, objectId);
                collect(byObject, seen, postings);
            }
        }
        postings.sort(Comparator.comparing(Posting::postedAt));
        return postings;
    }

    /** The outbound messages the events caused, oldest first. */
    private static List<Message> messages(Connection connection, Set<String> eventIds) throws SQLException {
        List<Message> messages = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT idempotency_key, destination, source_event_id,"
                + " status, attempt_count, created_at, delivered_at FROM outbox_message WHERE source_event_id = ?")) {
            for (String eventId : eventIds) {
                query.setString(1, eventId);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        messages.add(new Message(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                                row.getInt(5), instant(row.getTimestamp(6)), instant(row.getTimestamp(7))));
                    }
                }
            }
        }
        messages.sort(Comparator.comparing(Message::createdAt));
        return messages;
    }

    /** The reconciliation records any of the objects belongs to. */
    private static List<Payment> payments(Connection connection, Set<String> objectIds) throws SQLException {
        Set<String> seen = new LinkedHashSet<>();
        List<Payment> payments = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT payment_key, status, invoice_id,"
                + " payment_intent_id, charge_id, checkout_session_id, subscription_id, customer_id, order_id,"
                + " store_order_id, first_received_at, reconciled_at, retry_count, last_retry_at"
                + " FROM reconciliation_record WHERE invoice_id = ?"
                + " OR payment_intent_id = ? OR charge_id = ? OR checkout_session_id = ?")) {
            for (String objectId : objectIds) {
                for (int i = 1; i <= 4; i++) {
                    query.setString(i, objectId);
                }
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        String key = row.getString(1);
                        if (seen.add(key)) {
                            payments.add(new Payment(key, row.getString(2), row.getString(3), row.getString(4),
                                    row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                                    row.getString(9), row.getString(10), instant(row.getTimestamp(11)),
                                    instant(row.getTimestamp(12)), row.getInt(13), instant(row.getTimestamp(14)),
                                    strings(connection,
                                            "SELECT event_id FROM reconciliation_event WHERE payment_key = ?"
                                                    + " ORDER BY event_id", key)));
                        }
                    }
                }
            }
        }
        return payments;
    }

    private static void collect(PreparedStatement query, Set<Long> seen, List<Posting> postings) throws SQLException {
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                if (seen.add(row.getLong(6))) {
                    postings.add(new Posting(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                            instant(row.getTimestamp(5))));
                }
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String id) throws SQLException {
        return !strings(connection, sql, id).isEmpty();
    }

    private static List<String> strings(Connection connection, String sql, String id) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    values.add(row.getString(1));
                }
            }
        }
        return values;
    }

    private static Instant instant(Timestamp at) {
        return at == null ? null : at.toInstant();
    }
}
