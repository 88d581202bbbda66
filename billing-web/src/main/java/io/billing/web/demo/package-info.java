/**
 * Demo mode ({@code BILLING_DEMO=true}): on an empty database the service feeds the bundled sample stories
 * through its own webhook endpoint, signed with a secret only this process knows, so a newcomer sees tenants,
 * subscriptions, a ledger, an unmapped event and a failed one retried in the admin right after starting.
 */
package io.billing.web.demo;
