package io.billing.subscription;

import io.billing.tenant.TenantId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The subscriptions the service keeps, with their items and paid periods ({@link JpaSubscriptionRepository}). */
public interface SubscriptionRepository {

    /**
     * The subscription with this Stripe id, locked until the transaction ends, or empty if it is not known
     * yet. The snapshot guard's read: two workers applying snapshots of one subscription serialise on the
     * lock, so the newer snapshot wins whatever the order. By id alone, not by tenant: a Stripe id is unique
     * across tenants, and the newer snapshot is what decides the tenant.
     */
    Optional<Subscription> findForUpdate(String subscriptionId);

    /**
     * Adds a subscription first seen. Two workers adding the same one at once: the second fails on the
     * primary key when the first commits, and the engine runs its event again, which then finds it.
     */
    void add(Subscription subscription);

    /**
     * Records the period a paid invoice covers, once per subscription and invoice (a second record of it changes
     * nothing). The subscription need not be known yet. Written when the unit of work commits, with its other
     * batched rows: nothing in the same transaction reads it back.
     */
    void recordPaidPeriod(PaidPeriod period);

    /** The tenant's subscriptions by id, with their items. */
    List<Subscription> ofTenant(TenantId tenant);

    /** The tenant's subscriptions in these statuses, by id, with their items. */
    List<Subscription> ofTenantInStatuses(TenantId tenant, Set<String> statuses);

    /**
     * The end of the latest period a paid invoice covers, for each of these subscriptions of the tenant that
     * has a paid invoice.
     */
    Map<String, Instant> latestPaidPeriodEnds(TenantId tenant, Collection<String> subscriptionIds);
}
