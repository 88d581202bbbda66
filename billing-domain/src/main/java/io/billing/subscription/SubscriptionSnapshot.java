package io.billing.subscription;

import io.billing.stripe.view.Period;
import io.billing.stripe.view.SubscriptionItemView;
import io.billing.stripe.view.SubscriptionView;
import io.billing.tenant.TenantId;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one Stripe snapshot says of a subscription, as the service keeps it: tenant, customer, status, items,
 * the current period, trial end, cancellation fields and the order id from the metadata.
 *
 * @param currentPeriod null when the snapshot names none
 */
public record SubscriptionSnapshot(TenantId tenant, String customerId, String status, Period currentPeriod,
                                   Instant trialEnd, boolean cancelAtPeriodEnd, Instant canceledAt, Instant endedAt,
                                   String orderId, List<Item> items) {

    /** One item: its price, product and quantity (null for metered prices). */
    public record Item(String itemId, String priceId, String productId, Long quantity) {

        public Item {
            Objects.requireNonNull(itemId, "subscription item id");
        }
    }

    public SubscriptionSnapshot {
        Objects.requireNonNull(tenant, "tenant");
        if (status == null || status.isBlank()) {
            throw new IllegalArgumentException("a subscription snapshot has a status");
        }
        items = List.copyOf(items);
        Set<String> ids = new HashSet<>();
        for (Item item : items) {
            if (!ids.add(item.itemId())) {
                throw new IllegalArgumentException("subscription item " + item.itemId() + " appears twice");
            }
        }
    }

    /**
     * The snapshot an event carries. The current period is the span of the items' periods where the API
     * version keeps it on the items, else the subscription's own (see {@link SubscriptionView#currentPeriod()}).
     */
    public static SubscriptionSnapshot of(SubscriptionView subscription, TenantId tenant, String customerId) {
        List<Item> items = subscription.items().stream().map(SubscriptionSnapshot::item).toList();
        return new SubscriptionSnapshot(tenant, customerId, subscription.status(), subscription.currentPeriod(),
                subscription.trialEnd(), subscription.cancelAtPeriodEnd(), subscription.canceledAt(),
                subscription.endedAt(), subscription.metadata("order_id"), items);
    }

    private static Item item(SubscriptionItemView item) {
        return new Item(item.id(), item.price(), item.product(), item.quantity());
    }
}
