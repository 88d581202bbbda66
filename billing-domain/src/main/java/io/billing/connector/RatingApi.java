package io.billing.connector;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The rating / billing-ledger edge: records one payment per call. The receiver drops a repeated
 * {@code Idempotency-Key}, so a retried delivery is applied once.
 */
@RegisterRestClient(configKey = RatingApi.CONFIG_KEY)
@Path("/")
public interface RatingApi {

    String CONFIG_KEY = "rating";

    /** Body: {@code {"tenant_id", "external_payment_id", "amount", "currency", "order_id", "recorded_at"}}. */
    @POST
    @Path("rate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response rate(@HeaderParam("Idempotency-Key") String idempotencyKey, String body);
}
