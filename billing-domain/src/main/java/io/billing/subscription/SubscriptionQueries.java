package io.billing.subscription;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.tenant.TenantId;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Operators' view of a tenant's subscriptions (the admin's tenant page and the operator API). */
public class SubscriptionQueries {

    /** One item of a subscription. */
    public record Item(String itemId, String priceId, String productId, Long quantity) {
    }

    /** A subscription as operators see it. */
    public record Summary(String subscriptionId, String customerId, String status, Instant currentPeriodStart,
                          Instant currentPeriodEnd, Instant trialEnd, boolean cancelAtPeriodEnd, Instant canceledAt,
                          String orderId, List<Item> items) {
    }

    private final DataAccess data;

    public SubscriptionQueries(DataAccess data) {
        this.data = data;
    }

    /** The tenant's subscriptions by id, each with its items by id. */
    public List<Summary> ofTenant(TenantId tenant) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaSubscriptionRepository(entityManager)
                .ofTenant(tenant).stream().map(SubscriptionQueries::summary).toList());
    }

    private static Summary summary(Subscription s) {
        List<Item> items = s.items().stream()
                .map(i -> new Item(i.itemId(), i.priceId(), i.productId(), i.quantity())).toList();
        return new Summary(s.id(), s.customerId(), s.status(), s.currentPeriodStart(), s.currentPeriodEnd(),
                s.trialEnd(), s.cancelAtPeriodEnd(), s.canceledAt(), s.orderId(), items);
    }
}
