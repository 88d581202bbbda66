package io.billing.web.demo;

import com.sun.net.httpserver.HttpServer;
import io.billing.stripe.webhook.WebhookSignatureVerifier;
import io.billing.testsupport.StripeFixtures;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's samples: all bundled from the test fixtures, oldest first, each delivered with a signature the webhook accepts. */
class SampleStoriesTest {

    @Test
    void everySampleIsDeliveredInCreatedOrderSignedAsStripeSigns() throws Exception {
        List<SampleStories.Sample> samples = SampleStories.load();
        assertEquals(41, samples.size(), "acme, globex and the unmapped samples");
        for (SampleStories.Sample sample : samples) {
            assertEquals(new String(StripeFixtures.get(sample.name()).body(), StandardCharsets.UTF_8), sample.body(),
                    sample.name() + " is the test fixture of that name, copied into the WAR at build time");
        }
        for (int i = 1; i < samples.size(); i++) {
            assertTrue(samples.get(i - 1).created() <= samples.get(i).created(), "oldest first");
        }

        String secret = "whsec_demo_test";
        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(List.of(secret), Duration.ofMinutes(5),
                Clock.systemUTC());
        List<String> refused = new ArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/api/stripe/webhook", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                try {
                    verifier.verify(body, exchange.getRequestHeaders().getFirst("Stripe-Signature"));
                    exchange.sendResponseHeaders(200, -1);
                } catch (Exception e) {
                    refused.add(e.getMessage());
                    exchange.sendResponseHeaders(400, -1);
                }
            }
        });
        webhook.start();
        try {
            URI target = URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/api/stripe/webhook");
            HttpClient http = HttpClient.newHttpClient();
            for (SampleStories.Sample sample : samples) {
                assertEquals(200, SampleStories.deliver(http, target, secret, sample, Clock.systemUTC()), sample.name());
            }
            SampleStories.Sample subscription = samples.stream()
                    .filter(s -> s.name().equals("globex/02_customer.subscription.created.json")).findFirst().orElseThrow();
            com.google.gson.JsonObject poisoned = com.google.gson.JsonParser.parseString(
                    SampleStories.poisoned(subscription, "evt_demo_failed_x").body()).getAsJsonObject();
            assertEquals("evt_demo_failed_x", poisoned.get("id").getAsString());
            assertFalse(poisoned.getAsJsonObject("data").getAsJsonObject("object").has("status"));
            assertEquals(400, SampleStories.deliver(http, target, "whsec_wrong", samples.get(0), Clock.systemUTC()),
                    "a wrong secret is refused, so the check above means something");
        } finally {
            webhook.stop(0);
        }
        assertEquals(1, refused.size());
    }
}
