package io.billing.it;

import com.google.gson.JsonNull;
import io.billing.testsupport.StripeFixtures;
import jakarta.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the SaaS application's calls need before they can succeed: an API key, created through the operator API as
 * an admin would, and prices in the plan catalogue, fed as Stripe would (signed {@code price.created} events).
 */
final class SaasSetup {

    /** The recurring price of the acme story, and a one-time price beside it: what checkouts sell in the tests. */
    static final String MONTHLY = "price_PRO_MONTHLY";
    static final String ONCE = "price_IT_ONCE";

    /** Each price event a second after the one before, so the newest snapshot is always the one sent last. */
    private static final AtomicLong LAST_CREATED = new AtomicLong();
    private static volatile boolean standardPricesOffered;

    /** A key as the operator API created it: its id and the secret, which no later answer shows. */
    record Key(String keyId, String secret) {
    }

    private SaasSetup() {
    }

    /** Creates a key through the operator API; {@code tenant} null for every tenant. */
    static Key createKey(WebhookClient client, String tenant, String... scopes) {
        StringBuilder body = new StringBuilder("{\"name\":\"it-" + UUID.randomUUID() + "\",\"scopes\":[");
        for (int i = 0; i < scopes.length; i++) {
            body.append(i > 0 ? "," : "").append('"').append(scopes[i]).append('"');
        }
        body.append("]").append(tenant == null ? "" : ",\"tenant_id\":\"" + tenant + "\"")
                .append(",\"reason\":\"integration test\"}");
        WebhookClient.Answer created = client.operator("POST", "api/admin/api-keys", body.toString());
        assertEquals(201, created.status(), created.body());
        JsonObject json = created.json();
        return new Key(json.getJsonObject("key").getString("key_id"), json.getString("secret"));
    }

    /** {@link #MONTHLY} and {@link #ONCE} in the catalogue, active, in USD; sent once per test run. */
    static synchronized void offerStandardPrices(WebhookClient client) throws InterruptedException {
        if (!standardPricesOffered) {
            offerPrice(client, MONTHLY, "month", "usd", true);
            offerPrice(client, ONCE, null, "usd", true);
            standardPricesOffered = true;
        }
    }

    /** A price of the product {@code prod_PRO} as the catalogue will hold it; {@code interval} null: paid once. */
    static void offerPrice(WebhookClient client, String priceId, String interval, String currency, boolean active)
            throws InterruptedException {
        String eventId = "evt_price_" + UUID.randomUUID().toString().replace("-", "");
        long created = LAST_CREATED.updateAndGet(last -> Math.max(last + 1, WebhookClient.now()));
        StripeFixtures.Fixture event = StripeFixtures.get("acme/02_price.created.json").withObjectChanged(eventId,
                price -> {
                    price.addProperty("id", priceId);
                    price.addProperty("currency", currency);
                    price.addProperty("active", active);
                    if (interval == null) {
                        price.add("recurring", JsonNull.INSTANCE);
                        price.addProperty("type", "one_time");
                    } else {
                        price.getAsJsonObject("recurring").addProperty("interval", interval);
                    }
                }).createdAt(created);
        assertEquals(200, client.postSigned(event.body()).status());
        client.awaitStatus(eventId, "PROCESSED");
    }
}
