package io.billing.catalogue;

import io.billing.platform.persistence.LockingReads;
import io.billing.stripe.objects.NewestSnapshot;
import io.billing.stripe.objects.SnapshotVersion;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;

/**
 * A Stripe price of the merchant's catalogue, as of the newest snapshot applied (see {@link SnapshotVersion}).
 * Its own aggregate, not part of its product's: Stripe versions prices apart from products, and a price may
 * arrive before its product.
 */
@Entity
@Table(name = "catalogue_price")
@NamedQuery(name = CataloguePrice.ACTIVE_RECURRING_OF_PRODUCT, query = """
        SELECT p FROM CataloguePrice p
        WHERE p.productId = :product AND p.active = TRUE AND p.deleted = FALSE AND p.billingInterval IS NOT NULL
        ORDER BY p.id""")
@NamedQuery(name = CataloguePrice.ACTIVE_ONE_TIME_OF_PRODUCT, query = """
        SELECT p FROM CataloguePrice p
        WHERE p.productId = :product AND p.active = TRUE AND p.deleted = FALSE AND p.billingInterval IS NULL
        ORDER BY p.id""")
@NamedQuery(name = CataloguePrice.LOCKED_BY_ID,
        query = "SELECT e FROM CataloguePrice e WHERE e.id = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class CataloguePrice extends NewestSnapshot<CataloguePrice.Snapshot> {

    /** One by its id, locked until the transaction ends ({@link LockingReads#lockedById}). */
    public static final String LOCKED_BY_ID = "CataloguePrice.lockedById";

    static final String ACTIVE_RECURRING_OF_PRODUCT = "CataloguePrice.activeRecurringOfProduct";
    static final String ACTIVE_ONE_TIME_OF_PRODUCT = "CataloguePrice.activeOneTimeOfProduct";

    /**
     * What one snapshot says of a price.
     *
     * @param unitAmount      in the currency's minor units; null for a custom or tiered price
     * @param billingInterval {@code month}, {@code year} …; null for a one-time price
     */
    public record Snapshot(String productId, String currency, Long unitAmount, String billingInterval,
                           Integer intervalCount, boolean active, boolean deleted, boolean livemode) {
    }

    @Id
    @Column(name = "price_id")
    private String id;

    @Column(name = "product_id")
    private String productId;

    @Column(name = "currency", length = 3)
    private String currency;

    @Column(name = "unit_amount")
    private Long unitAmount;

    @Column(name = "billing_interval", length = 16)
    private String billingInterval;

    @Column(name = "interval_count")
    private Integer intervalCount;

    @Column(name = "active", nullable = false)
    private boolean active;

    @Column(name = "deleted", nullable = false)
    private boolean deleted;

    @Column(name = "livemode", nullable = false)
    private boolean livemode;

    /** For the persistence provider. */
    protected CataloguePrice() {
    }

    private CataloguePrice(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a price has an id");
        }
        this.id = id;
    }

    /** A price first known from this snapshot. */
    public static CataloguePrice of(String id, Snapshot snapshot, SnapshotVersion version) {
        CataloguePrice price = new CataloguePrice(id);
        price.first(snapshot, version);
        return price;
    }

    @Override
    protected void take(Snapshot snapshot) {
        this.productId = snapshot.productId();
        this.currency = snapshot.currency();
        this.unitAmount = snapshot.unitAmount();
        this.billingInterval = snapshot.billingInterval();
        this.intervalCount = snapshot.intervalCount();
        this.active = snapshot.active();
        this.deleted = snapshot.deleted();
        this.livemode = snapshot.livemode();
    }

    public String id() {
        return id;
    }

    public String productId() {
        return productId;
    }

    /** Stripe's lower-case ISO code, or null. */
    public String currency() {
        return currency;
    }

    public Long unitAmount() {
        return unitAmount;
    }

    public String billingInterval() {
        return billingInterval;
    }

    public Integer intervalCount() {
        return intervalCount;
    }

    public boolean active() {
        return active;
    }

    public boolean deleted() {
        return deleted;
    }

    public boolean livemode() {
        return livemode;
    }

    /** Whether the price may be sold: active and not deleted in Stripe. */
    public boolean offered() {
        return active && !deleted;
    }

    /** Whether the price recurs (a subscription's) rather than being paid once. */
    public boolean recurring() {
        return billingInterval != null;
    }
}
