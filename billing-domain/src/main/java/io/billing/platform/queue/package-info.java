/**
 * Database tables as leased work queues ({@code FOR UPDATE SKIP LOCKED} plus a lease per row), shared by
 * the inbox's processing engine and the outbox's dispatcher; the loop that drains one, the signal that
 * wakes idle workers when work arrives, and the retry policy (exponential backoff with jitter) for what
 * fails.
 *
 * <p>Plain JDBC: claiming and settling are the hot, set-based paths (one statement claims a batch of
 * rows), where JPA adds nothing.
 */
package io.billing.platform.queue;
