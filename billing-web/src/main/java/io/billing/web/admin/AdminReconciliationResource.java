package io.billing.web.admin;

import io.billing.connector.StoreOrderChecks;
import io.billing.platform.persistence.DataAccess;
import io.billing.reconciliation.StoreCheck;
import io.billing.trace.PaymentTrace;
import io.billing.web.ApiError;
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
import java.time.Clock;
import java.util.Map;

/**
 * Reconciliation for operators: one payment's record (its ids, mode, Connect account, store, status and the history of
 * its states), and the exceptions, payments whose store order was not found or does not match what was paid. Retry
 * the store lookup, or resolve by hand with a reason; both audited.
 */
@Path("admin/reconciliation")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminReconciliationResource {

    @Inject
    DataAccess data;

    @Inject
    Clock clock;

    @Inject
    PaymentTrace traces;

    @Context
    SecurityContext security;

    @GET
    @Path("exceptions")
    public Response exceptions(@QueryParam("limit") Integer limit) throws SQLException {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 500) {
            throw new IllegalArgumentException("limit must be 1 to 500");
        }
        return Response.ok(Map.of("exceptions", StoreOrderChecks.exceptions(data, size))).build();
    }

    /** One payment's reconciliation record, whatever its tenant, with the history of its states. */
    @GET
    @Path("{paymentKey}")
    public Response payment(@PathParam("paymentKey") String paymentKey) throws SQLException {
        return traces.payment(paymentKey).map(payment -> Response.ok(payment).build())
                .orElseGet(() -> ApiError.of(Response.Status.NOT_FOUND, "payment_not_found",
                        "No payment " + paymentKey + " is recorded.").build());
    }

    /** Body {@code {"reason"}}: looks the store order up again. */
    @POST
    @Path("{paymentKey}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retry(@PathParam("paymentKey") String paymentKey, OperatorRequest request) throws SQLException {
        boolean done = StoreOrderChecks.retry(data, clock, paymentKey, caller(),
                OperatorRequest.orEmpty(request).reason());
        return done ? Response.ok(Map.of("payment_key", paymentKey, "store_check", StoreCheck.PENDING.name())).build()
                : notFound(paymentKey);
    }

    /** Body {@code {"reason"}} (required): closes the store check by hand. */
    @POST
    @Path("{paymentKey}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resolve(@PathParam("paymentKey") String paymentKey, OperatorRequest request) throws SQLException {
        boolean done = StoreOrderChecks.resolve(data, clock, paymentKey, caller(),
                OperatorRequest.orEmpty(request).reason());
        return done ? Response.ok(Map.of("payment_key", paymentKey, "store_check", StoreCheck.RESOLVED.name())).build()
                : notFound(paymentKey);
    }

    private String caller() {
        return security.getUserPrincipal().getName();
    }

    private static Response notFound(String paymentKey) {
        return ApiError.of(Response.Status.NOT_FOUND, "store_check_not_found",
                "Payment " + paymentKey + " has no store check to act on.").build();
    }
}
