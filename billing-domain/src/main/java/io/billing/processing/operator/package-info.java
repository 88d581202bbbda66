/**
 * The operator's side of the engine: manual retries, re-runs and resolutions ({@link
 * io.billing.processing.operator.EventOperations}), and read access to events, their attempts and audit
 * trail ({@link io.billing.processing.operator.EventQueries}). Shared by the REST API and the admin UI.
 */
package io.billing.processing.operator;
