package io.billing.audit;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Reading the audit log: newest first, a page at a time, optionally only entries whose actor, action or target match a term. */
public class AuditQueries {

    /** One audit entry. */
    public record Entry(long id, Instant at, String actor, String action, String targetType, String targetId,
                        String before, String after, String reason) {
    }

    private final DataAccess data;

    public AuditQueries(DataAccess data) {
        this.data = data;
    }

    /**
     * @param term      matched exactly against actor, action and target id; null or blank for everything
     * @param olderThan the id of the last entry of the page before, or null for the newest page
     */
    public List<Entry> search(String term, Long olderThan, int limit) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaAuditLog(entityManager)
                .newestFirst(term, olderThan, limit).stream().map(AuditQueries::entry).toList());
    }

    private static Entry entry(AuditEntry e) {
        return new Entry(e.id(), e.at(), e.actor(), e.action(), e.targetType(), e.targetId(), e.before(), e.after(),
                e.reason());
    }
}
