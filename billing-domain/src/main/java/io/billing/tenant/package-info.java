/**
 * Tenants as the engine sees them: which tenant an event belongs to ({@link
 * io.billing.tenant.StripeTenantResolver}), and the mappings that answer it when the event itself does not say.
 *
 * <p>JPA: {@link io.billing.tenant.Tenant}, {@link io.billing.tenant.CustomerMapping} and {@link
 * io.billing.tenant.AccountMapping} are entities holding their tenant as a {@link io.billing.tenant.TenantId};
 * {@link io.billing.tenant.TenantRepository} ({@link io.billing.tenant.JpaTenantRepository}) finds them by
 * primary key or by named query, and every query that reads one tenant's data takes its id. The resolver runs
 * for every event, in the event's unit of work: each mapping look-up is one look-up by primary key through the
 * batch's persistence context. Operators' changes ({@link io.billing.tenant.TenantMappings}) lock the mapping,
 * change the entity, audit and re-queue the parked events in one transaction; the operators' read model is
 * {@link io.billing.tenant.TenantQueries}.
 *
 * <p>SQL, and why: learning a mapping and registering a tenant are {@code INSERT … ON CONFLICT DO NOTHING}
 * (concurrent workers may learn one customer at once, and the primary key decides without failing the batch);
 * the tenant of a refund's or dispute's payment is read from the object snapshots' table, and whether this service
 * created a Checkout Session (so that its {@code client_reference_id} counts) from the checkout attempts'; a tenant's
 * subscriptions are read from the subscription tables for the operators' view.
 */
package io.billing.tenant;
