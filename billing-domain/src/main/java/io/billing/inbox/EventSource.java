package io.billing.inbox;

/** How an event reached the inbox. Stored with the event, so support can tell a pushed event from a pulled one. */
public enum EventSource {
    /** Pushed by Stripe to the webhook endpoint, its signature verified. */
    WEBHOOK,
    /** Pulled from Stripe's Events API by the missed-event recovery. */
    EVENTS_API,
    /**
     * A snapshot of one object the service read from the Stripe API (to find a dispute's tenant, or an
     * operator's resync), wrapped as an event of type {@code <object event prefix>.fetched}.
     */
    OBJECT_READ
}
