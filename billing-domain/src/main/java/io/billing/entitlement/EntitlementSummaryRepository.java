package io.billing.entitlement;

import io.billing.tenant.TenantId;

import java.util.List;
import java.util.Optional;

/** Stripe's entitlement summaries, one per customer ({@link JpaEntitlementSummaryRepository}). */
public interface EntitlementSummaryRepository {

    /**
     * The customer's summary, locked until the transaction ends, or empty if none came yet: the snapshot
     * guard's read (see {@code io.billing.subscription.SubscriptionRepository#findForUpdate}). By customer
     * alone: a Stripe customer id is unique across tenants.
     */
    Optional<EntitlementSummary> findForUpdate(String customerId);

    /** Adds a customer's first summary; a second worker adding it at once fails on the key and runs again. */
    void add(EntitlementSummary summary);

    /** The summaries of the tenant's customers, by customer. */
    List<EntitlementSummary> ofTenant(TenantId tenant);
}
