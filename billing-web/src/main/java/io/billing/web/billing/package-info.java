/**
 * The SaaS application starting payments: {@code POST /api/billing/checkout} and {@code GET /api/billing/portal},
 * behind the service token like the tenant read API.
 */
package io.billing.web.billing;
