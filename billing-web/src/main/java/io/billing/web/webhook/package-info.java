/**
 * {@code POST /api/stripe/webhook}: verify, store, answer. Nothing else happens on the request thread;
 * processing is the workers' job. Every refusal is a small JSON body {@code {"error", "message"}} with a
 * 4xx for what the sender got wrong, or a 503 with {@code Retry-After} for what we cannot do right now, so
 * Stripe delivers again and nothing is lost. The sender is authenticated by the signature, so the path skips the
 * staff authentication the rest of the application runs ({@link io.billing.web.webhook.WebhookOutsideStaffAuthentication}).
 */
package io.billing.web.webhook;
