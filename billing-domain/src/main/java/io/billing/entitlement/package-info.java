/**
 * Entitlements: what a tenant may use now and until when, derived from its subscriptions, the plan
 * catalogue ({@link io.billing.entitlement.PlanCatalogue}) and Stripe's entitlement summaries.
 */
package io.billing.entitlement;
