/**
 * Database tables as leased work queues ({@code FOR UPDATE SKIP LOCKED} plus a lease per row), shared by
 * the inbox's processing engine and the outbox's dispatcher.
 */
package io.billing.platform.queue;
