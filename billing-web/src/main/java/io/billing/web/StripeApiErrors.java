package io.billing.web;

import io.billing.stripe.api.StripeApiException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Stripe API failure as the caller should see it: what happened, and whether the same request may be sent
 * again ({@code Retry-After} where it may: every write carries an idempotency key, so a retry creates
 * nothing twice). Failures of this service's own credentials are not the caller's: they answer 502.
 */
@Provider
public class StripeApiErrors implements ExceptionMapper<StripeApiException> {

    private static final Logger LOG = Logger.getLogger(StripeApiErrors.class.getName());

    /** The answer of every endpoint that needs the Stripe API when no key is configured. */
    public static Response notConfigured() {
        return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "stripe_not_configured",
                "This service has no Stripe API key (STRIPE_API_KEY), so it cannot call Stripe.").build();
    }

    @Override
    public Response toResponse(StripeApiException e) {
        LOG.log(Level.WARNING, "Stripe API call failed: {0} {1} {2} (request {3})",
                new Object[] {e.kind(), e.httpStatus(), e.code(), e.requestId()});
        return switch (e.kind()) {
            case CARD_ERROR -> ApiError.of(Response.Status.PAYMENT_REQUIRED, "card_error",
                    "Stripe declined the card" + detail(e)).build();
            case INVALID_REQUEST -> ApiError.of(Response.Status.fromStatusCode(422), "stripe_invalid_request",
                    "Stripe refused the request" + detail(e)).build();
            case NOT_FOUND -> ApiError.of(Response.Status.NOT_FOUND, "stripe_not_found",
                    "Stripe has no such object" + detail(e)).build();
            case AUTHENTICATION -> ApiError.of(Response.Status.BAD_GATEWAY, "stripe_authentication",
                    "Stripe refused this service's API key; the operator must fix STRIPE_API_KEY.").build();
            case RATE_LIMITED -> ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "stripe_rate_limited",
                    "Stripe is limiting requests; send the same request again shortly.").header("Retry-After", "2").build();
            case API_ERROR -> ApiError.of(Response.Status.BAD_GATEWAY, "stripe_error",
                    "Stripe failed to answer; the same request may be sent again.").header("Retry-After", "5").build();
            case CONNECTION -> ApiError.of(Response.Status.GATEWAY_TIMEOUT, "stripe_unreachable",
                    "Stripe could not be reached; the same request may be sent again.").header("Retry-After", "5").build();
        };
    }

    private static String detail(StripeApiException e) {
        return (e.code() == null ? "" : " (" + e.code() + ")") + ": " + e.getMessage();
    }
}
