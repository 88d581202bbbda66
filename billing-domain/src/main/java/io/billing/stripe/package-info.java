/**
 * Stripe-specific knowledge shared by the intake and the handlers: reading event bodies; the objects they
 * carry are read through the typed views of {@link io.billing.stripe.view}.
 */
package io.billing.stripe;
