/**
 * Every call this service makes to the Stripe API, behind one interface ({@link io.billing.stripe.api.StripeGateway})
 * implemented with stripe-java, plus what is built on it: reading one object back as a snapshot event
 * ({@link io.billing.stripe.api.ObjectReads}) and recovering events the webhook missed
 * ({@link io.billing.stripe.api.EventRecovery}). Tests point the API base at a local fake.
 */
package io.billing.stripe.api;
