package io.billing.web.tenant;

import io.billing.apikey.ApiScope;
import io.billing.entitlement.Entitlements;
import io.billing.tenant.TenantId;
import io.billing.web.apikey.ApiKeyAccess;
import io.billing.web.apikey.ApiKeyRequired;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The SaaS application's question: what may this tenant use now, and until when? An unknown tenant, or
 * one without a live subscription, may use nothing: the answer is an empty list, not an error. Needs a key with
 * the scope {@code entitlements:read}, bound to no tenant or to this one.
 */
@Path("tenants/{tenantId}/entitlements")
@Tag(name = "saas")
@SecurityRequirement(name = "apiKey")
@RequestScoped
@ApiKeyRequired(ApiScope.ENTITLEMENTS_READ)
@Produces(MediaType.APPLICATION_JSON)
public class TenantEntitlementsResource {

    public record Answer(String tenantId, String asOf, List<Entitlements.Feature> features) {
    }

    @Inject
    Entitlements entitlements;

    @Inject
    Clock clock;

    @Context
    SecurityContext security;

    @GET
    @Operation(summary = "What the tenant may use now, and until when",
            description = "An unknown tenant, or one without a live subscription, gets an empty list.")
    @APIResponse(responseCode = "200", description = "The tenant's features", content = @Content(examples = @ExampleObject(
            name = "acme", value = "{\"tenant_id\":\"tenant_acme\",\"as_of\":\"2026-09-20T10:00:00Z\",\"features\":"
            + "[{\"feature\":\"sso\",\"until\":\"2026-10-18T14:02:31Z\",\"source\":\"sub_TEST1\"}]}")))
    @APIResponse(responseCode = "401", description = "No API key, or an unknown or revoked one (unauthorized)")
    @APIResponse(responseCode = "403", description = "The key lacks entitlements:read (missing_scope), or is bound to "
            + "another tenant (tenant_not_allowed)")
    public Answer get(@PathParam("tenantId") String tenantId) throws SQLException {
        ApiKeyAccess.forTenant(security, tenantId);
        return new Answer(tenantId, clock.instant().toString(), entitlements.current(TenantId.of(tenantId)));
    }
}
