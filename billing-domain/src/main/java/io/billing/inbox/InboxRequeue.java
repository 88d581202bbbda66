package io.billing.inbox;

import io.billing.platform.persistence.DeferredWrites;
import io.billing.platform.time.DatabaseClock;
import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Sends settled events back to the queue: due at once, with a fresh retry cycle. Used by the operator's
 * manual retries and re-runs, by tenant mappings that resolve parked events, and by handlers whose write
 * is what a parked event waited for. Runs in the caller's transaction, so a re-queue commits with the
 * change that caused it.
 *
 * <p>Which rows go back is said by the method, with typed parameters; the SQL stays here, with the table.
 * {@code now} is the node's time; the row is due at once by the database's clock too
 * ({@link DatabaseClock#DUE_AT_ONCE}), whatever the node's clock says.
 */
public final class InboxRequeue {

    private static final String REQUEUE_SQL = "UPDATE inbox_event SET status = '" + InboxStatus.RETRY_SCHEDULED
            + "', due_at = " + DatabaseClock.DUE_AT_ONCE + ", cycle_attempts = 0, status_reason = ?,"
            + " status_changed_at = ?, lease_owner = NULL, lease_token = NULL WHERE ";
    private static final String PARKED = "status = '" + InboxStatus.UNMAPPED + "'";
    private static final String ANY_SQL = "SELECT 1 FROM inbox_event WHERE ";
    /** Which of several awaited ids parked events wait for. */
    private static final String AWAITED_ANY_SQL = "SELECT DISTINCT awaiting_id FROM inbox_event WHERE " + PARKED
            + " AND awaiting_id = ANY (?)";

    /** The ids gathered ({@code [awaitedId, now, reason]} each), looked for at once; the first row of an id speaks. */
    private static final DeferredWrites.Gathered PARKED_AWAITING = (connection, rows) -> {
        Set<String> waiting = new HashSet<>();
        try (PreparedStatement any = connection.prepareStatement(AWAITED_ANY_SQL)) {
            any.setArray(1, connection.createArrayOf("varchar",
                    rows.stream().map(row -> (String) row[0]).distinct().toArray(String[]::new)));
            try (ResultSet found = any.executeQuery()) {
                while (found.next()) {
                    waiting.add(found.getString(1));
                }
            }
        }
        for (Object[] row : rows) {
            if (waiting.remove((String) row[0])) {
                requeue(connection, PARKED + " AND awaiting_id = ?", (String) row[0], (Instant) row[1],
                        (String) row[2]);
            }
        }
    };

    private InboxRequeue() {
    }

    /** Re-queues one event, whatever its status (the caller has locked it and checked that). */
    public static int event(Connection connection, String eventId, Instant now, String reason) throws SQLException {
        return requeue(connection, "event_id = ?", eventId, now, reason);
    }

    /**
     * Re-queues the parked events matching {@code condition} and {@code key}, when there is one. Most learnt mappings
     * and stored payments find none waiting, and an {@code UPDATE} that changes no row still runs the inbox's statement
     * triggers (its counts): on PostgreSQL the look takes about 60% of that empty update's time, round trip included
     * (80-100 µs against 135-155 µs, 5,000 of each on one connection). An event parked between the look and the
     * update is the same case as one parked by a transaction that has not committed yet: the engine's sweep
     * ({@link #parkedNowResolvable}) takes it.
     */
    private static int parked(Connection connection, String condition, String key, Instant now, String reason)
            throws SQLException {
        try (PreparedStatement any = connection.prepareStatement(ANY_SQL + condition + " LIMIT 1")) {
            any.setString(1, key);
            try (ResultSet found = any.executeQuery()) {
                if (!found.next()) {
                    return 0;
                }
            }
        }
        return requeue(connection, condition, key, now, reason);
    }

    /**
     * Re-queues the parked events waiting for {@code awaitedId} (a customer's mapping, a payment's arrival) when the
     * caller's unit of work commits; {@code now} and {@code reason} go on the events re-queued.
     *
     * <p>At the commit rather than at once, for two reasons. The engine settles a batch's events at its end: an event
     * of the same batch that parked for this id was still leased when the id arrived, and a look at once would miss
     * it (it would wait for the engine's sweep). And the ids a batch's events gather
     * are looked for in one statement instead of one each.
     */
    public static void parkedAwaitingAtCommit(EntityManager entityManager, String awaitedId, Instant now,
                                              String reason) {
        DeferredWrites.gather(entityManager, PARKED_AWAITING, awaitedId, now, reason);
    }

    /** Re-queues the parked events of a customer, whatever they wait for (its mapping was set by hand). */
    public static int parkedForCustomer(Connection connection, String customerId, Instant now, String reason)
            throws SQLException {
        return parked(connection, PARKED + " AND customer_id = ?", customerId, now, reason);
    }

    /** Re-queues the parked events of a Stripe Connect account (its mapping was set by hand). */
    public static int parkedForAccount(Connection connection, String accountId, Instant now, String reason)
            throws SQLException {
        return parked(connection, PARKED + " AND account_id = ?", accountId, now, reason);
    }

    /**
     * Re-queues every parked event whose awaited mapping or payment exists by now. The re-queue when a mapping is
     * learnt cannot see an event another transaction is parking at that same moment; this sweep, run by the engine
     * every few seconds when idle and every half minute when busy, catches those. An awaited id is a customer (found
     * in {@code tenant_mapping}) or a payment (found in {@code stripe_object}).
     */
    public static int parkedNowResolvable(Connection connection, Instant now) throws SQLException {
        return requeue(connection, PARKED + " AND awaiting_id IS NOT NULL AND ("
                + "EXISTS (SELECT 1 FROM tenant_mapping m WHERE m.customer_id = inbox_event.awaiting_id)"
                + " OR EXISTS (SELECT 1 FROM stripe_object o WHERE o.object_id = inbox_event.awaiting_id))",
                null, now, "re-queued: what it waited for has arrived");
    }

    /** Re-queues the events matching {@code condition}, whose one {@code ?} (if any) is {@code key}. */
    private static int requeue(Connection connection, String condition, String key, Instant now, String reason)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(REQUEUE_SQL + condition)) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, reason);
            update.setTimestamp(3, Timestamp.from(now));
            if (key != null) {
                update.setString(4, key);
            }
            return update.executeUpdate();
        }
    }
}
