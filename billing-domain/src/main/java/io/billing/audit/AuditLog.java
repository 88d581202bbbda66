package io.billing.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The record of every manual action: who did what to which thing, when, why, and the value before and
 * after. Written in the transaction of the action itself, so an action without its audit row cannot
 * exist.
 */
public final class AuditLog {

    private static final String INSERT_SQL = """
            INSERT INTO audit_log (at, actor, action, target_type, target_id, before_value, after_value, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private AuditLog() {
    }

    public static void record(Connection connection, Instant at, String actor, String action, String targetType,
                              String targetId, String before, String after, String reason) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            insert.setTimestamp(1, Timestamp.from(at));
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, targetType);
            insert.setString(5, targetId);
            insert.setString(6, before);
            insert.setString(7, after);
            insert.setString(8, reason);
            insert.executeUpdate();
        }
    }
}
