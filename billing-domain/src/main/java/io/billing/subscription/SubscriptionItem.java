package io.billing.subscription;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** One item of a {@link Subscription}: a price of a product, in a quantity. Part of the subscription's aggregate. */
@Entity
@Table(name = "subscription_item")
@IdClass(SubscriptionItem.Key.class)
public class SubscriptionItem {

    /** The item's primary key: its subscription's id and its own. */
    public static class Key implements Serializable {

        private String subscription;
        private String itemId;

        public Key() {
        }

        public Key(String subscription, String itemId) {
            this.subscription = subscription;
            this.itemId = itemId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Objects.equals(subscription, that.subscription)
                    && Objects.equals(itemId, that.itemId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subscription, itemId);
        }
    }

    @Id
    @ManyToOne(optional = false)
    @JoinColumn(name = "subscription_id")
    private Subscription subscription;

    @Id
    @Column(name = "item_id")
    private String itemId;

    @Column(name = "tenant_id", nullable = false)
    private TenantId tenant;

    @Column(name = "price_id")
    private String priceId;

    @Column(name = "product_id")
    private String productId;

    @Column(name = "quantity")
    private Long quantity;

    /** For the persistence provider. */
    protected SubscriptionItem() {
    }

    SubscriptionItem(Subscription subscription, TenantId tenant, SubscriptionSnapshot.Item item) {
        this.subscription = subscription;
        this.itemId = item.itemId();
        update(tenant, item);
    }

    void update(TenantId tenant, SubscriptionSnapshot.Item item) {
        this.tenant = tenant;
        this.priceId = item.priceId();
        this.productId = item.productId();
        this.quantity = item.quantity();
    }

    public String itemId() {
        return itemId;
    }

    public TenantId tenant() {
        return tenant;
    }

    public String priceId() {
        return priceId;
    }

    public String productId() {
        return productId;
    }

    /** Null for a metered price. */
    public Long quantity() {
        return quantity;
    }
}
