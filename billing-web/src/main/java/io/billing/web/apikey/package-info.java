/**
 * API keys at the door of the SaaS application's APIs ({@code /api/tenants/…}, {@code /api/billing/…}): the filter
 * that checks the presented key and the scopes an endpoint needs ({@link io.billing.web.apikey.ApiKeyRequired}),
 * and the request's security context that resources ask whether the key may act for a tenant.
 */
package io.billing.web.apikey;
