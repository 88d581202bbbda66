/**
 * The tenant API for the SaaS application itself ({@code /api/tenants/…}), authenticated with an API key (see
 * {@code io.billing.web.apikey}): what a tenant may use now.
 */
package io.billing.web.tenant;
