/**
 * The SaaS application starting payments: {@code POST /api/billing/checkout} and {@code GET /api/billing/portal},
 * behind an API key with the scope {@code sessions:create}, like the tenant read API.
 */
package io.billing.web.billing;
