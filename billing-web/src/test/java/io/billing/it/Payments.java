package io.billing.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.testsupport.StripeFixtures;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Payments delivered through the webhook for a tenant, order and amount of their own, processed before they return. */
final class Payments {

    private Payments() {
    }

    /** A one-time order's payment_intent.succeeded (acme's ord_1002 shape); returns its payment intent. */
    static String payOrder(WebhookClient client, String tenant, String order, long amount) throws InterruptedException {
        return deliver(client, "acme/10_payment_intent.succeeded.json", tenant, order,
                Unique.id("pi_IT_"), amount);
    }

    /** A payment intent's or a charge's event of the fixture, for this payment intent; returns the payment intent. */
    static String deliver(WebhookClient client, String fixture, String tenant, String order, String paymentIntent,
                          long amount) throws InterruptedException {
        JsonObject event = JsonParser.parseString(new String(StripeFixtures.get(fixture).body(), StandardCharsets.UTF_8))
                .getAsJsonObject();
        String eventId = Unique.id("evt_conn_");
        event.addProperty("id", eventId);
        event.addProperty("created", WebhookClient.now());
        JsonObject object = event.getAsJsonObject("data").getAsJsonObject("object");
        if (object.get("object").getAsString().equals("charge")) {
            object.addProperty("id", Unique.id("ch_IT_"));
            object.addProperty("payment_intent", paymentIntent);
            object.addProperty("amount", amount);
        } else {
            object.addProperty("id", paymentIntent);
            object.addProperty("amount", amount);
            object.addProperty("amount_received", amount);
        }
        object.addProperty("customer", "cus_" + tenant);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("tenant_id", tenant);
        metadata.addProperty("order_id", order);
        object.add("metadata", metadata);
        assertEquals(200, client.postSigned(event.toString().getBytes(StandardCharsets.UTF_8)).status());
        client.awaitStatus(eventId, "PROCESSED");
        return paymentIntent;
    }
}
