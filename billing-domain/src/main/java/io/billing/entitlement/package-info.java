/**
 * Entitlements: what a tenant may use now and until when ({@link io.billing.entitlement.Entitlements}) and its
 * licences ({@link io.billing.entitlement.Licences}), derived when asked from its subscriptions, the plan
 * catalogue ({@link io.billing.entitlement.PlanCatalogue}) and Stripe's entitlement summaries.
 *
 * <p>JPA: {@link io.billing.entitlement.EntitlementSummary} (newest summary per customer wins, applied to the
 * summary locked as subscriptions are, see {@code io.billing.subscription}) through
 * {@link io.billing.entitlement.EntitlementSummaryRepository}, and the catalogue's
 * {@link io.billing.entitlement.PlanFeature}s through {@link io.billing.entitlement.PlanCatalogueRepository}
 * (an edit locks the product's features, replaces them and is audited in the same transaction). The reads take
 * the tenant wherever the data is a tenant's; the catalogue is the merchant's.
 *
 * <p>Licence keys ({@link io.billing.entitlement.LicenceKeys}) are an HMAC of the licence's ids under the service's
 * secret, so knowing the ids is not enough to make one; the keys issued under an earlier scheme (an unkeyed hash,
 * or a rotated-out secret) are kept in {@code licence_key} at the first start after the change and win over the
 * HMAC, so no issued key changes.
 *
 * <p>Native SQL stays where JPA cannot say it, or where the table is another package's: seeding the catalogue
 * uses {@code INSERT … ON CONFLICT DO NOTHING} (nodes that start together all find it empty), and the licences
 * of one-time orders read the ledger's {@code payment:} postings from its journal.
 */
package io.billing.entitlement;
