/**
 * The outbox: messages to services outside this process (licence service, rating API, tenant
 * notifications), written in the transaction of the change that causes them and delivered afterwards
 * with retries, backoff and an idempotency key per message.
 *
 * <p>The writes and the dispatch stay plain JDBC: the dispatcher claims and settles messages as a leased
 * work queue, a hot set-based path where JPA adds nothing.
 *
 * <p>Below the handler contract and the engine: it knows only the platform. What operators do with
 * messages, audited, is in {@code io.billing.processing.operator}.
 */
package io.billing.outbox;
