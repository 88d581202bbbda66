package io.billing.audit;

import io.billing.platform.persistence.DeferredWrites;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The audit log on the persistence unit. Entries are read as entities. Its search is a Criteria query because
 * its two conditions are each optional; each condition is served by an index ending in the id
 * ({@code ix_audit_log_actor}, {@code ix_audit_log_action}, {@code ix_audit_log_target_id}), and pages go by
 * the id, never by offset.
 *
 * <p>Entries are appended with SQL ({@link AuditLog#INSERT_SQL}, which says why), in the order they are appended,
 * and commit with the transaction. In a unit of work they are sent with its other batched rows when it commits
 * ({@link DeferredWrites}): nothing in the transaction reads its own entries back, and an event that learns a
 * mapping saves a round trip.
 */
public class JpaAuditLog implements AuditLog {

    private final EntityManager entityManager;

    public JpaAuditLog(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public void append(AuditEntry entry) {
        if (entityManager.unwrap(Connection.class) == null) {
            throw new IllegalStateException("appending to the audit log needs a transaction");
        }
        DeferredWrites.of(entityManager).write(INSERT_SQL, entry.at(), entry.actor(), entry.action(),
                entry.targetType(), entry.targetId(), entry.before(), entry.after(), entry.reason());
    }

    @Override
    public List<AuditEntry> newestFirst(String term, Long olderThan, int limit) {
        CriteriaBuilder criteria = entityManager.getCriteriaBuilder();
        CriteriaQuery<AuditEntry> query = criteria.createQuery(AuditEntry.class);
        Root<AuditEntry> entry = query.from(AuditEntry.class);
        List<Predicate> conditions = new ArrayList<>();
        if (term != null && !term.isBlank()) {
            String value = term.trim();
            conditions.add(criteria.or(criteria.equal(entry.get("actor"), value),
                    criteria.equal(entry.get("action"), value.toUpperCase(Locale.ROOT)),
                    criteria.equal(entry.get("targetId"), value)));
        }
        if (olderThan != null) {
            conditions.add(criteria.lessThan(entry.get("id"), olderThan));
        }
        query.select(entry).where(conditions.toArray(Predicate[]::new)).orderBy(criteria.desc(entry.get("id")));
        return entityManager.createQuery(query).setMaxResults(limit).getResultList();
    }
}
