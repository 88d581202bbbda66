package io.billing.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reading the audit log: newest first, optionally only entries whose actor, action or target match a term. */
public class AuditQueries {

    /** One audit entry. */
    public record Entry(long id, Instant at, String actor, String action, String targetType, String targetId,
                        String before, String after, String reason) {
    }

    private final DataSource dataSource;

    public AuditQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @param term matched exactly against actor, action and target id; null or blank for everything */
    public List<Entry> search(String term, int limit) throws SQLException {
        boolean filtered = term != null && !term.isBlank();
        String sql = "SELECT audit_id, at, actor, action, target_type, target_id, before_value, after_value, reason"
                + " FROM audit_log" + (filtered ? " WHERE actor = ? OR action = ? OR target_id = ?" : "")
                + " ORDER BY audit_id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int at = 1;
            if (filtered) {
                String value = term.trim();
                query.setString(at++, value);
                query.setString(at++, value.toUpperCase(java.util.Locale.ROOT));
                query.setString(at++, value);
            }
            query.setInt(at, limit);
            try (ResultSet rows = query.executeQuery()) {
                List<Entry> entries = new ArrayList<>();
                while (rows.next()) {
                    entries.add(new Entry(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getString(8), rows.getString(9)));
                }
                return entries;
            }
        }
    }
}
