package io.billing.web.admin;

import io.billing.tenant.TenantMappings;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.sql.SQLException;
import java.util.Map;

/**
 * Customer-to-tenant mappings for operators. Setting one re-queues the events parked as UNMAPPED for
 * that customer; every change is audited with the value before and after.
 */
@Path("admin/mappings/customers/{customerId}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminMappingsResource {

    @Inject
    TenantMappings mappings;

    @Context
    SecurityContext security;

    @GET
    public Response get(@PathParam("customerId") String customerId) throws SQLException {
        return mappings.tenantOf(customerId)
                .map(tenant -> Response.ok(Map.of("customer_id", customerId, "tenant_id", tenant)).build())
                .orElseGet(() -> ApiError.of(Response.Status.NOT_FOUND, "mapping_not_found",
                        "Customer " + customerId + " is not mapped to a tenant.").build());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("customerId") String customerId, OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        int requeued = mappings.put(customerId, body.tenantId(), security.getUserPrincipal().getName(), body.reason());
        return Response.ok(Map.of("customer_id", customerId, "tenant_id", body.tenantId(), "requeued", requeued))
                .build();
    }

    @DELETE
    public Response delete(@PathParam("customerId") String customerId, @QueryParam("reason") String reason)
            throws SQLException {
        if (!mappings.remove(customerId, security.getUserPrincipal().getName(), reason)) {
            return ApiError.of(Response.Status.NOT_FOUND, "mapping_not_found",
                    "Customer " + customerId + " is not mapped to a tenant.").build();
        }
        return Response.noContent().build();
    }
}
