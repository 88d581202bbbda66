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
 * A Stripe product of the merchant's catalogue, as of the newest snapshot applied (see
 * {@link SnapshotVersion}). The merchant's, shared by every tenant.
 */
@Entity
@Table(name = "catalogue_product")
@NamedQuery(name = CatalogueProduct.LOCKED_BY_ID,
        query = "SELECT e FROM CatalogueProduct e WHERE e.id = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class CatalogueProduct extends NewestSnapshot<CatalogueProduct.Snapshot> {

    /** One by its id, locked until the transaction ends ({@link LockingReads#lockedById}). */
    public static final String LOCKED_BY_ID = "CatalogueProduct.lockedById";

    /** What one snapshot says of a product. */
    public record Snapshot(String name, boolean active, boolean deleted, String planCode, boolean livemode) {
    }

    @Id
    @Column(name = "product_id")
    private String id;

    @Column(name = "name")
    private String name;

    @Column(name = "active", nullable = false)
    private boolean active;

    @Column(name = "deleted", nullable = false)
    private boolean deleted;

    @Column(name = "plan_code")
    private String planCode;

    @Column(name = "livemode", nullable = false)
    private boolean livemode;

    /** For the persistence provider. */
    protected CatalogueProduct() {
    }

    private CatalogueProduct(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a product has an id");
        }
        this.id = id;
    }

    /** A product first known from this snapshot. */
    public static CatalogueProduct of(String id, Snapshot snapshot, SnapshotVersion version) {
        CatalogueProduct product = new CatalogueProduct(id);
        product.first(snapshot, version);
        return product;
    }

    @Override
    protected void take(Snapshot snapshot) {
        this.name = snapshot.name();
        this.active = snapshot.active();
        this.deleted = snapshot.deleted();
        this.planCode = snapshot.planCode();
        this.livemode = snapshot.livemode();
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean active() {
        return active;
    }

    public boolean deleted() {
        return deleted;
    }

    /** The {@code plan_code} of the product's metadata, or null. */
    public String planCode() {
        return planCode;
    }

    public boolean livemode() {
        return livemode;
    }
}
