/**
 * The outbox: messages to services outside this process (licence service, rating API, tenant
 * notifications), written in the transaction of the change that causes them and delivered afterwards
 * with retries, backoff and an idempotency key per message.
 *
 * <p>The dispatcher sends several messages at once, in lanes ({@link io.billing.outbox.Lane}: a destination,
 * or one tenant's callback), each with a small limit of its own under the node's overall one, so that a slow
 * receiver fills only its own lane. It claims a message only when its lane has room, just before sending it,
 * under a lease sized to the transport's time limit. A lane whose receiver keeps failing is paused by its
 * {@link io.billing.outbox.CircuitBreaker} without spending the waiting messages' attempts.
 *
 * <p>The writes and the dispatch stay plain JDBC: the dispatcher claims and settles messages as a leased
 * work queue, a hot set-based path where JPA adds nothing.
 *
 * <p>Below the handler contract and the engine: it knows only the platform. What operators do with
 * messages, audited, is in {@code io.billing.processing.operator}.
 */
package io.billing.outbox;
