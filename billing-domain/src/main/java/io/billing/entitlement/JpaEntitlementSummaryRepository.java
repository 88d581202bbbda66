package io.billing.entitlement;

import io.billing.platform.persistence.LockingReads;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/** {@link EntitlementSummaryRepository} on the persistence unit. */
public class JpaEntitlementSummaryRepository implements EntitlementSummaryRepository {

    private final EntityManager entityManager;

    public JpaEntitlementSummaryRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<EntitlementSummary> findForUpdate(String customerId) {
        return LockingReads.lockedById(entityManager, EntitlementSummary.LOCKED_BY_ID, EntitlementSummary.class,
                customerId);
    }

    @Override
    public void add(EntitlementSummary summary) {
        entityManager.persist(summary);
    }

    @Override
    public List<EntitlementSummary> ofTenant(TenantId tenant) {
        return entityManager.createNamedQuery(EntitlementSummary.OF_TENANT, EntitlementSummary.class)
                .setParameter("tenant", tenant)
                .getResultList();
    }
}
