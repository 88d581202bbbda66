package io.billing.reconciliation;

import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reconciliation records of one unit of work (the engine's batch, an operator's action, a read). A tenant's
 * records are read with its {@link TenantId}: another tenant's record is never found. Support and operators work
 * across tenants by nature (the payment trace starts from any Stripe id, the reconciliation exceptions are one
 * list for all tenants); the methods that serve them say so in their names.
 */
public interface ReconciliationRecords {

    /** The records of the unit of work whose persistence context this is. */
    static ReconciliationRecords of(EntityManager entityManager) {
        return new JpaReconciliationRecords(entityManager);
    }

    /** The tenant's record of a payment, from the persistence context if this unit of work has it already. */
    Optional<ReconciliationRecord> find(TenantId tenant, String paymentKey);

    /**
     * The tenant's record of a payment, locked until this unit of work ends: for writers outside the engine, so
     * that their change waits for a concurrent one instead of failing on it.
     */
    Optional<ReconciliationRecord> lock(TenantId tenant, String paymentKey);

    /**
     * The tenant's record of a payment, opened if there is none yet, locked until this unit of work ends, with
     * {@code change} made to it: for the engine, whose workers may reach one payment at once through its different
     * Stripe objects. The second waits for the first and merges into what it wrote, instead of failing on the key or
     * the version. A record opened here is written as the change leaves it, in the statement that opens it: the
     * first event of a payment costs no update of the record (a row with a dozen indexes).
     *
     * @param change what the event does to the record, made once: to the new record before it is written, or to
     *               the one found
     * @throws IllegalStateException if the payment is recorded for another tenant: its events are never merged
     */
    ReconciliationRecord openLocked(TenantId tenant, String paymentKey, Instant receivedAt, Instant now,
                                    Consumer<ReconciliationRecord> change);

    /** {@link #openLocked(TenantId, String, Instant, Instant, Consumer)} with no change: a new record is open. */
    default ReconciliationRecord openLocked(TenantId tenant, String paymentKey, Instant receivedAt, Instant now) {
        return openLocked(tenant, paymentKey, receivedAt, now, record -> { });
    }

    /** Links an event to a payment's record; linking it again (the event run again) changes nothing. */
    void linkEvent(String paymentKey, String eventId);

    /**
     * Adds states to a payment's history, each reached at {@code at} (Stripe's time of the event that reports them,
     * or the time of a store check) by {@code eventId} (null for a store check). A state already in the history keeps
     * the earlier of its time and this one (on the same time, the smaller event id), so however often and in
     * whatever order the events arrive, the history ends the same. The caller holds the record's lock.
     */
    void recordHistory(String paymentKey, Collection<PaymentState> states, Instant at, String eventId);

    /** A payment's record whatever its tenant, locked until this unit of work ends: for an operator's action. */
    Optional<ReconciliationRecord> lockAcrossTenants(String paymentKey);

    /**
     * Every record that has one of these Stripe ids as its invoice, payment intent, charge or Checkout Session,
     * whatever its tenant (the payment trace), first received first. The lists of records read across tenants come
     * with their event ids and history, readable after the unit of work ends.
     */
    List<ReconciliationRecord> ofStripeObjectsAcrossTenants(Collection<String> stripeIds);

    /**
     * Every record whose invoice number, internal order id, checkout attempt id or external store order id is
     * {@code reference}, whatever its tenant (the payment trace from what support is told), first received first.
     */
    List<ReconciliationRecord> byReferenceAcrossTenants(String reference);

    /** The customers' records, newest first, at most {@code limit}, whatever their tenant (the payment trace). */
    List<ReconciliationRecord> ofCustomersAcrossTenants(Collection<String> customerIds, int limit);

    /** The subscriptions' records, newest first, at most {@code limit}, whatever their tenant (the payment trace). */
    List<ReconciliationRecord> ofSubscriptionsAcrossTenants(Collection<String> subscriptionIds, int limit);

    /** The records these events are linked to, whatever their tenant (the payment trace of a refund, a dispute). */
    List<ReconciliationRecord> ofEventsAcrossTenants(Collection<String> eventIds);

    /** The records of these payment keys, whatever their tenant (the operator API). */
    List<ReconciliationRecord> byKeysAcrossTenants(Collection<String> paymentKeys);

    /** The records whose store check is one of these, most recently changed first, of every tenant (operators). */
    List<ReconciliationRecord> withStoreCheckAcrossTenants(Set<StoreCheck> checks, int limit);
}
