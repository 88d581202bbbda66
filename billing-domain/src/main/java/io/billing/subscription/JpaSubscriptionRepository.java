package io.billing.subscription;

import io.billing.platform.persistence.DeferredWrites;
import io.billing.platform.persistence.LockingReads;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link SubscriptionRepository} on the persistence unit. The lists load the items of all their subscriptions in
 * one further query, by subscription id ({@code IN}, on the primary key), rather than one query per
 * subscription.
 */
public class JpaSubscriptionRepository implements SubscriptionRepository {

    /** EclipseLink's query hints (the provider is not a compile-time dependency). */
    private static final String BATCH = "eclipselink.batch";
    private static final String BATCH_TYPE = "eclipselink.batch.type";

    private final EntityManager entityManager;

    public JpaSubscriptionRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<Subscription> findForUpdate(String subscriptionId) {
        return LockingReads.lockedById(entityManager, Subscription.LOCKED_BY_ID, Subscription.class, subscriptionId);
    }

    @Override
    public void add(Subscription subscription) {
        entityManager.persist(subscription);
    }

    @Override
    public void recordPaidPeriod(PaidPeriod period) {
        DeferredWrites.of(entityManager).write(PaidPeriod.RECORD_ONCE_SQL, period.subscriptionId(),
                period.invoiceId(), period.tenant().value(), period.periodEnd());
    }

    @Override
    public List<Subscription> ofTenant(TenantId tenant) {
        return withItems(entityManager.createNamedQuery(Subscription.OF_TENANT, Subscription.class)
                .setParameter("tenant", tenant)).getResultList();
    }

    @Override
    public List<Subscription> ofTenantInStatuses(TenantId tenant, Set<String> statuses) {
        return withItems(entityManager.createNamedQuery(Subscription.OF_TENANT_IN_STATUSES, Subscription.class)
                .setParameter("tenant", tenant)
                .setParameter("statuses", statuses))
                .getResultList();
    }

    @Override
    public Map<String, Instant> latestPaidPeriodEnds(TenantId tenant, Collection<String> subscriptionIds) {
        Map<String, Instant> ends = new HashMap<>();
        if (subscriptionIds.isEmpty()) {
            return ends;
        }
        // A subscription has one row per paid invoice, a dozen a year: the latest is picked here rather than
        // by MAX in the query, whose result would bypass the Instant column's converter.
        for (PaidPeriod period : entityManager.createNamedQuery(PaidPeriod.OF_SUBSCRIPTIONS, PaidPeriod.class)
                .setParameter("tenant", tenant)
                .setParameter("subscriptions", subscriptionIds)
                .getResultList()) {
            ends.merge(period.subscriptionId(), period.periodEnd(), (a, b) -> a.isAfter(b) ? a : b);
        }
        return ends;
    }

    private static TypedQuery<Subscription> withItems(TypedQuery<Subscription> query) {
        return query.setHint(BATCH_TYPE, "IN").setHint(BATCH, "s.items");
    }
}
