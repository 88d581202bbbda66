/**
 * Subscriptions: the local copy of each Stripe subscription per tenant, newest snapshot wins.
 *
 * <p>JPA: {@link io.billing.subscription.Subscription} with its {@link io.billing.subscription.SubscriptionItem}s
 * (replaced with each newer snapshot) and its {@link io.billing.subscription.PaidPeriod}s, through
 * {@link io.billing.subscription.SubscriptionRepository}; the handlers
 * {@link io.billing.subscription.SubscriptionProjection} ({@code customer.subscription.*}) and
 * {@link io.billing.subscription.PaidPeriods} (paid invoices) work in the event's unit of work, and
 * {@link io.billing.subscription.SubscriptionQueries} answers the operators. Every list query takes the tenant.
 *
 * <p>Concurrent workers: a snapshot is applied to the subscription locked by
 * {@link io.billing.subscription.SubscriptionRepository#findForUpdate} ({@code SELECT … FOR UPDATE}), so two
 * snapshots of one subscription serialise and the newer wins in either order. A subscription seen for the first
 * time is persisted; if another worker adds it at the same moment, the primary key refuses the second insert
 * when the first commits, the engine runs that batch again one event at a time, and the event then finds the
 * row. A known subscription costs one locked read (and the read of its items); items a snapshot leaves as they
 * were are not written.
 *
 * <p>Native SQL stays where JPA cannot say it: a paid period is recorded with {@code INSERT … ON CONFLICT DO
 * NOTHING} ({@code invoice.paid} and {@code invoice.payment_succeeded} both record it, on any worker, and no
 * SELECT precedes the insert), sent with the unit of work's batched rows at its commit.
 */
package io.billing.subscription;
