package io.billing.web.admin;

import io.billing.composition.BillingMetrics;
import io.billing.composition.StripeApiConfiguration;
import io.billing.stripe.api.EventRecovery;
import io.billing.stripe.api.ObjectReads;
import io.billing.stripe.api.StripeApiException;
import io.billing.web.ApiError;
import io.billing.web.StripeApiErrors;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.core.SecurityContext;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operator actions that call the Stripe API: run the missed-event recovery now, list its runs, and resync
 * one object (read it from the API and apply it as a snapshot). Every action is audited.
 */
@Path("admin/stripe")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminStripeResource {

    @Inject
    StripeApiConfiguration stripeApi;

    @Inject
    BillingMetrics metrics;

    @Context
    SecurityContext security;

    /** Runs the recovery now; 409 when a run (scheduled, or on another node) holds the job. */
    @POST
    @Path("recovery")
    public Response recoverNow() throws SQLException, InterruptedException {
        Optional<EventRecovery> recovery = stripeApi.recovery();
        if (recovery.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        String operator = security.getUserPrincipal().getName();
        return recovery.get().runOnce("operator " + operator, operator)
                .map(run -> {
                    metrics.recoveryRan(run);
                    return Response.ok(run).build();
                })
                .orElseGet(() -> ApiError.of(Response.Status.CONFLICT, "recovery_running",
                        "A recovery run is in progress (on this or another node); see its runs.").build());
    }

    @GET
    @Path("recovery/runs")
    public Response runs(@QueryParam("limit") Integer limit) throws SQLException {
        Optional<EventRecovery> recovery = stripeApi.recovery();
        if (recovery.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 500) {
            throw new IllegalArgumentException("limit must be 1 to 500");
        }
        List<EventRecovery.Run> runs = recovery.get().recentRuns(size);
        return Response.ok(Map.of("runs", runs)).build();
    }

    /** Body {@code {"reason"}} (required). 202 with the snapshot event, which the engine then applies. */
    @POST
    @Path("objects/{objectId}/resync")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resync(@PathParam("objectId") String objectId, OperatorRequest request)
            throws SQLException, StripeApiException {
        Optional<ObjectReads> reads = stripeApi.objectReads();
        if (reads.isEmpty()) {
            return StripeApiErrors.notConfigured();
        }
        String reason = OperatorRequest.orEmpty(request).reason();
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        String eventId = reads.get().readNow(objectId, security.getUserPrincipal().getName(), reason);
        return Response.accepted(Map.of("object_id", objectId, "event_id", eventId)).build();
    }
}
