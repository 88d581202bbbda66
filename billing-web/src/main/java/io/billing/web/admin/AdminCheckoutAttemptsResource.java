package io.billing.web.admin;

import io.billing.trace.PaymentTrace;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;

/**
 * One checkout attempt by the id the SaaS application logged, for support: where it stands (open, paid, failed,
 * expired), its session, and whether it was sent to Stripe again under a new key. Found before any event tells of
 * its session, unlike the trace, which follows events.
 */
@Path("admin/checkout-attempts/{id}")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminCheckoutAttemptsResource {

    @Inject
    PaymentTrace traces;

    @GET
    public Response attempt(@PathParam("id") String id) throws SQLException {
        return traces.attempt(id).map(attempt -> Response.ok(attempt).build())
                .orElseGet(() -> ApiError.of(Response.Status.NOT_FOUND, "attempt_not_found",
                        "No checkout attempt " + id + " is recorded.").build());
    }
}
