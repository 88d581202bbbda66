package io.billing.stripe.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link StripeGateway} with stripe-java's {@link StripeClient} (which pins the API version the fixtures use). */
public final class StripeJavaGateway implements StripeGateway {

    /** Where each kind of object lives in the API, by the prefix of its id. */
    private static final Map<String, String> PATHS_BY_PREFIX = Map.ofEntries(
            Map.entry("ch_", "/v1/charges/"), Map.entry("py_", "/v1/charges/"),
            Map.entry("pi_", "/v1/payment_intents/"), Map.entry("in_", "/v1/invoices/"),
            Map.entry("sub_", "/v1/subscriptions/"), Map.entry("cus_", "/v1/customers/"),
            Map.entry("cs_", "/v1/checkout/sessions/"), Map.entry("re_", "/v1/refunds/"),
            Map.entry("du_", "/v1/disputes/"), Map.entry("dp_", "/v1/disputes/"),
            Map.entry("prod_", "/v1/products/"), Map.entry("price_", "/v1/prices/"));

    private final StripeClient client;

    public StripeJavaGateway(StripeApiSettings settings) {
        this.client = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase())
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setReadTimeout((int) settings.readTimeout().toMillis())
                .setMaxNetworkRetries(settings.maxNetworkRetries())
                .build();
    }

    /** The API path of an object, or an {@link IllegalArgumentException} for an id this service cannot read. */
    public static String pathOf(String objectId) {
        for (Map.Entry<String, String> entry : PATHS_BY_PREFIX.entrySet()) {
            if (objectId.startsWith(entry.getKey()) && objectId.length() > entry.getKey().length()) {
                return entry.getValue() + URLEncoder.encode(objectId, StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("cannot read " + objectId + " from the Stripe API: unknown id prefix");
    }

    @Override
    public String retrieve(String objectId) throws StripeApiException {
        String path = pathOf(objectId);
        try {
            return client.rawRequest(ApiResource.RequestMethod.GET, path, null).body();
        } catch (StripeException e) {
            throw translate(e);
        }
    }

    @Override
    public EventPage listEvents(Instant createdFrom, String startingAfter, int limit) throws StripeApiException {
        StringBuilder path = new StringBuilder("/v1/events?limit=").append(limit)
                .append("&created%5Bgte%5D=").append(createdFrom.getEpochSecond());
        if (startingAfter != null) {
            path.append("&starting_after=").append(URLEncoder.encode(startingAfter, StandardCharsets.UTF_8));
        }
        try {
            JsonObject page = JsonParser.parseString(
                    client.rawRequest(ApiResource.RequestMethod.GET, path.toString(), null).body()).getAsJsonObject();
            JsonArray data = page.getAsJsonArray("data");
            List<String> events = new ArrayList<>(data.size());
            for (JsonElement event : data) {
                events.add(event.toString());
            }
            return new EventPage(events, page.has("has_more") && page.get("has_more").getAsBoolean());
        } catch (StripeException e) {
            throw translate(e);
        } catch (RuntimeException e) { // not the JSON of a list: say so rather than fail somewhere later
            throw new StripeApiException(StripeApiException.Kind.API_ERROR, null, null, null,
                    "the Events API answered with something that is not a list of events", e);
        }
    }

    @Override
    public String createCustomer(String tenantId, String name, String idempotencyKey) throws StripeApiException {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().putMetadata("tenant_id", tenantId);
        if (name != null) {
            params.setName(name);
        }
        try {
            Customer customer = client.v1().customers().create(params.build(), keyed(idempotencyKey));
            return customer.getId();
        } catch (StripeException e) {
            throw translate(e);
        }
    }

    @Override
    public CheckoutSession createCheckoutSession(CheckoutRequest request, String idempotencyKey)
            throws StripeApiException {
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(request.subscription() ? SessionCreateParams.Mode.SUBSCRIPTION : SessionCreateParams.Mode.PAYMENT)
                .setCustomer(request.customerId())
                .setClientReferenceId(request.tenantId())
                .setSuccessUrl(request.successUrl())
                .setCancelUrl(request.cancelUrl())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setPrice(request.priceId()).setQuantity(request.quantity()).build())
                .putAllMetadata(request.metadata());
        // Metadata on the session does not reach what it creates: each created object gets its own copy.
        if (request.subscription()) {
            params.setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                    .putAllMetadata(request.metadata()).build());
        } else {
            params.setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                    .putAllMetadata(request.metadata()).build());
        }
        try {
            Session session = client.v1().checkout().sessions().create(params.build(), keyed(idempotencyKey));
            return new CheckoutSession(session.getId(), session.getUrl(),
                    session.getExpiresAt() == null ? null : Instant.ofEpochSecond(session.getExpiresAt()));
        } catch (StripeException e) {
            throw translate(e);
        }
    }

    @Override
    public String createPortalSession(String customerId, String returnUrl) throws StripeApiException {
        com.stripe.param.billingportal.SessionCreateParams params = com.stripe.param.billingportal.SessionCreateParams
                .builder().setCustomer(customerId).setReturnUrl(returnUrl).build();
        try {
            return client.v1().billingPortal().sessions().create(params).getUrl();
        } catch (StripeException e) {
            throw translate(e);
        }
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    static StripeApiException translate(StripeException e) {
        StripeApiException.Kind kind;
        if (e instanceof CardException) {
            kind = StripeApiException.Kind.CARD_ERROR;
        } else if (e instanceof RateLimitException) {
            kind = StripeApiException.Kind.RATE_LIMITED;
        } else if (e instanceof AuthenticationException || e instanceof PermissionException) {
            kind = StripeApiException.Kind.AUTHENTICATION;
        } else if (e instanceof InvalidRequestException || e instanceof IdempotencyException) {
            kind = Integer.valueOf(404).equals(e.getStatusCode())
                    ? StripeApiException.Kind.NOT_FOUND : StripeApiException.Kind.INVALID_REQUEST;
        } else if (e instanceof ApiConnectionException) {
            kind = StripeApiException.Kind.CONNECTION;
        } else if (e.getStatusCode() != null && e.getStatusCode() == 429) {
            kind = StripeApiException.Kind.RATE_LIMITED;
        } else {
            kind = StripeApiException.Kind.API_ERROR;
        }
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : e.getClass().getSimpleName();
        return new StripeApiException(kind, e.getStatusCode(), e.getCode(), e.getRequestId(), message, e);
    }
}
