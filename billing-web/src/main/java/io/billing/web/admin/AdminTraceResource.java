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
 * The payment trace for support: from anything support is told (any Stripe id, an event, an e-mail address, a tenant,
 * an invoice number, an order, a checkout attempt, a store order) to the events, object states, ledger postings and
 * payments (with their mode, origin and history) it touched.
 */
@Path("admin/trace/{id}")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminTraceResource {

    @Inject
    PaymentTrace traces;

    @GET
    public Response trace(@PathParam("id") String id) throws SQLException {
        PaymentTrace.Trace trace = traces.trace(id);
        if (!trace.found()) {
            return ApiError.of(Response.Status.NOT_FOUND, "nothing_found",
                    "No event, Stripe object, e-mail address, tenant, invoice number, order, checkout attempt or store"
                            + " order " + id + " is known.").build();
        }
        return Response.ok(trace).build();
    }
}
