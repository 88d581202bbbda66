package io.billing.reconciliation;

import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ReconciliationRecords} on the persistence context of a unit of work. */
final class JpaReconciliationRecords implements ReconciliationRecords {

    /**
     * Plain SQL: {@code ON CONFLICT DO NOTHING} makes the link idempotent in one statement (an event run again
     * links again), where JPA would first have to read whether the event is linked: one more round trip per event.
     */
    private static final String LINK_SQL =
            "INSERT INTO reconciliation_event (payment_key, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING";

    private final EntityManager entityManager;

    JpaReconciliationRecords(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<ReconciliationRecord> find(TenantId tenant, String paymentKey) {
        // By primary key, so that the persistence context answers for a payment an earlier event of the batch
        // touched (and PostgreSQL keeps an index scan for it, however small the table was when it planned it);
        // the tenant is checked on the record found.
        return Optional.ofNullable(entityManager.find(ReconciliationRecord.class, paymentKey))
                .filter(record -> record.tenant().equals(tenant));
    }

    @Override
    public Optional<ReconciliationRecord> lock(TenantId tenant, String paymentKey) {
        return entityManager.createNamedQuery(ReconciliationRecord.BY_TENANT_AND_KEY, ReconciliationRecord.class)
                .setParameter("tenant", tenant)
                .setParameter("paymentKey", paymentKey)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    @Override
    public ReconciliationRecord add(ReconciliationRecord record) {
        entityManager.persist(record);
        return record;
    }

    @Override
    public void linkEvent(String paymentKey, String eventId) {
        entityManager.createNativeQuery(LINK_SQL)
                .setParameter(1, paymentKey)
                .setParameter(2, eventId)
                .executeUpdate();
    }

    @Override
    public Optional<ReconciliationRecord> lockAcrossTenants(String paymentKey) {
        return Optional.ofNullable(entityManager.find(ReconciliationRecord.class, paymentKey,
                LockModeType.PESSIMISTIC_WRITE));
    }

    @Override
    public List<ReconciliationRecord> ofStripeObjectsAcrossTenants(Collection<String> stripeIds) {
        if (stripeIds.isEmpty()) {
            return List.of();
        }
        List<ReconciliationRecord> records = entityManager
                .createNamedQuery(ReconciliationRecord.OF_STRIPE_OBJECTS, ReconciliationRecord.class)
                .setParameter("ids", stripeIds)
                .getResultList();
        records.forEach(ReconciliationRecord::eventIds); // read while the persistence context is open
        return records;
    }

    @Override
    public List<ReconciliationRecord> withStoreCheckAcrossTenants(Set<StoreCheck> checks, int limit) {
        if (checks.isEmpty()) {
            return List.of();
        }
        return entityManager.createNamedQuery(ReconciliationRecord.WITH_STORE_CHECK, ReconciliationRecord.class)
                .setParameter("checks", checks)
                .setMaxResults(limit)
                .getResultList();
    }
}
