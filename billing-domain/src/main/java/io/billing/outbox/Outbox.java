package io.billing.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The write side of the outbox: a message is stored in the caller's transaction, so it exists if and
 * only if the change that caused it committed. The idempotency key is the primary key: writing the same
 * message again (a re-run event) is a no-op, and the receiver gets the key to drop a repeated delivery.
 */
public class Outbox {

    public static final String PENDING = "PENDING";

    private static final String INSERT_SQL = """
            INSERT INTO outbox_message (idempotency_key, destination, tenant_id, source_event_id, payload, created_at,
                                        status, attempt_count, due_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
            ON CONFLICT DO NOTHING""";

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
