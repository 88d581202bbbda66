package io.billing.stripe.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Stripe API as this service uses it. Reads return the JSON exactly as the API rendered it, because
 * that is what goes into the inbox; writes take the caller's idempotency key, so a retried call creates
 * nothing twice.
 */
public interface StripeGateway {

    /** One page of the Events API, newest first, as Stripe lists them. */
    record EventPage(List<String> eventsJson, boolean hasMore) {
    }

    /** What a Checkout Session needs from the caller. Metadata goes on the session and on what it creates. */
    record CheckoutRequest(String customerId, String tenantId, String priceId, long quantity, boolean subscription,
                           Map<String, String> metadata, String successUrl, String cancelUrl) {
    }

    record CheckoutSession(String id, String url, Instant expiresAt) {
    }

    /** The object with this id ({@code ch_…}, {@code pi_…}, {@code in_…}, {@code sub_…}, {@code cus_…} …) as JSON. */
    String retrieve(String objectId) throws StripeApiException;

    /**
     * Events created at or after {@code createdFrom}; {@code startingAfter} (an event id from the previous
     * page, or null for the first) pages on towards older events.
     */
    EventPage listEvents(Instant createdFrom, String startingAfter, int limit) throws StripeApiException;

    /** Creates a customer for the tenant (its id in the metadata); returns the customer id. */
    String createCustomer(String tenantId, String name, String idempotencyKey) throws StripeApiException;

    CheckoutSession createCheckoutSession(CheckoutRequest request, String idempotencyKey) throws StripeApiException;

    /** A Billing Portal session for the customer; returns its URL. */
    String createPortalSession(String customerId, String returnUrl) throws StripeApiException;
}
