/**
 * The plan catalogue: Stripe's products and prices as the merchant's account defines them, kept from
 * account-level events and shared by every tenant.
 */
package io.billing.catalogue;
