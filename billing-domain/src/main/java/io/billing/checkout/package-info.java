/**
 * Starting payments: Checkout Sessions for a tenant's order (recorded as a checkout attempt before Stripe is
 * called, idempotent per tenant and order) and Billing Portal sessions. Nothing here marks anything paid:
 * only Stripe's events do, through the processing engine.
 */
package io.billing.checkout;
