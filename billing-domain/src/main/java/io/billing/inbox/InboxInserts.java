package io.billing.inbox;

import io.billing.platform.persistence.Databases;
import io.billing.platform.time.DatabaseClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes events into the inbox, in the caller's transaction: the one way in for the webhook's group commit,
 * the missed-event recovery and object reads alike.
 *
 * <p>Each insert is {@code INSERT … ON CONFLICT DO NOTHING} (the event id is the table's only unique key,
 * and H2's PostgreSQL mode accepts no conflict target). A new event is due at once, so the processing engine picks
 * it up: by the database's clock as well as by the receiving node's ({@link DatabaseClock#DUE_AT_ONCE}), so that a
 * node whose clock runs ahead does not hold back the events it receives.
 *
 * <p>On PostgreSQL the events go in as one statement, their columns as arrays ({@code unnest}), in the order given
 * (the group commit sorts them by id, so two writers lock shared ids in the same order); {@code RETURNING} names the
 * events it stored, and the others were stored before (or earlier in the same list). One statement rather than a
 * JDBC batch of one per event because the inbox's counts per status are kept by a statement trigger
 * ({@link InboxStatusCounts}): one statement writes one delta per status for the whole batch instead of one per
 * event. On H2, which counts row by row in any case, a JDBC batch, each statement's update count telling a new event
 * from one already stored.
 */
public final class InboxInserts {

    private static final String INSERT_SQL = """
            INSERT INTO inbox_event (event_id, event_type, api_version, livemode, account_id, stripe_created,
                                     object_type, object_id, customer_id, payload, received_at,
                                     delivery_count, last_delivered_at, status, due_at, status_changed_at, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, %s, ?, ?)
            ON CONFLICT DO NOTHING""".formatted(DatabaseClock.DUE_AT_ONCE);

    /** The PostgreSQL form: the events' own columns as arrays, the batch's common values as single parameters. */
    private static final String INSERT_ALL_SQL = """
            INSERT INTO inbox_event (event_id, event_type, api_version, livemode, account_id, stripe_created,
                                     object_type, object_id, customer_id, payload, received_at,
                                     delivery_count, last_delivered_at, status, due_at, status_changed_at, source)
            SELECT e.event_id, e.event_type, e.api_version, e.livemode, e.account_id, e.stripe_created, e.object_type,
                   e.object_id, e.customer_id, e.payload, ?, 1, ?, ?, %s, ?, e.source
            FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS BOOLEAN[]),
                        CAST(? AS VARCHAR[]), CAST(? AS TIMESTAMP WITH TIME ZONE[]), CAST(? AS VARCHAR[]),
                        CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS BYTEA[]), CAST(? AS VARCHAR[]))
                 WITH ORDINALITY AS e(event_id, event_type, api_version, livemode, account_id, stripe_created,
                                      object_type, object_id, customer_id, payload, source, n)
            ORDER BY e.n
            ON CONFLICT DO NOTHING
            RETURNING event_id""".formatted(DatabaseClock.DUE_AT_ONCE);

    private static final String REDELIVERY_SQL = """
            UPDATE inbox_event SET delivery_count = delivery_count + 1, last_delivered_at = ?
            WHERE event_id = ?""";

    private InboxInserts() {
    }

    /** Inserts the events in one round trip; the outcome of each, in order. */
    public static List<StoreOutcome> insert(Connection connection, List<EventEnvelope> events, Timestamp now)
            throws SQLException {
        if (Databases.isPostgres(connection)) {
            return insertAll(connection, events, now);
        }
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

    /** PostgreSQL: the events as one statement. */
    private static List<StoreOutcome> insertAll(Connection connection, List<EventEnvelope> events, Timestamp now)
            throws SQLException {
        int size = events.size();
        String[] ids = new String[size];
        String[] types = new String[size];
        String[] apiVersions = new String[size];
        Boolean[] livemodes = new Boolean[size];
        String[] accounts = new String[size];
        String[] created = new String[size];
        String[] objectTypes = new String[size];
        String[] objectIds = new String[size];
        String[] customers = new String[size];
        byte[][] bodies = new byte[size][];
        String[] sources = new String[size];
        for (int i = 0; i < size; i++) {
            EventEnvelope e = events.get(i);
            ids[i] = e.eventId();
            types[i] = e.type();
            apiVersions[i] = e.apiVersion();
            livemodes[i] = e.livemode();
            accounts[i] = e.account();
            created[i] = e.created().toString(); // ISO-8601 in UTC: no time zone of the session's applies
            objectTypes[i] = e.objectType();
            objectIds[i] = e.objectId();
            customers[i] = e.customerId();
            bodies[i] = e.rawBody();
            sources[i] = e.source().name();
        }
        Set<String> stored = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL_SQL)) {
            insert.setTimestamp(1, now);
            insert.setTimestamp(2, now);
            insert.setString(3, InboxStatus.RECEIVED.name());
            insert.setTimestamp(4, now);
            insert.setTimestamp(5, now);
            int at = 6;
            for (String[] column : List.of(ids, types, apiVersions)) {
                insert.setArray(at++, connection.createArrayOf("varchar", column));
            }
            insert.setArray(at++, connection.createArrayOf("boolean", livemodes));
            insert.setArray(at++, connection.createArrayOf("varchar", accounts));
            insert.setArray(at++, connection.createArrayOf("varchar", created));
            for (String[] column : List.of(objectTypes, objectIds, customers)) {
                insert.setArray(at++, connection.createArrayOf("varchar", column));
            }
            insert.setArray(at++, connection.createArrayOf("bytea", bodies));
            insert.setArray(at, connection.createArrayOf("varchar", sources));
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        List<StoreOutcome> outcomes = new ArrayList<>(size);
        for (EventEnvelope e : events) {
            // an id twice in the list was stored by its first
            outcomes.add(stored.remove(e.eventId()) ? StoreOutcome.STORED : StoreOutcome.DUPLICATE);
        }
        return outcomes;
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
