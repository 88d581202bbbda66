package io.billing.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The record of every manual action, as a repository of {@link AuditEntry entries}: appended in the
 * transaction of the action itself, so an action without its entry cannot exist, and never changed.
 *
 * <p>The audit log is the operators' record, not tenant data: it has no tenant column, and its readers are
 * staff, who see every entry.
 */
public interface AuditLog {

    /** Writes the entry with the caller's transaction. */
    void append(AuditEntry entry) throws SQLException;

    /**
     * Entries newest first.
     *
     * @param term      matched exactly against the actor, the action (in capitals) and the target id; null or
     *                  blank for every entry
     * @param olderThan only entries before this id (the last id of the previous page), or null for the newest
     */
    List<AuditEntry> newestFirst(String term, Long olderThan, int limit);

    /**
     * Appends an entry in a transaction that is a plain JDBC connection, without a persistence context: the
     * operator services over the inbox and outbox, which stay JDBC. The entry is checked as any other.
     */
    static void record(Connection connection, Instant at, String actor, String action, String targetType,
                       String targetId, String before, String after, String reason) throws SQLException {
        write(connection, new AuditEntry(at, actor, action, targetType, targetId, before, after, reason));
    }

    /**
     * The one statement every entry is written with, the repository's included. The database numbers the entry
     * (its identity column) and nothing reads the number back: JPA would, with one more round trip after each
     * insert and a statement this EclipseLink release sends to H2 in a form H2 2 no longer knows.
     */
    String INSERT_SQL = """
            INSERT INTO audit_log (at, actor, action, target_type, target_id, before_value, after_value, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    /** Writes the entry at once, with {@link #INSERT_SQL}. */
    static void write(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            insert.setTimestamp(1, Timestamp.from(entry.at()));
            insert.setString(2, entry.actor());
            insert.setString(3, entry.action());
            insert.setString(4, entry.targetType());
            insert.setString(5, entry.targetId());
            insert.setString(6, entry.before());
            insert.setString(7, entry.after());
            insert.setString(8, entry.reason());
            insert.executeUpdate();
        }
    }
}
