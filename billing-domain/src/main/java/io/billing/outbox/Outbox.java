package io.billing.outbox;

import io.billing.platform.persistence.DeferredWrites;
import io.billing.platform.time.DatabaseClock;
import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The write side of the outbox: a message is stored in the caller's transaction, so it exists if and
 * only if the change that caused it committed. The idempotency key is the primary key: writing the same
 * message again (a re-run event) is a no-op, and the receiver gets the key to drop a repeated delivery.
 * A message written or re-queued is due at once by the database's clock as well as by the node's
 * ({@link DatabaseClock#DUE_AT_ONCE}): the dispatcher that claims it may run on another node.
 */
public class Outbox {

    public static final String PENDING = "PENDING";

    /** The insert of a message up to its values, which each insert gives in this order. */
    private static final String MESSAGE_COLUMNS = "INSERT INTO outbox_message (idempotency_key, destination, tenant_id,"
            + " source_event_id, payload, created_at, status, attempt_count, due_at)";

    private static final String INSERT_SQL = MESSAGE_COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, "
            + DatabaseClock.DUE_AT_ONCE + ") ON CONFLICT DO NOTHING";

    /**
     * A message owed only where another table has a row: its insert, which selects from that table, written once.
     * Make one with {@link #ifFound} and keep it in a constant.
     */
    public static final class IfFound {

        private final String insertSql;

        private IfFound(String insertSql) {
            this.insertSql = insertSql;
        }
    }

    /**
     * The message of {@link #enqueueAtCommitIfFound} for {@code source}: an SQL {@code FROM … WHERE …} with one
     * parameter, that finds at most one row. The casts type the parameters for the embedded database; they name no
     * length, so that a value too long for its column fails the insert, as in {@link #enqueue}, instead of being cut.
     */
    public static IfFound ifFound(String source) {
        return new IfFound(MESSAGE_COLUMNS + " SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
                + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR),"
                + " 0, " + DatabaseClock.DUE_AT_ONCE + " FROM " + source + " ON CONFLICT DO NOTHING");
    }

    /**
     * Sends a message again now, with a fresh retry cycle and the same idempotency key, if its status is one of
     * {@code fromStatuses} (never one being sent). Runs in the caller's transaction; true if it was re-queued.
     */
    public static boolean requeue(Connection connection, String idempotencyKey, String reason, Instant now,
                                  java.util.Set<String> fromStatuses) throws SQLException {
        String statuses = String.join(", ", java.util.Collections.nCopies(fromStatuses.size(), "?"));
        try (PreparedStatement update = connection.prepareStatement("UPDATE outbox_message SET status = 'RETRY_SCHEDULED',"
                + " due_at = " + DatabaseClock.DUE_AT_ONCE + ", cycle_attempts = 0, status_reason = ?"
                + " WHERE idempotency_key = ? AND status IN (" + statuses + ")")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, reason);
            update.setString(3, idempotencyKey);
            int at = 4;
            for (String status : fromStatuses) {
                update.setString(at++, status);
            }
            return update.executeUpdate() == 1;
        }
    }

    /**
     * Writes a message at the commit of the unit of work of {@code entityManager}, if {@code source} then finds a row
     * for {@code sourceParameter}. The database decides with the insert, so a message that depends on another
     * aggregate's row costs no read before it, and the unit sends its messages of one kind as one batch
     * ({@link DeferredWrites}). The message is as {@link #enqueue}'s: at most once per idempotency key.
     */
    public void enqueueAtCommitIfFound(EntityManager entityManager, IfFound source, String sourceParameter,
                                       String destination, String idempotencyKey, String tenantId,
                                       String sourceEventId, String jsonPayload, Instant now) {
        DeferredWrites.of(entityManager).write(source.insertSql, idempotencyKey, destination, tenantId, sourceEventId,
                jsonPayload, now, PENDING, now, sourceParameter);
    }

    /** Returns true if the message is new, false if a message with this key was written before. */
    public boolean enqueue(Connection connection, String destination, String idempotencyKey, String tenantId,
                           String sourceEventId, String jsonPayload, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            insert.setString(1, idempotencyKey);
            insert.setString(2, destination);
            insert.setString(3, tenantId);
            insert.setString(4, sourceEventId);
            insert.setString(5, jsonPayload);
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setString(7, PENDING);
            insert.setTimestamp(8, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        }
    }
}
