package io.billing.connector;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * An external licence service: creates a licence when a subscription starts or a one-time order is paid, and
 * renews it when a renewal is paid. Both calls carry an idempotency key; the receiver drops a repeat.
 */
@RegisterRestClient(configKey = LicenceApi.CONFIG_KEY)
@Path("/")
public interface LicenceApi {

    String CONFIG_KEY = "licence";

    /**
     * Body: {@code {"licence_key", "tenant_id", "product", "subscription_id", "order_id", "valid_until"}}
     * ({@code valid_until} null for a licence without expiry).
     */
    @POST
    @Path("licences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response create(@HeaderParam("Idempotency-Key") String idempotencyKey, String body);

    /** Body: {@code {"valid_until", "invoice_id"}}. */
    @POST
    @Path("licences/{licenceKey}/renew")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response renew(@HeaderParam("Idempotency-Key") String idempotencyKey, @PathParam("licenceKey") String licenceKey,
                   String body);
}
