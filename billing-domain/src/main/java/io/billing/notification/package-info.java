/**
 * Notifications about tenants' billing, sent through the outbox: operational ones (payment failed, trial
 * ending, dispute opened) to the SaaS application's one receiver, and each tenant's own signed callback,
 * told when its entitlements change ({@link io.billing.notification.TenantCallbacks}).
 *
 * <p>A tenant's callback is a JPA entity ({@link io.billing.notification.TenantCallback}) kept through
 * {@link io.billing.notification.RegisteredCallbacks}: the handler that queues a callback message reads it in the
 * event's unit of work, the outbox's delivery and the operators' changes in units of work of their own. The
 * messages themselves go through the outbox, which stays plain SQL. The callback's signing secret is stored sealed
 * with the service's encryption key ({@link io.billing.platform.crypto.SecretBox}) and opened only to sign. Its URL
 * may lead to public addresses only, checked when it is registered and at every delivery, which connects to the
 * checked address and follows no redirect ({@link io.billing.platform.net.PinnedHttpPost}).
 */
package io.billing.notification;
