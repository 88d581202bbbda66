package io.billing.connector;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * An external licence service: keeps a user per customer (found by e-mail address), creates a licence for that
 * user when a subscription starts or a one-time order is paid, and renews it when a renewal is paid. Every call
 * carries an idempotency key; the receiver drops a repeat.
 */
@RegisterRestClient(configKey = LicenceApi.CONFIG_KEY)
@Path("/")
public interface LicenceApi {

    String CONFIG_KEY = "licence";

    /**
     * Body: {@code {"licence_key", "tenant_id", "product", "subscription_id", "order_id", "valid_until",
     * "customer_id", "user_id"}} ({@code valid_until} null for a licence without expiry, {@code user_id} null when
     * the customer's e-mail address is not known).
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

    /**
     * Finds the user with the body's e-mail address, or creates one. Body: {@code {"email", "name", "customer_id",
     * "tenant_id"}}; answer: {@code {"id", ...}}.
     */
    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response createUser(@HeaderParam("Idempotency-Key") String idempotencyKey, String body);

    /** Changes a user's e-mail address and name. Body as {@link #createUser}. */
    @PUT
    @Path("users/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response updateUser(@HeaderParam("Idempotency-Key") String idempotencyKey, @PathParam("userId") String userId,
                        String body);
}
