/**
 * Connectors to the services around billing, each a MicroProfile Rest Client interface configured by key
 * ({@code <key>/mp-rest/url}, {@code connectTimeout}, {@code readTimeout}) and each fed through the outbox, so
 * a call happens after the change that caused it committed, is retried with backoff under one idempotency
 * key, and shows up as a failed outbox row when the receiver stays down:
 * <ul>
 *   <li>rating ({@link io.billing.connector.RatingFeed}): every recorded payment, {@code POST /rate};</li>
 *   <li>licence service ({@link io.billing.connector.LicenceSync}): licences created and renewed, each for the
 *       user the service keeps for the customer ({@link io.billing.connector.LicenceUserSync}, found by e-mail
 *       address and updated when it changes; the user's id kept on {@link io.billing.connector.LicenceUser});</li>
 *   <li>commerce ({@link io.billing.connector.StoreOrderChecks}): the store order behind a payment, looked up
 *       and compared with what was paid; a missing order or a mismatch is a reconciliation exception.</li>
 * </ul>
 */
package io.billing.connector;
