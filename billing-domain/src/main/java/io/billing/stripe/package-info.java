/** Stripe-specific knowledge shared by the intake and the handlers: reading event bodies. */
package io.billing.stripe;
