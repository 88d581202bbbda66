package io.billing.reconciliation;

import io.billing.platform.persistence.Databases;
import io.billing.platform.persistence.DeferredWrites;
import io.billing.platform.persistence.LockingReads;
import io.billing.platform.persistence.StatementParameters;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import org.eclipse.persistence.sessions.UnitOfWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
    private static final String OPEN_SQL = "INSERT INTO reconciliation_record (" + ReconciliationRecord.OPENED_COLUMNS
            + ") VALUES (" + ReconciliationRecord.OPENED_PLACEHOLDERS + ") ON CONFLICT DO NOTHING";

    /**
     * Plain SQL, no read first: the engine writes a payment's history on every one of its events. Each state is added, or moved to an earlier time; the two databases say so
     * differently (PostgreSQL 14 has no MERGE, H2 no {@code ON CONFLICT … DO UPDATE}).
     */
    private static final String HISTORY_POSTGRESQL = """
            INSERT INTO reconciliation_history AS h (payment_key, state, reached_at, event_id) VALUES (?, ?, ?, ?)
            ON CONFLICT (payment_key, state) DO UPDATE
                SET reached_at = EXCLUDED.reached_at, event_id = EXCLUDED.event_id
            WHERE EXCLUDED.reached_at < h.reached_at
               OR (EXCLUDED.reached_at = h.reached_at AND EXCLUDED.event_id < h.event_id)""";
    private static final String HISTORY_H2 = """
            MERGE INTO reconciliation_history h USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(32)),
                    CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(255))))
                s (payment_key, state, reached_at, event_id)
            ON h.payment_key = s.payment_key AND h.state = s.state
            WHEN MATCHED AND (s.reached_at < h.reached_at
                              OR (s.reached_at = h.reached_at AND s.event_id < h.event_id)) THEN
                UPDATE SET reached_at = s.reached_at, event_id = s.event_id
            WHEN NOT MATCHED THEN
                INSERT (payment_key, state, reached_at, event_id)
                VALUES (s.payment_key, s.state, s.reached_at, s.event_id)""";

    /** A list query's limit when it has none. */
    private static final int UNLIMITED = -1;

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
                .getResultStream().findFirst();
    }

    /**
     * Read and locked first: most of a payment's events find its record. One that does not writes the record as the
     * change leaves it (the first event of a payment then costs no update of a row with a dozen indexes), unless
     * another transaction opens it meanwhile: then that one's record is read and locked once it has committed, and
     * the change made to it.
     */
    @Override
    public ReconciliationRecord openLocked(TenantId tenant, String paymentKey, Instant receivedAt, Instant now,
                                           Consumer<ReconciliationRecord> change) {
        Optional<ReconciliationRecord> found = lockedByKey(paymentKey);
        if (found.isEmpty()) {
            ReconciliationRecord open = ReconciliationRecord.open(paymentKey, tenant, receivedAt, now);
            change.accept(open);
            Optional<ReconciliationRecord> opened = opened(open);
            if (opened.isPresent()) {
                return opened.get();
            }
            found = lockedByKey(paymentKey);
        }
        ReconciliationRecord record = found.orElseThrow(() -> new IllegalStateException(
                "the reconciliation record " + paymentKey + " was neither found nor opened"));
        if (!record.tenant().equals(tenant)) {
            throw new IllegalStateException("the payment " + paymentKey + " is recorded for another tenant than "
                    + tenant.value() + "; its events are not merged into that tenant's record");
        }
        change.accept(record);
        return record;
    }

    /**
     * The record read and locked in one statement ({@code FOR UPDATE}, by the named query's hint). Not a locking
     * find: EclipseLink's (like any refreshing read) also reads every linked event id. Not a native query either: for
     * one, EclipseLink matches the result's columns to the entity's fields by name on every execution; for JPQL it
     * knows their order. Nothing of this unit of work waits to be flushed that the read could miss (the engine flushes
     * after each handler), so the query need not flush the persistence context first, and a copy the unit of work
     * already holds has nothing unflushed to lose. If another transaction changed the row since that copy was read,
     * either the copy is refreshed from the locked row or the version check at the flush fails this unit of work: that
     * change is never lost.
     */
    private Optional<ReconciliationRecord> lockedByKey(String paymentKey) {
        return LockingReads.lockedById(entityManager, ReconciliationRecord.LOCKED_BY_KEY, ReconciliationRecord.class,
                paymentKey);
    }

    /**
     * The new record written, and registered with the persistence context as the row it is; empty if it was there
     * already. Nothing is read back: the row holds exactly what the record holds (its version 0, no events linked
     * yet). Written on the unit's connection rather than as a native query, which EclipseLink would flush the
     * persistence context before; and not read back with {@code RETURNING *}, whose columns EclipseLink matches to the
     * entity's fields by name on every execution before it builds the record a second time.
     */
    private Optional<ReconciliationRecord> opened(ReconciliationRecord open) {
        try (PreparedStatement insert = connection().prepareStatement(OPEN_SQL)) {
            StatementParameters.bind(insert, open.openedValues());
            if (insert.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("opening the reconciliation record " + open.paymentKey(), e);
        }
        return Optional.of((ReconciliationRecord) entityManager.unwrap(UnitOfWork.class).registerExistingObject(open));
    }

    @Override
    public void linkEvent(String paymentKey, String eventId) {
        DeferredWrites.of(entityManager).write(LINK_SQL, paymentKey, eventId);
    }

    /**
     * One statement per state, all of them written with the unit of work's other batched rows at its commit (nothing
     * in the transaction reads the history back, and the record's lock, held to the commit, keeps another
     * transaction from writing the same payment's history in between).
     */
    @Override
    public void recordHistory(String paymentKey, Collection<PaymentState> states, Instant at, String eventId) {
        if (states.isEmpty()) {
            return;
        }
        String upsert = postgres() ? HISTORY_POSTGRESQL : HISTORY_H2;
        DeferredWrites.Writer writes = DeferredWrites.of(entityManager);
        for (PaymentState state : states) {
            writes.write(upsert, paymentKey, state.name(), at, eventId);
        }
    }

    private boolean postgres() {
        try {
            return Databases.isPostgres(connection());
        } catch (SQLException e) {
            throw new PersistenceException("could not tell the database", e);
        }
    }

    /** The connection of the unit of work's transaction, where the persistence context writes too. */
    private Connection connection() {
        return entityManager.unwrap(Connection.class);
    }

    @Override
    public Optional<ReconciliationRecord> lockAcrossTenants(String paymentKey) {
        return lockedByKey(paymentKey);
    }

    @Override
    public List<ReconciliationRecord> ofStripeObjectsAcrossTenants(Collection<String> stripeIds) {
        return list(ReconciliationRecord.OF_STRIPE_OBJECTS, "ids", stripeIds, UNLIMITED);
    }

    @Override
    public List<ReconciliationRecord> byReferenceAcrossTenants(String reference) {
        return loaded(listQuery(ReconciliationRecord.BY_REFERENCE)
                .setParameter("reference", reference)
                .getResultList());
    }

    @Override
    public List<ReconciliationRecord> ofCustomersAcrossTenants(Collection<String> customerIds, int limit) {
        return list(ReconciliationRecord.OF_CUSTOMERS, "customers", customerIds, limit);
    }

    @Override
    public List<ReconciliationRecord> ofSubscriptionsAcrossTenants(Collection<String> subscriptionIds, int limit) {
        return list(ReconciliationRecord.OF_SUBSCRIPTIONS, "subscriptions", subscriptionIds, limit);
    }

    @Override
    public List<ReconciliationRecord> ofEventsAcrossTenants(Collection<String> eventIds) {
        return list(ReconciliationRecord.OF_EVENTS, "events", eventIds, UNLIMITED);
    }

    @Override
    public List<ReconciliationRecord> byKeysAcrossTenants(Collection<String> paymentKeys) {
        return list(ReconciliationRecord.BY_KEYS, "keys", paymentKeys, UNLIMITED);
    }

    /** The records of a named query whose one parameter is a list of ids; none for no ids. */
    private List<ReconciliationRecord> list(String name, String parameter, Collection<String> ids, int limit) {
        if (ids.isEmpty()) {
            return List.of();
        }
        TypedQuery<ReconciliationRecord> query = listQuery(name).setParameter(parameter, ids);
        if (limit != UNLIMITED) {
            query.setMaxResults(limit);
        }
        return loaded(query.getResultList());
    }

    /**
     * A named query of a list of records whose event ids and history are read in one query each for all the records
     * (EclipseLink's batch reading, by the records' keys) rather than one query per record.
     */
    private TypedQuery<ReconciliationRecord> listQuery(String name) {
        return entityManager.createNamedQuery(name, ReconciliationRecord.class)
                .setHint("eclipselink.batch.type", "IN")
                .setHint("eclipselink.batch", "r.eventIds")
                .setHint("eclipselink.batch", "r.history");
    }

    /** The records with their event ids and history read while the persistence context is open. */
    private static List<ReconciliationRecord> loaded(List<ReconciliationRecord> records) {
        for (ReconciliationRecord record : records) {
            record.eventIds();
            record.history();
        }
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
