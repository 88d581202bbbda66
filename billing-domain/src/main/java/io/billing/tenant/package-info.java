/**
 * Tenants as the engine sees them: which tenant an event belongs to, and the customer-to-tenant
 * mappings that answer it when the event itself does not say.
 */
package io.billing.tenant;
