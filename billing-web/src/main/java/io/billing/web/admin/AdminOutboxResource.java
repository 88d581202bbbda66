package io.billing.web.admin;

import io.billing.processing.operator.OutboxOperations;
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
import java.util.Map;

/** Outbound messages for operators: what is waiting or failed, and sending a failed one again (audited). */
@Path("admin/outbox")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminOutboxResource {

    @Inject
    OutboxOperations outbox;

    @Context
    SecurityContext security;

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("destination") String destination,
                         @QueryParam("limit") Integer limit) throws SQLException {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 500) {
            throw new IllegalArgumentException("limit must be 1 to 500");
        }
        return Response.ok(Map.of("messages", outbox.list(blankToNull(status), blankToNull(destination), size))).build();
    }

    @GET
    @Path("{key}")
    public Response one(@PathParam("key") String key) throws SQLException {
        return outbox.find(key).map(m -> Response.ok(m).build()).orElseGet(() -> notFound(key));
    }

    /** Body {@code {"reason"}} (required). */
    @POST
    @Path("{key}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retry(@PathParam("key") String key, OperatorRequest request) throws SQLException {
        try {
            if (!outbox.retry(key, security.getUserPrincipal().getName(), OperatorRequest.orEmpty(request).reason())) {
                return notFound(key);
            }
            return Response.ok(Map.of("idempotency_key", key, "status", "RETRY_SCHEDULED")).build();
        } catch (OutboxOperations.NotRetryableException e) {
            return ApiError.of(Response.Status.CONFLICT, "invalid_status", e.getMessage()).build();
        }
    }

    private static Response notFound(String key) {
        return ApiError.of(Response.Status.NOT_FOUND, "outbox_message_not_found", "No outbox message " + key + ".").build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
