package io.billing.web.admin;

import io.billing.tenant.TenantId;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.core.SecurityContext;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Tenant mappings for operators: by Stripe customer, and by Stripe Connect account. Setting one re-queues
 * the events parked for that customer or account; every change is audited with the value before and after.
 */
@Path("admin/mappings")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminMappingsResource {

    @Inject
    TenantMappings mappings;

    @Context
    SecurityContext security;

    @GET
    @Path("customers/{customerId}")
    public Response customer(@PathParam("customerId") String customerId) throws SQLException {
        return found("customer", customerId, mappings.tenantOf(customerId));
    }

    @PUT
    @Path("customers/{customerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putCustomer(@PathParam("customerId") String customerId, OperatorRequest request)
            throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        return changed("customer", customerId, body.tenantId(),
                mappings.put(customerId, body.tenantId(), caller(), body.reason()));
    }

    @DELETE
    @Path("customers/{customerId}")
    public Response deleteCustomer(@PathParam("customerId") String customerId, @QueryParam("reason") String reason)
            throws SQLException {
        return removed("customer", customerId, mappings.remove(customerId, caller(), reason));
    }

    @DELETE
    @Path("accounts/{accountId}")
    public Response deleteAccount(@PathParam("accountId") String accountId, @QueryParam("reason") String reason)
            throws SQLException {
        return removed("account", accountId, mappings.removeAccount(accountId, caller(), reason));
    }

    @GET
    @Path("accounts/{accountId}")
    public Response account(@PathParam("accountId") String accountId) throws SQLException {
        return found("account", accountId, mappings.tenantOfAccount(accountId));
    }

    @PUT
    @Path("accounts/{accountId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putAccount(@PathParam("accountId") String accountId, OperatorRequest request) throws SQLException {
        OperatorRequest body = OperatorRequest.orEmpty(request);
        return changed("account", accountId, body.tenantId(),
                mappings.putAccount(accountId, body.tenantId(), caller(), body.reason()));
    }

    private String caller() {
        return security.getUserPrincipal().getName();
    }

    private static Response found(String kind, String id, Optional<TenantId> tenant) {
        return tenant.map(t -> Response.ok(Map.of(kind + "_id", id, "tenant_id", t.value())).build())
                .orElseGet(() -> notFound(kind, id));
    }

    private static Response changed(String kind, String id, String tenantId, int requeued) {
        return Response.ok(Map.of(kind + "_id", id, "tenant_id", tenantId, "requeued", requeued)).build();
    }

    private static Response removed(String kind, String id, boolean removed) {
        return removed ? Response.noContent().build() : notFound(kind, id);
    }

    private static Response notFound(String kind, String id) {
        return ApiError.of(Response.Status.NOT_FOUND, "mapping_not_found",
                "The " + kind + " " + id + " is not mapped to a tenant.").build();
    }
}
