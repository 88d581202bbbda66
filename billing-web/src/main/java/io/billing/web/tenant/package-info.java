/**
 * The tenant API for the SaaS application itself ({@code /api/tenants/…}), authenticated with the service
 * token: what a tenant may use now.
 */
package io.billing.web.tenant;
