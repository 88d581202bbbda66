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

    /** Re-queues the UNMAPPED events of a customer whose mapping was just added or changed. */
    public static int unmappedOfCustomer(Connection connection, String customerId, Instant now, String reason)
            throws SQLException {
        return requeue(connection, "status = '" + InboxStatus.UNMAPPED + "' AND customer_id = ?",
                List.of(customerId), now, reason);
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
