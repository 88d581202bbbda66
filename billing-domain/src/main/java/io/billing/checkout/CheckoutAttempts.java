package io.billing.checkout;

import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The checkout attempts of one unit of work, each read with its tenant: another tenant's is never found. */
public interface CheckoutAttempts {

    /** The attempts of the unit of work whose persistence context this is. */
    static CheckoutAttempts of(EntityManager entityManager) {
        return new JpaCheckoutAttempts(entityManager);
    }

    /**
     * The attempt of the candidate's tenant and order: the candidate, added now, or the one an earlier or a
     * concurrent request added, whose terms may differ from the candidate's.
     */
    CheckoutAttempt addOrFindForOrder(CheckoutAttempt candidate);

    Optional<CheckoutAttempt> findByOrder(TenantId tenant, String orderId);

    Optional<CheckoutAttempt> find(TenantId tenant, String attemptId);

    /**
     * The tenant's attempts that have one of {@code attemptIds} or are for one of {@code orderIds}, in at most two
     * queries: for a view of many payments at once, which would otherwise ask twice per payment.
     */
    List<CheckoutAttempt> findByIdsOrOrders(TenantId tenant, Collection<String> attemptIds,
                                            Collection<String> orderIds);

    /** The tenant's attempt, read under a row lock until the transaction ends. */
    Optional<CheckoutAttempt> findForUpdate(TenantId tenant, String attemptId);
}
