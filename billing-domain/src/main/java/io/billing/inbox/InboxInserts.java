package io.billing.inbox;

import io.billing.platform.time.DatabaseClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events into the inbox, in the caller's transaction: the one way in for the webhook's group commit,
 * the missed-event recovery and object reads alike.
 *
 * <p>Each statement is {@code INSERT … ON CONFLICT DO NOTHING} (the event id is the table's only unique key,
 * and H2's PostgreSQL mode accepts no conflict target); its update count tells a new event from one
 * already stored. A new event is due at once, so the processing engine picks it up: by the database's clock
 * as well as by the receiving node's ({@link DatabaseClock#DUE_AT_ONCE}), so that a node whose clock runs ahead
 * does not hold back the events it receives.
 */
public final class InboxInserts {

    private static final String INSERT_SQL = """
            INSERT INTO inbox_event (event_id, event_type, api_version, livemode, account_id, stripe_created,
                                     object_type, object_id, customer_id, payload, received_at,
                                     delivery_count, last_delivered_at, status, due_at, status_changed_at, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, %s, ?, ?)
            ON CONFLICT DO NOTHING""".formatted(DatabaseClock.DUE_AT_ONCE);

    private static final String REDELIVERY_SQL = """
            UPDATE inbox_event SET delivery_count = delivery_count + 1, last_delivered_at = ?
            WHERE event_id = ?""";

    private InboxInserts() {
    }

    /** Inserts the events as one JDBC batch; the outcome of each, in order. */
    public static List<StoreOutcome> insert(Connection connection, List<EventEnvelope> events, Timestamp now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            for (EventEnvelope e : events) {
                insert.setString(1, e.eventId());
                insert.setString(2, e.type());
                insert.setString(3, e.apiVersion());
                insert.setBoolean(4, e.livemode());
                insert.setString(5, e.account());
                insert.setTimestamp(6, Timestamp.from(e.created()));
                insert.setString(7, e.objectType());
                insert.setString(8, e.objectId());
                insert.setString(9, e.customerId());
                insert.setBytes(10, e.rawBody());
                insert.setTimestamp(11, now);
                insert.setTimestamp(12, now);
                insert.setString(13, InboxStatus.RECEIVED.name());
                insert.setTimestamp(14, now);
                insert.setTimestamp(15, now);
                insert.setString(16, e.source().name());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            List<StoreOutcome> outcomes = new ArrayList<>(counts.length);
            for (int count : counts) {
                outcomes.add(count == 0 ? StoreOutcome.DUPLICATE : StoreOutcome.STORED);
            }
            return outcomes;
        }
    }

    /** Counts a repeated delivery of each event {@link #insert} found already stored. */
    public static void countRedeliveries(Connection connection, List<EventEnvelope> events, List<StoreOutcome> outcomes,
                                         Timestamp now) throws SQLException {
        if (!outcomes.contains(StoreOutcome.DUPLICATE)) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(REDELIVERY_SQL)) {
            for (int i = 0; i < events.size(); i++) {
                if (outcomes.get(i) == StoreOutcome.DUPLICATE) {
                    update.setTimestamp(1, now);
                    update.setString(2, events.get(i).eventId());
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
    }
}
