package io.billing.entitlement;

import io.billing.platform.persistence.LockingReads;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.objects.SnapshotVersionColumns;
import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The newest entitlement summary Stripe sent for a customer: the lookup keys of the features Stripe's own
 * Entitlements product says are active. The summary has no id of its own, so the customer is its key. A
 * summary replaces the stored one only if it is newer (see {@link SnapshotVersion}).
 */
@Entity
@Table(name = "entitlement_summary")
@NamedQuery(name = EntitlementSummary.OF_TENANT,
        query = "SELECT e FROM EntitlementSummary e WHERE e.tenant = :tenant ORDER BY e.customerId")
@NamedQuery(name = EntitlementSummary.LOCKED_BY_ID,
        query = "SELECT e FROM EntitlementSummary e WHERE e.customerId = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class EntitlementSummary {

    /** One by its id, locked until the transaction ends ({@link LockingReads#lockedById}). */
    public static final String LOCKED_BY_ID = "EntitlementSummary.lockedById";

    static final String OF_TENANT = "EntitlementSummary.ofTenant";

    /** The column holds the keys joined by this; a lookup key never contains one. */
    private static final String SEPARATOR = ",";
    private static final int MAX_FEATURES_LENGTH = 4000;

    @Id
    @Column(name = "customer_id")
    private String customerId;

    @Column(name = "tenant_id", nullable = false)
    private TenantId tenant;

    @Column(name = "features", nullable = false, length = MAX_FEATURES_LENGTH)
    private String features;

    @Embedded
    private SnapshotVersionColumns version;

    /** For the persistence provider. */
    protected EntitlementSummary() {
    }

    private EntitlementSummary(String customerId) {
        if (customerId == null || customerId.isBlank()) {
            throw new IllegalArgumentException("an entitlement summary names its customer");
        }
        this.customerId = customerId;
    }

    /** A customer's first summary. */
    public static EntitlementSummary of(String customerId, TenantId tenant, Collection<String> features,
                                        SnapshotVersion version) {
        EntitlementSummary summary = new EntitlementSummary(customerId);
        summary.apply(tenant, features, version);
        return summary;
    }

    /** Applies the summary if it is newer than the one held; returns whether it was. */
    public boolean replaceIfNewer(TenantId tenant, Collection<String> features, SnapshotVersion version) {
        if (!this.version.isReplacedBy(version)) {
            return false;
        }
        apply(tenant, features, version);
        return true;
    }

    private void apply(TenantId tenant, Collection<String> features, SnapshotVersion version) {
        String joined = String.join(SEPARATOR, new TreeSet<>(features));
        if (joined.length() > MAX_FEATURES_LENGTH) {
            throw new IllegalArgumentException("the features of " + customerId + "'s summary exceed "
                    + MAX_FEATURES_LENGTH + " characters");
        }
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.features = joined;
        this.version = SnapshotVersionColumns.of(version);
    }

    public String customerId() {
        return customerId;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The lookup keys of the active features, sorted. */
    public List<String> features() {
        return Arrays.stream(features.split(SEPARATOR)).filter(feature -> !feature.isBlank()).toList();
    }

    /** When Stripe made the summary. */
    public Instant madeAt() {
        return version.version().created();
    }
}
