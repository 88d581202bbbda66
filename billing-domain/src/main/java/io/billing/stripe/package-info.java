/**
 * Stripe-specific knowledge shared by the intake, the engine and the handlers: reading event bodies, and which of
 * Stripe's modes the service applies ({@link io.billing.stripe.StripeModes}); the objects the events carry are read
 * through the typed views of {@link io.billing.stripe.view}.
 *
 * <p>This package, {@code io.billing.stripe.view} and {@code io.billing.stripe.webhook} are Stripe's formats,
 * just above the platform: every layer may read through them. {@code io.billing.stripe.api} and
 * {@code io.billing.stripe.objects} belong to the domain.
 */
package io.billing.stripe;
