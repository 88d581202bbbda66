/**
 * Reconciliation records: one per payment, linking every Stripe id and event to the tenant, the internal
 * order and, once the commerce connector fills it, the external store order.
 */
package io.billing.reconciliation;
