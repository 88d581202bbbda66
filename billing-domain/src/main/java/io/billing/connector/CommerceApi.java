package io.billing.connector;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * A unified commerce API in front of the tenants' stores: one order by its id, as
 * {@code {"order_id", "store_id", "status", "currency", "total", "lines": [{"sku", "name", "quantity", "amount"}]}}
 * with {@code total} in major units (a JSON number or string); 404 when no store has the order.
 */
@RegisterRestClient(configKey = CommerceApi.CONFIG_KEY)
@Path("/")
public interface CommerceApi {

    String CONFIG_KEY = "commerce";

    @GET
    @Path("orders/{orderId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response order(@PathParam("orderId") String orderId);
}
