/**
 * The outbox: messages to services outside this process (licence service, rating API, tenant
 * notifications), written in the transaction of the change that causes them and delivered afterwards
 * with retries, backoff and an idempotency key per message.
 */
package io.billing.outbox;
