/**
 * The event inbox: every verified Stripe event, stored durably and idempotently by its event id before
 * anything else looks at it, and sent back to the queue when what a parked event waited for arrives
 * ({@link io.billing.inbox.InboxRequeue}).
 *
 * <p>The intake never decides what matters: unknown types and older API versions are stored like any
 * other event. {@link io.billing.inbox.EventEnvelopeParser} lifts the few fields later stages query by
 * out of the raw body; the raw bytes themselves are kept untouched. {@link io.billing.inbox.EventInbox}
 * writes events with group commit: concurrent requests share one transaction, and each request is
 * answered only after the transaction holding its event has committed.
 *
 * <p>The group commit and the re-queues stay plain JDBC: they are the hot, set-based paths (one
 * {@code INSERT … ON CONFLICT DO NOTHING} per commit on PostgreSQL, one {@code UPDATE} per re-queue), where JPA adds
 * nothing. {@link io.billing.inbox.InboxEvent} maps the table for reading only.
 *
 * <p>How many events each status holds is kept by the database as the statuses change, and read without counting
 * the inbox ({@link io.billing.inbox.InboxStatusCounts}; H2's trigger is in {@code io.billing.inbox.database}).
 *
 * <p>Below the handler contract and the engine: it knows only the platform.
 */
package io.billing.inbox;
