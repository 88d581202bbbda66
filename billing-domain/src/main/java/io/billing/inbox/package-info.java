/**
 * The event inbox: every verified Stripe event, stored durably and idempotently by its event id before
 * anything else looks at it.
 *
 * <p>The intake never decides what matters: unknown types and older API versions are stored like any
 * other event. {@link io.billing.inbox.EventEnvelopeParser} lifts the few fields later stages query by
 * out of the raw body; the raw bytes themselves are kept untouched. {@link io.billing.inbox.EventInbox}
 * writes events with group commit: concurrent requests share one transaction, and each request is
 * answered only after the transaction holding its event has committed.
 */
package io.billing.inbox;
