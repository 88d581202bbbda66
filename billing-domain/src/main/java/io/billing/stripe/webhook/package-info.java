/**
 * Verification of Stripe webhook signatures.
 *
 * <p>The {@code Stripe-Signature} header is checked over the raw request bytes against every configured
 * endpoint secret, so secrets can be rotated and several endpoints or accounts can share one receiver.
 * The timestamp is checked in both directions against an injected clock: stripe-java alone accepts
 * timestamps from the future, which would let a captured request be replayed for as long as the
 * attacker likes once it has been pre-dated.
 */
package io.billing.stripe.webhook;
