/**
 * The processing engine: workers that claim stored events under a lease, run the handlers for each event
 * type in one transaction with the event's new status and an attempt record, retry failures with
 * exponential backoff and jitter, dead-letter what keeps failing and park what has no tenant. It runs
 * handlers through their contract ({@code io.billing.processing.handler}) and knows none of them.
 *
 * <p>Order: within a claimed batch, events run in Stripe's {@code created} order. Across batches and
 * nodes the engine does not serialise, because Stripe itself does not deliver in order: handlers make
 * the result order-independent (latest snapshot wins by version, facts by business key).
 *
 * <p>The claim, the status updates and the {@code event_attempt} rows stay plain JDBC: they are the hot,
 * set-based paths (one claim statement, one batch of updates and inserts per batch of events), where JPA
 * adds nothing.
 */
package io.billing.processing;
