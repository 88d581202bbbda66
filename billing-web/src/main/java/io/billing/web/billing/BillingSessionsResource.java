package io.billing.web.billing;

import io.billing.checkout.CheckoutSessions;
import io.billing.composition.StripeApiConfiguration;
import io.billing.stripe.api.StripeApiException;
import io.billing.web.ApiError;
import io.billing.web.StripeApiErrors;
import io.billing.web.tenant.ServiceTokenRequired;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checkout and Billing Portal sessions for the SaaS application. The answer is a URL to send the buyer to;
 * whether anything was paid is only ever learnt from Stripe's events, never from the buyer's return.
 */
@Path("billing")
@Tag(name = "saas")
@SecurityRequirement(name = "serviceToken")
@RequestScoped
@ServiceTokenRequired
@Produces(MediaType.APPLICATION_JSON)
public class BillingSessionsResource {

    @Inject
    StripeApiConfiguration stripeApi;

    /**
     * Body: {@code tenant_id}, {@code order_id}, {@code price} or {@code plan}, {@code quantity} (default 1),
     * {@code mode} ({@code subscription} or {@code payment}). 201 with the session; 200 with the same
     * session when the order already has an open one.
     */
    @POST
    @Path("checkout")
    @Operation(summary = "Start a Checkout Session for a tenant's order",
            description = "Idempotent per tenant and order id: the same request again gets the same session.")
    @APIResponse(responseCode = "201", description = "The session to send the buyer to", content = @Content(examples =
            @ExampleObject(name = "subscription", value = "{\"attempt_id\":\"chk_5f2c…\",\"session_id\":\"cs_test_a1…\","
            + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_a1…\",\"customer_id\":\"cus_TEST1\","
            + "\"expires_at\":\"2026-11-23T12:00:00Z\",\"reused\":false}")))
    @APIResponse(responseCode = "200", description = "The order's open session, created by an earlier request")
    @APIResponse(responseCode = "409", description = "The order was checked out with other terms, or its session expired")
    @APIResponse(responseCode = "402", description = "Stripe declined the card (card_error)")
    @APIResponse(responseCode = "503", description = "Stripe is rate limiting, or no Stripe API key is configured; retry later")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response checkout(JsonObject body) throws SQLException, StripeApiException {
        Optional<CheckoutSessions> sessions = stripeApi.checkout();
        if (sessions.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        if (body == null) {
            throw new IllegalArgumentException("a JSON body is required");
        }
        CheckoutSessions.Request request = new CheckoutSessions.Request(text(body, "tenant_id"), text(body, "order_id"),
                text(body, "price"), text(body, "plan"), quantity(body), mode(text(body, "mode")));
        try {
            CheckoutSessions.Started started = sessions.get().start(request);
            JsonObjectBuilder answer = ApiError.JSON.createObjectBuilder()
                    .add("attempt_id", started.attemptId())
                    .add("session_id", started.sessionId())
                    .add("url", started.url())
                    .add("customer_id", started.customerId())
                    .add("reused", started.reused());
            if (started.expiresAt() != null) {
                answer.add("expires_at", started.expiresAt().toString());
            }
            return Response.status(started.reused() ? Response.Status.OK : Response.Status.CREATED)
                    .entity(answer.build()).build();
        } catch (CheckoutSessions.OrderConflictException e) {
            return ApiError.of(Response.Status.CONFLICT, "order_conflict", e.getMessage()).build();
        }
    }

    /** {@code ?tenant_id=}: a Billing Portal URL for the tenant's customer; 404 when it has none yet. */
    @GET
    @Path("portal")
    @Operation(summary = "A Billing Portal session URL for the tenant's Stripe customer")
    @APIResponse(responseCode = "200", description = "The portal URL", content = @Content(examples = @ExampleObject(
            name = "portal", value = "{\"url\":\"https://billing.stripe.com/p/session/test_YWNjdF8x…\"}")))
    @APIResponse(responseCode = "404", description = "The tenant has no Stripe customer yet (no_customer)")
    public Response portal(@QueryParam("tenant_id") String tenantId) throws SQLException, StripeApiException {
        Optional<CheckoutSessions> sessions = stripeApi.checkout();
        if (sessions.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        return sessions.get().portal(tenantId)
                .map(url -> Response.ok(ApiError.JSON.createObjectBuilder().add("url", url).build()).build())
                .orElseGet(() -> ApiError.of(Response.Status.NOT_FOUND, "no_customer", "Tenant " + tenantId
                        + " has no Stripe customer yet: it gets one with its first checkout.").build());
    }

    private static String text(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new IllegalArgumentException(field + " must be a string");
    }

    private static long quantity(JsonObject body) {
        JsonValue value = body.get("quantity");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return 1;
        }
        if (value instanceof JsonNumber number && number.isIntegral()) {
            return number.longValue();
        }
        throw new IllegalArgumentException("quantity must be a whole number");
    }

    private static CheckoutSessions.Mode mode(String mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required: subscription or payment");
        }
        try {
            return CheckoutSessions.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be subscription or payment, not " + mode);
        }
    }
}
