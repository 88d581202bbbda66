package io.billing.notification;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A tenant's callback endpoint, as a MicroProfile Rest Client built per tenant URL. The body is signed in
 * {@code Billing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the tenant's secret>}.
 */
public interface TenantCallbackApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response deliver(@HeaderParam("Billing-Signature") String signature,
                     @HeaderParam("Idempotency-Key") String idempotencyKey, String body);
}
