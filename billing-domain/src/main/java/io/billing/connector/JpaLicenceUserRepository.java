package io.billing.connector;

import io.billing.platform.persistence.LockingReads;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/** {@link LicenceUserRepository} on a persistence context. */
public final class JpaLicenceUserRepository implements LicenceUserRepository {

    private final EntityManager entityManager;

    public JpaLicenceUserRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<LicenceUser> findForUpdate(TenantId tenant, String customerId) {
        // By primary key alone; the tenant is checked on the row found.
        return LockingReads.lockedById(entityManager, LicenceUser.LOCKED_BY_ID, LicenceUser.class, customerId)
                .filter(user -> user.tenant().equals(tenant));
    }

    @Override
    public boolean exists(String customerId) {
        return entityManager.find(LicenceUser.class, customerId) != null;
    }

    @Override
    public Optional<LicenceUser> find(TenantId tenant, String customerId) {
        return Optional.ofNullable(entityManager.find(LicenceUser.class, customerId))
                .filter(user -> user.tenant().equals(tenant));
    }

    @Override
    public void add(LicenceUser user) {
        entityManager.persist(user);
    }

    @Override
    public List<LicenceUser> ofTenant(TenantId tenant) {
        return entityManager.createNamedQuery(LicenceUser.OF_TENANT, LicenceUser.class)
                .setParameter("tenant", tenant).getResultList();
    }
}
