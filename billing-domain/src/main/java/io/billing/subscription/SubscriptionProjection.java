package io.billing.subscription;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.FetchedSnapshots;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.view.SubscriptionView;
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;

import java.util.Optional;
import java.util.Set;

/**
 * Keeps the local {@link Subscription} of every {@code customer.subscription.*} event. A snapshot replaces
 * the stored one only if it is newer (see {@link SnapshotVersion}); the items are replaced with it.
 */
@Dependent
@HandlerOrder(300)
public final class SubscriptionProjection implements EventHandler {

    static final Set<String> EVENT_TYPES = FetchedSnapshots.plusFetched(Set.of(
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "customer.subscription.trial_will_end", "customer.subscription.pending_update_applied",
            "customer.subscription.pending_update_expired"));

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) {
        InboxWorkItem event = context.event();
        SubscriptionView subscription = SubscriptionView.of(context.json().dataObject());
        String id = subscription.id();
        String status = subscription.status();
        if (id == null || status == null) {
            throw new IllegalArgumentException("subscription event " + event.eventId() + " has no id or status");
        }
        SnapshotVersion version = new SnapshotVersion(event.created(),
                SnapshotVersion.rank("subscription", status, event.type()), event.eventId());
        SubscriptionSnapshot snapshot = SubscriptionSnapshot.of(subscription, TenantId.of(context.tenantId()),
                event.customerId());
        SubscriptionRepository subscriptions = new JpaSubscriptionRepository(context.entityManager());
        Optional<Subscription> stored = subscriptions.findForUpdate(id);
        if (stored.isPresent()) {
            stored.get().replaceIfNewer(snapshot, version);
        } else {
            subscriptions.add(Subscription.of(id, snapshot, version));
        }
    }
}
