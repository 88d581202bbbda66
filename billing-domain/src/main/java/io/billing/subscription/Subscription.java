package io.billing.subscription;

import io.billing.platform.persistence.LockingReads;
import io.billing.stripe.objects.NewestSnapshot;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.tenant.TenantId;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The local copy of one Stripe subscription, as of the newest snapshot applied (see {@link SnapshotVersion}):
 * its tenant, customer, status, items, current period, trial and cancellation.
 *
 * <p>A snapshot replaces the state only if it is newer, and its items replace the items: an item that is
 * still there is updated in place, one that is gone is removed, a new one is added.
 *
 * <p>The periods its paid invoices cover ({@link PaidPeriod}) belong to the aggregate but are not a collection
 * here: they are written once per invoice, possibly before the subscription is known, and read by the
 * repository for many subscriptions at once ({@link SubscriptionRepository#latestPaidPeriodEnds}). Mapped as a
 * collection they would be loaded with every locked subscription, which the snapshot guard has no use for.
 */
@Entity
@Table(name = "subscription")
@NamedQuery(name = Subscription.OF_TENANT,
        query = "SELECT s FROM Subscription s WHERE s.tenant = :tenant ORDER BY s.id")
@NamedQuery(name = Subscription.OF_TENANT_IN_STATUSES,
        query = "SELECT s FROM Subscription s WHERE s.tenant = :tenant AND s.status IN :statuses ORDER BY s.id")
@NamedQuery(name = Subscription.LOCKED_BY_ID,
        query = "SELECT e FROM Subscription e WHERE e.id = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class Subscription extends NewestSnapshot<SubscriptionSnapshot> {

    /** One by its id, locked until the transaction ends ({@link LockingReads#lockedById}). */
    public static final String LOCKED_BY_ID = "Subscription.lockedById";

    static final String OF_TENANT = "Subscription.ofTenant";
    static final String OF_TENANT_IN_STATUSES = "Subscription.ofTenantInStatuses";

    /** Statuses in which a subscription grants access now. */
    public static final Set<String> LIVE = Set.of("active", "trialing", "past_due");

    /**
     * Statuses a subscription reaches only once it was live (its first invoice paid or its trial begun):
     * the live ones, and {@code unpaid} and {@code canceled} after them.
     */
    public static final Set<String> EVER_LIVE = Set.of("active", "trialing", "past_due", "unpaid", "canceled");

    @Id
    @Column(name = "subscription_id")
    private String id;

    @Column(name = "tenant_id", nullable = false)
    private TenantId tenant;

    @Column(name = "customer_id")
    private String customerId;

    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "current_period_start")
    private Instant currentPeriodStart;

    @Column(name = "current_period_end")
    private Instant currentPeriodEnd;

    @Column(name = "trial_end")
    private Instant trialEnd;

    @Column(name = "cancel_at_period_end", nullable = false)
    private boolean cancelAtPeriodEnd;

    @Column(name = "canceled_at")
    private Instant canceledAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "order_id")
    private String orderId;

    @OneToMany(mappedBy = "subscription", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("itemId")
    private List<SubscriptionItem> items = new ArrayList<>();

    /** For the persistence provider. */
    protected Subscription() {
    }

    private Subscription(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a subscription has an id");
        }
        this.id = id;
    }

    /** A subscription first known from this snapshot. */
    public static Subscription of(String id, SubscriptionSnapshot snapshot, SnapshotVersion version) {
        Subscription subscription = new Subscription(id);
        subscription.first(snapshot, version);
        return subscription;
    }

    @Override
    protected void take(SubscriptionSnapshot snapshot) {
        this.tenant = snapshot.tenant();
        this.customerId = snapshot.customerId();
        this.status = snapshot.status();
        this.currentPeriodStart = snapshot.currentPeriod() == null ? null : snapshot.currentPeriod().start();
        this.currentPeriodEnd = snapshot.currentPeriod() == null ? null : snapshot.currentPeriod().end();
        this.trialEnd = snapshot.trialEnd();
        this.cancelAtPeriodEnd = snapshot.cancelAtPeriodEnd();
        this.canceledAt = snapshot.canceledAt();
        this.endedAt = snapshot.endedAt();
        this.orderId = snapshot.orderId();
        replaceItems(snapshot.items());
    }

    /** Updates the items that stay (an unchanged one costs no statement), removes the ones gone, adds the new. */
    private void replaceItems(List<SubscriptionSnapshot.Item> newItems) {
        Map<String, SubscriptionSnapshot.Item> wanted = new LinkedHashMap<>();
        newItems.forEach(item -> wanted.put(item.itemId(), item));
        items.removeIf(item -> !wanted.containsKey(item.itemId()));
        for (SubscriptionItem item : items) {
            item.update(tenant, wanted.remove(item.itemId()));
        }
        for (SubscriptionSnapshot.Item item : wanted.values()) {
            items.add(new SubscriptionItem(this, tenant, item));
        }
    }

    public String id() {
        return id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public String customerId() {
        return customerId;
    }

    public String status() {
        return status;
    }

    /** Whether it grants access now ({@link #LIVE}). */
    public boolean isLive() {
        return LIVE.contains(status);
    }

    public Instant currentPeriodStart() {
        return currentPeriodStart;
    }

    public Instant currentPeriodEnd() {
        return currentPeriodEnd;
    }

    public Instant trialEnd() {
        return trialEnd;
    }

    public boolean cancelAtPeriodEnd() {
        return cancelAtPeriodEnd;
    }

    public Instant canceledAt() {
        return canceledAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public String orderId() {
        return orderId;
    }

    /** The items, by item id. */
    public List<SubscriptionItem> items() {
        return items.stream().sorted(Comparator.comparing(SubscriptionItem::itemId)).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Subscription that && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
