/**
 * Notifications about tenants' billing, sent through the outbox: operational ones (payment failed, trial
 * ending, dispute opened) to the SaaS application's one receiver, and each tenant's own signed callback,
 * told when its entitlements change ({@link io.billing.notification.TenantCallbacks}).
 */
package io.billing.notification;
