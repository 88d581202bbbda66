/**
 * The plan catalogue: Stripe's products and prices as the merchant's account defines them, kept from
 * account-level events and shared by every tenant.
 *
 * <p>JPA: {@link io.billing.catalogue.CatalogueProduct} and {@link io.billing.catalogue.CataloguePrice}, each its
 * own aggregate (Stripe versions them apart, and a price may come before its product), through
 * {@link io.billing.catalogue.CatalogueProductRepository} and {@link io.billing.catalogue.CataloguePriceRepository}.
 * {@link io.billing.catalogue.CatalogueProjection} applies a snapshot to the row locked as subscriptions are (see
 * {@code io.billing.subscription}): newest snapshot wins. Nothing here is a tenant's, so no query takes one.
 */
package io.billing.catalogue;
