package io.billing.web.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator API over events, for scripts and runbooks: list and inspect events, retry, re-run and
 * resolve them. Only staff with the admin role get here (web.xml); every action is audited under the
 * caller's name.
 */
@Path("admin/events")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminEventsResource {

    @Inject
    EventQueries queries;

    @Inject
    EventOperations operations;

    @Context
    SecurityContext security;

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("type") String type,
                         @QueryParam("tenant") String tenant, @QueryParam("object") String objectId,
                         @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("page") @DefaultValue("0") int page,
                         @QueryParam("size") @DefaultValue("50") int size) throws SQLException {
        EventFilter filter = new EventFilter(status(status), type, tenant, objectId, instant("from", from),
                instant("to", to), page, size);
        return Response.ok(queries.list(filter)).build();
    }

    @GET
    @Path("{id}")
    public Response detail(@PathParam("id") String eventId) throws SQLException {
        return queries.detail(eventId).map(detail -> Response.ok(detail).build())
                .orElseGet(() -> notFound(eventId));
    }

    @POST
    @Path("{id}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retry(@PathParam("id") String eventId, OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        if (operations.retry(eventId, caller(), body.reason())) {
            return Response.ok(Map.of("requeued", 1)).build();
        }
        return unchanged(eventId, "is not in a retryable status (" + EventOperations.RETRYABLE + ")");
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resolve(@PathParam("id") String eventId, OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        if (operations.resolve(eventId, caller(), body.reason())) {
            return Response.ok(Map.of("resolved", 1)).build();
        }
        return unchanged(eventId, "cannot be resolved by hand from its status (" + EventOperations.RESOLVABLE + ")");
    }

    @POST
    @Path("{id}/assign-tenant")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response assignTenant(@PathParam("id") String eventId, OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        int assigned = operations.assignTenant(eventId, body.tenantId(), caller(), body.reason());
        if (assigned > 0) {
            return Response.ok(Map.of("assigned", assigned)).build();
        }
        return unchanged(eventId, "is not parked as UNMAPPED");
    }

    @POST
    @Path("retry")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retrySelection(OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        List<String> ids = body.eventIds() == null ? List.of() : body.eventIds();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("event_ids must name at least one event");
        }
        return Response.ok(Map.of("requeued", operations.retry(ids, caller(), body.reason()))).build();
    }

    @POST
    @Path("retry-failed")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retryFailed(OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        return Response.ok(Map.of("requeued",
                operations.retryFailed(body.type(), body.since(), caller(), body.reason()))).build();
    }

    @POST
    @Path("rerun")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rerun(OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        return Response.ok(Map.of("requeued",
                operations.rerunProcessed(body.type(), body.since(), caller(), body.reason()))).build();
    }

    private String caller() {
        return security.getUserPrincipal().getName();
    }

    private Response notFound(String eventId) {
        return ApiError.of(Response.Status.NOT_FOUND, "event_not_found", "No event " + eventId + " in the inbox.")
                .build();
    }

    private Response unchanged(String eventId, String why) throws SQLException {
        Optional<EventViews.Detail> detail = queries.detail(eventId);
        if (detail.isEmpty()) {
            return notFound(eventId);
        }
        if (detail.get().payloadRemovedAt() != null) {
            return ApiError.of(Response.Status.CONFLICT, "payload_removed", "Event " + eventId
                    + " cannot run again: its body was removed by data retention on "
                    + detail.get().payloadRemovedAt() + ".").build();
        }
        return ApiError.of(Response.Status.CONFLICT, "invalid_status", "Event " + eventId + " " + why + ".").build();
    }

    private static InboxStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return InboxStatus.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of " + List.of(InboxStatus.values()));
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-08-01T00:00:00Z");
        }
    }
}
