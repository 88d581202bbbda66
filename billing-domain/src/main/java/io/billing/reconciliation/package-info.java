/**
 * Reconciliation records: one per payment, linking every Stripe id and event to the tenant, the internal
 * order and, once the commerce connector fills it, the external store order.
 *
 * <p>The record is a JPA entity ({@link io.billing.reconciliation.ReconciliationRecord}, its Stripe ids an
 * embeddable, its status a ladder) read and added through {@link io.billing.reconciliation.ReconciliationRecords}:
 * the recorder merges each event into it in the event's unit of work, so a batch's events of one payment share
 * one managed record. Its event links stay one SQL statement ({@code INSERT … ON CONFLICT DO NOTHING}), which
 * JPA cannot say without reading the links first; so does its history ({@link io.billing.reconciliation.StateReached},
 * one row per {@link io.billing.reconciliation.PaymentState} at the earliest time it was reached), an upsert that
 * keeps the earlier time, which each database says in its own way. A payment's first event inserts its record
 * whole ({@code ON CONFLICT DO NOTHING}, so that two workers opening it at once meet on the key rather than fail)
 * and registers it with the persistence context through EclipseLink's own API: the domain's one call past JPA.
 */
package io.billing.reconciliation;
