package io.billing.processing;

import io.billing.inbox.InboxStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Sends settled events back to the queue: due at once, with a fresh retry cycle. Used by the operator's
 * manual retries and re-runs, and by tenant mappings that resolve parked events. Runs in the caller's
 * transaction, so a re-queue commits with the change that caused it.
 */
public final class InboxRequeue {

    private static final String REQUEUE_SQL = "UPDATE inbox_event SET status = '" + InboxStatus.RETRY_SCHEDULED
            + "', due_at = ?, cycle_attempts = 0, status_reason = ?, status_changed_at = ?,"
            + " lease_owner = NULL, lease_token = NULL WHERE ";

    private InboxRequeue() {
    }

    /** Re-queues the UNMAPPED events waiting for {@code id} (a customer's mapping, a payment's arrival). */
    public static int unmappedAwaiting(Connection connection, String id, Instant now, String reason)
            throws SQLException {
        return requeue(connection, "status = '" + InboxStatus.UNMAPPED + "' AND awaiting_id = ?", List.of(id), now,
                reason);
    }

    /**
     * Re-queues every UNMAPPED event whose awaited mapping or payment exists by now. The immediate re-queue
     * at the moment a mapping is learnt cannot see an event another transaction is parking at that same
     * moment; this sweep, run by the engine when it is idle, catches those.
     */
    public static int unmappedNowResolvable(Connection connection, Instant now) throws SQLException {
        return requeue(connection, "status = '" + InboxStatus.UNMAPPED + "' AND awaiting_id IS NOT NULL AND ("
                + "EXISTS (SELECT 1 FROM tenant_mapping m WHERE m.customer_id = inbox_event.awaiting_id)"
                + " OR EXISTS (SELECT 1 FROM stripe_object o WHERE o.object_id = inbox_event.awaiting_id))",
                List.of(), now, "re-queued: what it waited for has arrived");
    }

    /**
     * Re-queues events matching {@code condition} (SQL over {@code inbox_event}, with {@code ?} for
     * {@code parameters}). Returns how many were re-queued.
     */
    public static int requeue(Connection connection, String condition, List<?> parameters, Instant now,
                              String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(REQUEUE_SQL + condition)) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, reason);
            update.setTimestamp(3, Timestamp.from(now));
            for (int i = 0; i < parameters.size(); i++) {
                update.setObject(4 + i, parameters.get(i) instanceof Instant at ? Timestamp.from(at) : parameters.get(i));
            }
            return update.executeUpdate();
        }
    }
}
