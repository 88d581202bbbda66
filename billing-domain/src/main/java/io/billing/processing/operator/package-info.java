/**
 * The operator's side of the engine and the outbox: manual retries, re-runs and resolutions of events
 * ({@link io.billing.processing.operator.EventOperations}), read access to events, their attempts and audit
 * trail ({@link io.billing.processing.operator.EventQueries}), and the list and retry of outbound messages
 * ({@link io.billing.processing.operator.OutboxOperations}). Shared by the REST API and the admin UI. Every
 * manual action is audited, which is why these services sit above the audit log rather than in the inbox
 * and outbox they act on.
 */
package io.billing.processing.operator;
