package io.billing.notification;

import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/** The tenants' registered callbacks in one unit of work, each found by its tenant. */
public interface RegisteredCallbacks {

    /** The callbacks of the unit of work whose persistence context this is. */
    static RegisteredCallbacks of(EntityManager entityManager) {
        return new JpaRegisteredCallbacks(entityManager);
    }

    Optional<TenantCallback> find(TenantId tenant);

    /** The tenant's callback, locked until this unit of work ends: for an operator's change of it. */
    Optional<TenantCallback> lock(TenantId tenant);

    /** Every tenant's callback, locked until this unit of work ends: to store their secrets anew. */
    List<TenantCallback> lockAll();

    void add(TenantCallback callback);

    void remove(TenantCallback callback);
}
