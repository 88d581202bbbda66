package io.billing.notification;

import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;

/** {@link RegisteredCallbacks} on the persistence context of a unit of work. */
final class JpaRegisteredCallbacks implements RegisteredCallbacks {

    private final EntityManager entityManager;

    JpaRegisteredCallbacks(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<TenantCallback> find(TenantId tenant) {
        return Optional.ofNullable(entityManager.find(TenantCallback.class, tenant.value()));
    }

    @Override
    public Optional<TenantCallback> lock(TenantId tenant) {
        return Optional.ofNullable(entityManager.find(TenantCallback.class, tenant.value(),
                LockModeType.PESSIMISTIC_WRITE));
    }

    @Override
    public List<TenantCallback> lockAll() {
        return entityManager.createQuery("SELECT c FROM TenantCallback c ORDER BY c.tenantId", TenantCallback.class)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
    }

    @Override
    public void add(TenantCallback callback) {
        entityManager.persist(callback);
    }

    @Override
    public void remove(TenantCallback callback) {
        entityManager.remove(callback);
    }
}
