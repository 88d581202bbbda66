package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's log after this suite's requests, and some that tempt a careless log line (refused signatures,
 * wrong passwords, an API key used and a wrong one refused, a Stripe failure): one line per event state change, and
 * none of the configured secrets or API keys.
 */
@ExtendWith(ArquillianExtension.class)
class SecretsNotLoggedIT {

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void eventStateChangesAreLoggedAndNoSecretEverIs() throws Exception {
        String eventId = "evt_logged_" + UUID.randomUUID().toString().replace("-", "");
        assertEquals(200, client.postSigned(StripeFixtures.get("acme/01_product.created.json").withEventId(eventId)
                .body()).status());
        client.awaitStatus(eventId, "PROCESSED");
        byte[] body = StripeFixtures.get("acme/02_price.created.json").body();
        assertEquals(400, client.post(body, WebhookClient.JSON, "t=" + WebhookClient.now() + ",v1=00").status());
        assertEquals(401, client.operator("GET", "api/admin/events", null, "admin", environment.adminPassword + "x")
                .status());
        SaasSetup.offerStandardPrices(client);
        SaasSetup.Key key = SaasSetup.createKey(client, null, "entitlements:read", "sessions:create", "tenants:create");
        assertEquals(200, client.getWithToken("api/tenants/tenant_log/entitlements", key.secret()).status());
        assertEquals(401, client.getWithToken("api/tenants/tenant_log/entitlements", key.secret() + "x").status());
        environment.stripe.failNext("/v1/customers", 1, 401, "invalid_request_error", null, "Invalid API Key provided.");
        WebhookClient.Answer refused = client.withToken("POST", "api/billing/checkout", "{\"tenant_id\":\"tenant_log_"
                + UUID.randomUUID() + "\",\"order_id\":\"ord_log\",\"price\":\"" + SaasSetup.ONCE
                + "\",\"mode\":\"payment\",\"create_tenant\":true}", key.secret());
        assertEquals("stripe_authentication", refused.error(), "Stripe refused this service's key: " + refused.body());
        // The log handler writes asynchronously: read until the processing line is there (10 s at most).
        String processed = "event " + eventId + " product.created tenant=- attempt=1 -> PROCESSED in ";
        String read = environment.serviceLogText();
        for (int i = 0; i < 100 && !read.contains(processed); i++) {
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
            read = environment.serviceLogText();
        }
        String log = read;
        assertTrue(!log.isEmpty(), "no log at " + environment.serviceLog() + "*");
        assertTrue(log.contains("event " + eventId + " product.created -> RECEIVED request="), "the receipt is logged");
        assertTrue(log.contains(processed), "the processing is logged");
        Map<String, String> secrets = Map.of("current webhook secret", environment.currentSecret,
                "previous webhook secret", environment.previousSecret, "admin password", environment.adminPassword,
                "service token", environment.serviceToken, "Stripe API key", environment.stripeApiKey,
                "licence key secret", environment.licenceKeySecret, "encryption key", environment.encryptionKey,
                "API key", key.secret());
        List<String> leaked = secrets.entrySet().stream().filter(s -> log.contains(s.getValue())).map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of(), leaked, "secrets found in " + environment.serviceLog());
    }
}
