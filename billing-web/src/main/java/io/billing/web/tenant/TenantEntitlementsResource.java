package io.billing.web.tenant;

import io.billing.entitlement.Entitlements;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The SaaS application's question: what may this tenant use now, and until when? An unknown tenant, or
 * one without a live subscription, may use nothing: the answer is an empty list, not an error.
 */
@Path("tenants/{tenantId}/entitlements")
@RequestScoped
@ServiceTokenRequired
@Produces(MediaType.APPLICATION_JSON)
public class TenantEntitlementsResource {

    public record Answer(String tenantId, String asOf, List<Entitlements.Feature> features) {
    }

    @Inject
    Entitlements entitlements;

    @Inject
    Clock clock;

    @GET
    public Answer get(@PathParam("tenantId") String tenantId) throws SQLException {
        return new Answer(tenantId, clock.instant().toString(), entitlements.current(tenantId));
    }
}
