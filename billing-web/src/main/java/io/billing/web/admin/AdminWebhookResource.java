package io.billing.web.admin;

import io.billing.refusal.RefusedDeliveries;
import io.billing.refusal.RefusalReasons;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.List;

/**
 * What the webhook refused: counts per hour and reason over the last hours, and the latest refusals with their time,
 * address and reason (never a body or a header: none is kept).
 */
@Path("admin/webhook")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminWebhookResource {

    @Inject
    RefusedDeliveries refusals;

    @GET
    @Path("refusals")
    public JsonObject refusals(@QueryParam("hours") Integer hours, @QueryParam("limit") Integer limit)
            throws SQLException {
        RefusedDeliveries.Span span = refusals.lastHours(hours == null ? 24 : hours);
        List<RefusedDeliveries.Refusal> latest = refusals.latest(limit == null ? 50 : limit);
        JsonArrayBuilder reasons = ApiError.JSON.createArrayBuilder();
        span.reasons().forEach((reason, count) -> reasons.add(ApiError.JSON.createObjectBuilder()
                .add("reason", reason).add("description", RefusalReasons.describe(reason)).add("refusals", count)));
        JsonArrayBuilder perHour = ApiError.JSON.createArrayBuilder();
        for (RefusedDeliveries.Hour hour : span.hours()) {
            JsonObjectBuilder byReason = ApiError.JSON.createObjectBuilder();
            hour.byReason().forEach(byReason::add);
            perHour.add(ApiError.JSON.createObjectBuilder().add("hour", hour.hour().toString())
                    .add("refusals", hour.total()).add("reasons", byReason));
        }
        JsonArrayBuilder refused = ApiError.JSON.createArrayBuilder();
        for (RefusedDeliveries.Refusal refusal : latest) {
            refused.add(ApiError.JSON.createObjectBuilder().add("refused_at", refusal.refusedAt().toString())
                    .add("remote_address", refusal.remoteAddress()).add("reason", refusal.reason())
                    .add("description", refusal.description()));
        }
        return ApiError.JSON.createObjectBuilder()
                .add("from", span.hours().get(0).hour().toString())
                .add("refusals", span.total())
                .add("reasons", reasons)
                .add("per_hour", perHour)
                .add("latest", refused)
                .build();
    }
}
