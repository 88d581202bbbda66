package io.billing.checkout;

import io.billing.platform.persistence.LockingReads;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link CheckoutAttempts} on the persistence context of a unit of work. */
final class JpaCheckoutAttempts implements CheckoutAttempts {

    /**
     * Plain SQL: two requests for one order may add its attempt at once, and {@code ON CONFLICT DO NOTHING} on
     * (tenant_id, order_id) lets the second find the first's without failing its transaction, which a persisted
     * entity's constraint violation would.
     */
    private static final String ADD_UNLESS_ORDERED_SQL = """
            INSERT INTO checkout_attempt (attempt_id, tenant_id, order_id, price_id, quantity, mode, status, created_at,
                                          updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private final EntityManager entityManager;

    JpaCheckoutAttempts(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public CheckoutAttempt addOrFindForOrder(CheckoutAttempt candidate) {
        entityManager.createNativeQuery(ADD_UNLESS_ORDERED_SQL)
                .setParameter(1, candidate.attemptId())
                .setParameter(2, candidate.tenant().value())
                .setParameter(3, candidate.orderId())
                .setParameter(4, candidate.priceId())
                .setParameter(5, candidate.quantity())
                .setParameter(6, candidate.mode().name())
                .setParameter(7, candidate.status().name())
                .setParameter(8, Timestamp.from(candidate.createdAt()))
                .setParameter(9, Timestamp.from(candidate.updatedAt()))
                .executeUpdate();
        return findByOrder(candidate.tenant(), candidate.orderId()).orElseThrow(() -> new IllegalStateException(
                "the attempt of order " + candidate.orderId() + " vanished after it was added"));
    }

    @Override
    public Optional<CheckoutAttempt> findByOrder(TenantId tenant, String orderId) {
        return entityManager.createNamedQuery(CheckoutAttempt.BY_ORDER, CheckoutAttempt.class)
                .setParameter("tenant", tenant)
                .setParameter("orderId", orderId)
                .getResultStream().findFirst();
    }

    @Override
    public Optional<CheckoutAttempt> find(TenantId tenant, String attemptId) {
        return Optional.ofNullable(entityManager.find(CheckoutAttempt.class, attemptId))
                .filter(attempt -> attempt.tenant().equals(tenant));
    }

    @Override
    public List<CheckoutAttempt> findByIdsOrOrders(TenantId tenant, Collection<String> attemptIds,
                                                   Collection<String> orderIds) {
        // Two queries rather than one with an OR: an empty list cannot be bound to IN, and each is served by an index.
        List<CheckoutAttempt> found = new ArrayList<>();
        if (!attemptIds.isEmpty()) {
            found.addAll(entityManager.createNamedQuery(CheckoutAttempt.BY_IDS, CheckoutAttempt.class)
                    .setParameter("tenant", tenant).setParameter("attemptIds", List.copyOf(attemptIds))
                    .getResultList());
        }
        if (!orderIds.isEmpty()) {
            entityManager.createNamedQuery(CheckoutAttempt.BY_ORDERS, CheckoutAttempt.class)
                    .setParameter("tenant", tenant).setParameter("orderIds", List.copyOf(orderIds))
                    .getResultList().stream().filter(attempt -> !found.contains(attempt)).forEach(found::add);
        }
        return found;
    }

    @Override
    public Optional<CheckoutAttempt> findForUpdate(TenantId tenant, String attemptId) {
        return LockingReads.lockedById(entityManager, CheckoutAttempt.LOCKED_BY_ID, CheckoutAttempt.class, attemptId)
                .filter(attempt -> attempt.tenant().equals(tenant));
    }
}
