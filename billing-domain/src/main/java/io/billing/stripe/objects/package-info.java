/**
 * The latest snapshot of each Stripe object, and the version rule ({@link
 * io.billing.stripe.objects.SnapshotVersion}) that makes applying snapshots independent of delivery order.
 */
package io.billing.stripe.objects;
