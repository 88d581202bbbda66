package io.billing.web.billing;

import io.billing.apikey.ApiCaller;
import io.billing.apikey.ApiScope;
import io.billing.checkout.CheckoutSessions;
import io.billing.composition.StripeApiConfiguration;
import io.billing.stripe.api.StripeApiException;
import io.billing.web.ApiError;
import io.billing.web.StripeApiErrors;
import io.billing.web.apikey.ApiKeyAccess;
import io.billing.web.apikey.ApiKeyRequired;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import static io.billing.web.JsonFields.flag;
import static io.billing.web.JsonFields.text;

/**
 * Checkout and Billing Portal sessions for the SaaS application. The answer is a URL to send the buyer to;
 * whether anything was paid is only ever learnt from Stripe's events, never from the buyer's return. Needs a key
 * with the scope {@code sessions:create}, bound to no tenant or to the one the request names; registering a tenant
 * with a checkout also needs {@code tenants:create}.
 */
@Path("billing")
@Tag(name = "saas")
@SecurityRequirement(name = "apiKey")
@RequestScoped
@ApiKeyRequired(ApiScope.SESSIONS_CREATE)
@Produces(MediaType.APPLICATION_JSON)
public class BillingSessionsResource {

    @Inject
    StripeApiConfiguration stripeApi;

    @Context
    SecurityContext security;

    /**
     * Body: {@code tenant_id}, {@code order_id}, {@code price} or {@code plan}, {@code quantity} (default 1),
     * {@code mode} ({@code subscription} or {@code payment}), optionally {@code currency} and
     * {@code create_tenant}. 201 with the session; 200 with the same session when the order already has an open one.
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
    @APIResponse(responseCode = "400", description = "A malformed request (invalid_request), or a price the catalogue "
            + "does not offer: price_not_in_catalogue, price_inactive, price_not_for_mode, currency_not_offered, "
            + "plan_not_offered, plan_price_ambiguous")
    @APIResponse(responseCode = "401", description = "No API key, or an unknown or revoked one (unauthorized)")
    @APIResponse(responseCode = "403", description = "The key lacks a scope (missing_scope), or is bound to another "
            + "tenant (tenant_not_allowed)")
    @APIResponse(responseCode = "404", description = "The tenant is not known and the request does not create it "
            + "(tenant_not_found)")
    @APIResponse(responseCode = "409", description = "The order was checked out with other terms, or its session expired")
    @APIResponse(responseCode = "402", description = "Stripe declined the card (card_error)")
    @APIResponse(responseCode = "503", description = "Stripe is rate limiting, or no Stripe API key is configured; retry later")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response checkout(JsonObject body) throws SQLException, StripeApiException {
        if (body == null) {
            throw new IllegalArgumentException("a JSON body is required");
        }
        ApiCaller caller = ApiKeyAccess.forTenant(security, text(body, "tenant_id"));
        boolean createTenant = flag(body, "create_tenant");
        if (createTenant) {
            ApiKeyAccess.requireScope(caller, ApiScope.TENANTS_CREATE, "create_tenant");
        }
        Optional<CheckoutSessions> sessions = stripeApi.checkout();
        if (sessions.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        CheckoutSessions.Request request = new CheckoutSessions.Request(text(body, "tenant_id"), text(body, "order_id"),
                text(body, "price"), text(body, "plan"), quantity(body), mode(text(body, "mode")),
                text(body, "currency"), createTenant);
        try {
            CheckoutSessions.Started started = sessions.get().start(request, caller.actor());
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
        } catch (CheckoutSessions.RefusedException e) {
            return ApiError.of("tenant_not_found".equals(e.code()) ? Response.Status.NOT_FOUND
                    : Response.Status.BAD_REQUEST, e.code(), e.getMessage()).build();
        }
    }

    /** {@code ?tenant_id=}: a Billing Portal URL for the tenant's customer (audited); 404 when it has none yet. */
    @GET
    @Path("portal")
    @Operation(summary = "A Billing Portal session URL for the tenant's Stripe customer",
            description = "Every session handed out is in the audit log under the key's id.")
    @APIResponse(responseCode = "200", description = "The portal URL", content = @Content(examples = @ExampleObject(
            name = "portal", value = "{\"url\":\"https://billing.stripe.com/p/session/test_YWNjdF8x…\"}")))
    @APIResponse(responseCode = "403", description = "The key lacks sessions:create (missing_scope), or is bound to "
            + "another tenant (tenant_not_allowed)")
    @APIResponse(responseCode = "404", description = "The tenant has no Stripe customer yet (no_customer)")
    public Response portal(@QueryParam("tenant_id") String tenantId) throws SQLException, StripeApiException {
        ApiCaller caller = ApiKeyAccess.forTenant(security, tenantId);
        Optional<CheckoutSessions> sessions = stripeApi.checkout();
        if (sessions.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        return sessions.get().portal(tenantId, caller.actor())
                .map(url -> Response.ok(ApiError.JSON.createObjectBuilder().add("url", url).build()).build())
                .orElseGet(() -> ApiError.of(Response.Status.NOT_FOUND, "no_customer", "Tenant " + tenantId
                        + " has no Stripe customer yet: it gets one with its first checkout.").build());
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
