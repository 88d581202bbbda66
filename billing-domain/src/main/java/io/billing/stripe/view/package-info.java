/**
 * Typed, read-only views of the Stripe objects the handlers read ({@link io.billing.stripe.view.InvoiceView},
 * {@link io.billing.stripe.view.SubscriptionView}, {@link io.billing.stripe.view.ChargeView} …), each over the
 * object's raw JSON. Each view knows every place Stripe has kept one of its fields across API versions (a
 * subscription's period at the top level before {@code 2025-03-31.basil} and on its items since, an invoice's
 * subscription at the top level or under {@code parent} …), so that a handler asks for the fact and
 * works the same for an endpoint pinned to any version.
 *
 * <p>JSON rather than stripe-java's typed model: stripe-java hands back an empty object for an event of any
 * API release other than the one it is pinned to, while the event's JSON still carries what the handlers
 * need. The views depend on Gson alone, never on the handlers.
 */
package io.billing.stripe.view;
