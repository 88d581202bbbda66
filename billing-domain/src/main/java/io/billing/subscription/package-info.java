/**
 * Subscriptions: the local copy of each Stripe subscription per tenant, kept by
 * {@link io.billing.subscription.SubscriptionProjection} from {@code customer.subscription.*} events, newest
 * snapshot wins.
 */
package io.billing.subscription;
