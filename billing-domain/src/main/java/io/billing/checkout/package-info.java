/**
 * Starting payments: Checkout Sessions for a tenant's order (recorded as a checkout attempt before Stripe is
 * called, idempotent per tenant and order) and Billing Portal sessions. Nothing here marks anything paid:
 * only Stripe's events do, through the processing engine.
 *
 * <p>The attempt is a JPA entity ({@link io.billing.checkout.CheckoutAttempt}) kept through
 * {@link io.billing.checkout.CheckoutAttempts}; adding it is one {@code INSERT … ON CONFLICT DO NOTHING}, so that
 * two requests for one order end on the same attempt. The tenant's customer and name come from the tenant's
 * mappings ({@link io.billing.tenant.TenantMappings}). Only the plan catalogue's active prices are sold
 * ({@link io.billing.checkout.CheckoutPrices}, through the catalogue's repositories), and only to a registered
 * tenant or one the request registers; anything else is refused before an attempt is recorded or Stripe is called.
 * Billing Portal sessions handed out are audited.
 *
 * <p>The engine moves each attempt along with its session's events ({@link io.billing.checkout.CheckoutAttemptProgress}),
 * so the attempt ends paid, failed to pay or expired.
 */
package io.billing.checkout;
