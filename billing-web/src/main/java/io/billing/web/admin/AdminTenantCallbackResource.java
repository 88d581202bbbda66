package io.billing.web.admin;

import io.billing.notification.TenantCallbacks;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
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

/**
 * A tenant's callback, told when its entitlements change. Setting it issues a new signing secret, shown in
 * that answer only; reading it never shows the secret. Changes are audited.
 */
@Path("admin/tenants/{tenantId}/callback")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminTenantCallbackResource {

    @Inject
    TenantCallbacks callbacks;

    @Context
    SecurityContext security;

    @GET
    public Response get(@PathParam("tenantId") String tenantId) throws SQLException {
        return callbacks.find(tenantId).map(c -> Response.ok(c).build()).orElseGet(() -> notFound(tenantId));
    }

    /** Body {@code {"url", "reason"}}: answers {@code {"tenant_id", "url", "secret"}}; keep the secret, it is not shown again. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("tenantId") String tenantId, JsonObject body) throws SQLException {
        if (body == null || !(body.get("url") instanceof JsonString url)) {
            throw new IllegalArgumentException("url is required, as a string");
        }
        String reason = body.get("reason") instanceof JsonString text ? text.getString() : null;
        String secret = callbacks.register(tenantId, url.getString(), security.getUserPrincipal().getName(), reason);
        return Response.ok(Map.of("tenant_id", tenantId, "url", url.getString().trim(), "secret", secret)).build();
    }

    @DELETE
    public Response delete(@PathParam("tenantId") String tenantId, @QueryParam("reason") String reason)
            throws SQLException {
        return callbacks.remove(tenantId, security.getUserPrincipal().getName(), reason)
                ? Response.noContent().build() : notFound(tenantId);
    }

    private static Response notFound(String tenantId) {
        return ApiError.of(Response.Status.NOT_FOUND, "callback_not_found",
                "Tenant " + tenantId + " has no callback.").build();
    }
}
