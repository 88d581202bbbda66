package io.billing.entitlement;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.view.EntitlementSummaryView;
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;

import java.util.Optional;
import java.util.Set;

/** Keeps the newest {@link EntitlementSummary} Stripe sent for each customer (its feature lookup keys). */
@Dependent
@HandlerOrder(600)
public final class EntitlementSummaryProjection implements EventHandler {

    private static final String TYPE = "entitlements.active_entitlement_summary.updated";

    /** A summary has no status: every one ranks alike, and within one second the greater event id wins. */
    private static final int RANK = 1;

    @Override
    public Set<String> eventTypes() {
        return Set.of(TYPE);
    }

    @Override
    public void handle(HandlingContext context) {
        EntitlementSummaryView summary = EntitlementSummaryView.of(context.json().dataObject());
        String customer = summary.customer();
        if (customer == null) {
            throw new IllegalArgumentException("entitlement summary " + context.event().eventId() + " names no customer");
        }
        SnapshotVersion version = new SnapshotVersion(context.event().created(), RANK, context.event().eventId());
        TenantId tenant = TenantId.of(context.tenantId());
        Set<String> features = summary.featureLookupKeys();
        EntitlementSummaryRepository summaries = new JpaEntitlementSummaryRepository(context.entityManager());
        Optional<EntitlementSummary> stored = summaries.findForUpdate(customer);
        if (stored.isPresent()) {
            stored.get().replaceIfNewer(tenant, features, version);
        } else {
            summaries.add(EntitlementSummary.of(customer, tenant, features, version));
        }
    }
}
