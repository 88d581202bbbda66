/**
 * The processing engine: workers that claim stored events under a lease, run the handlers for each event
 * type in one transaction with the event's new status and an attempt record, retry failures with
 * exponential backoff and jitter, dead-letter what keeps failing and park what has no tenant.
 *
 * <p>Order: within a claimed batch, events run in Stripe's {@code created} order. Across batches and
 * nodes the engine does not serialise, because Stripe itself does not deliver in order: handlers make
 * the result order-independent (latest snapshot wins by version, facts by business key).
 */
package io.billing.processing;
