package io.billing.reconciliation;

import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
    /**
     * Plain SQL: events of one payment arrive through different Stripe objects (the invoice, its payment intent,
     * the charge, the Checkout Session), so two workers may open its record at once; {@code ON CONFLICT DO
     * NOTHING} lets the second find the first's instead of failing its whole batch on the key.
     */
    private static final String OPEN_SQL = """
            INSERT INTO reconciliation_record (payment_key, tenant_id, status, status_rank, first_received_at,
                                               updated_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

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
    public ReconciliationRecord openLocked(TenantId tenant, String paymentKey, Instant receivedAt, Instant now) {
        ReconciliationRecord open = ReconciliationRecord.open(paymentKey, tenant, receivedAt, now);
        // On the unit's connection rather than as a native query: EclipseLink flushes and compares the whole
        // persistence context before each native statement.
        try (PreparedStatement insert = connection().prepareStatement(OPEN_SQL)) {
            insert.setString(1, open.paymentKey());
            insert.setString(2, tenant.value());
            insert.setString(3, open.status().name());
            insert.setInt(4, open.status().rank());
            insert.setTimestamp(5, Timestamp.from(receivedAt));
            insert.setTimestamp(6, Timestamp.from(now));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("opening the reconciliation record " + paymentKey, e);
        }
        // Read and locked in one statement. Not a locking find: EclipseLink's (like any refreshing read) also
        // reads every linked event id. Nothing of this unit of work waits to be flushed that the read could miss
        // (the engine flushes after each handler), so the query need not flush the persistence context first.
        // A copy this unit of work already holds is kept as it is; if another transaction changed the row since,
        // the version check at the flush fails this unit of work rather than losing that change.
        ReconciliationRecord record = (ReconciliationRecord) entityManager
                .createNamedQuery(ReconciliationRecord.LOCKED_BY_KEY)
                .setParameter(1, paymentKey)
                .setFlushMode(FlushModeType.COMMIT)
                .getSingleResult();
        if (!record.tenant().equals(tenant)) {
            throw new IllegalStateException("the payment " + paymentKey + " is recorded for another tenant than "
                    + tenant.value() + "; its events are not merged into that tenant's record");
        }
        return record;
    }

    @Override
    public void linkEvent(String paymentKey, String eventId) {
        try (PreparedStatement link = connection().prepareStatement(LINK_SQL)) {
            link.setString(1, paymentKey);
            link.setString(2, eventId);
            link.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("linking the event " + eventId + " to " + paymentKey, e);
        }
    }

    /** The connection of the unit of work's transaction, where the persistence context writes too. */
    private Connection connection() {
        return entityManager.unwrap(Connection.class);
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
