package io.billing.notification;

import com.google.gson.JsonObject;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import jakarta.enterprise.context.Dependent;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * Tells the SaaS application about billing moments that need its tenant's attention (a failed payment,
 * a payment that needs the customer to authenticate, a trial about to end, a dispute), through the
 * outbox to the {@value #DESTINATION} receiver. One notification per Stripe event: its key is derived
 * from the event id, so re-running the event never notifies twice.
 */
@Dependent
@HandlerOrder(900)
public final class TenantNotifications implements EventHandler {

    public static final String DESTINATION = "tenant-notifications";

    static final Map<String, String> KINDS = Map.of(
            "invoice.payment_failed", "payment_failed",
            "invoice.payment_action_required", "payment_action_required",
            "customer.subscription.trial_will_end", "trial_will_end",
            "charge.dispute.created", "dispute_opened");

    @Override
    public Set<String> eventTypes() {
        return KINDS.keySet();
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        JsonObject message = new JsonObject();
        message.addProperty("tenant_id", context.tenantId());
        message.addProperty("kind", KINDS.get(context.event().type()));
        message.addProperty("stripe_event_id", context.event().eventId());
        message.addProperty("stripe_object_id", context.event().objectId());
        message.addProperty("occurred_at", context.event().created().toString());
        context.send(DESTINATION, "tenant-notification:" + context.event().eventId(), message.toString());
    }
}
