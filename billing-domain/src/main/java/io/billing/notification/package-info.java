/** Notifications to the SaaS application about its tenants' billing, sent through the outbox. */
package io.billing.notification;
