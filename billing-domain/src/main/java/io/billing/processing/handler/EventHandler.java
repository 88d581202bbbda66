package io.billing.processing.handler;

import java.util.Set;

/**
 * Applies one kind of Stripe event to the domain. Handlers run inside the event's transaction, together
 * with its status change and attempt record: they write only through {@link HandlingContext#connection()}
 * and send nothing outside directly (that is what {@link HandlingContext#outbox} is for).
 *
 * <p>A handler must be idempotent by business key and independent of delivery order: the engine runs
 * an event again after a failure, after a lost lease and when an operator re-runs processed events,
 * and Stripe delivers out of order. Snapshots go through a version guard (see
 * {@code io.billing.stripe.objects}); facts are keyed by their business id.
 */
public interface EventHandler {

    /** The Stripe event types this handler applies. */
    Set<String> eventTypes();

    /**
     * Whether the event belongs to a tenant. The engine resolves the tenant before a tenant-scoped handler
     * runs and parks the event as {@code UNMAPPED} if there is none.
     */
    default boolean tenantScoped() {
        return true;
    }

    void handle(HandlingContext context) throws Exception;
}
