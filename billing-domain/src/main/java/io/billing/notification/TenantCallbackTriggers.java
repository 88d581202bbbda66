package io.billing.notification;

import com.google.gson.JsonObject;
import io.billing.outbox.Outbox;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.FetchedSnapshots;
import jakarta.enterprise.context.Dependent;

import java.util.Set;

/**
 * Events that can change a tenant's entitlements (subscriptions, paid invoices, completed checkouts, Stripe's
 * entitlement summaries) put a message for the tenant's callback in the outbox, when the tenant has one. What the
 * message says is decided when it is delivered ({@link TenantCallbacks#transport}).
 */
@Dependent
@HandlerOrder(800)
public final class TenantCallbackTriggers implements EventHandler {

    static final Set<String> EVENT_TYPES = FetchedSnapshots.plusFetched(Set.of(
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "invoice.paid", "invoice.payment_succeeded",
            "checkout.session.completed", "checkout.session.async_payment_succeeded",
            "entitlements.active_entitlement_summary.updated"));

    /** Where a tenant's callback is found: the message is written only if the tenant has one when the event commits. */
    private static final Outbox.IfFound TENANT_HAS_CALLBACK = Outbox.ifFound("tenant_callback WHERE tenant_id = ?");

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) {
        JsonObject cause = new JsonObject();
        cause.addProperty("tenant_id", context.tenantId());
        cause.addProperty("cause_event_id", context.event().eventId());
        cause.addProperty("cause_event_type", context.event().type());
        // Decided by the insert at the commit, not read first: most tenants have no callback, and the read was a round
        // trip for every such event of a batch's every tenant.
        context.sendAtCommitIfFound(TENANT_HAS_CALLBACK, context.tenantId(), TenantCallbacks.DESTINATION,
                "callback:" + context.event().eventId(), cause.toString());
    }
}
