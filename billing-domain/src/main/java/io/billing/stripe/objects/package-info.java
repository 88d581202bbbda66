/**
 * The latest snapshot of each Stripe object, and the version rule ({@link
 * io.billing.stripe.objects.SnapshotVersion}) that makes applying snapshots independent of delivery order.
 *
 * <p>The raw snapshots ({@link io.billing.stripe.objects.StripeObjectProjection}) stay plain JDBC through
 * {@link io.billing.stripe.objects.VersionedUpsert}. The aggregates that keep a newest snapshot as JPA entities
 * (subscriptions, catalogue products and prices, entitlement summaries) hold the version as
 * {@link io.billing.stripe.objects.SnapshotVersionColumns}.
 */
package io.billing.stripe.objects;
