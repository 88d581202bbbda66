package io.billing.ear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.TestPostgres;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeSigner;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code billing.ear} on Payara Server, the full profile, configured exactly as on Payara Micro: environment
 * variables only, the application's own data source. One signed Stripe event goes in through HTTP and the operator
 * API shows it processed for its tenant.
 *
 * <p>The server runs in a domain of its own under {@code target/domains} with ports from {@code it.portbase}, so a
 * developer's server on the default ports is not disturbed, and against a schema of its own that is dropped first.
 */
class EarOnPayaraServerIT {

    private static final String SCHEMA = "billing_ear_it";
    private static final String SECRET = "whsec_ear_" + UUID.randomUUID().toString().replace("-", "");
    private static final String ADMIN_PASSWORD = "ear-" + UUID.randomUUID();

    private static PayaraServerDomain server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void deployTheEar() throws Exception {
        recreateSchema();
        TestPostgres.Server database = TestPostgres.server();
        server = new PayaraServerDomain(Path.of(System.getProperty("it.payara.home")),
                Path.of(System.getProperty("it.domains")), Integer.getInteger("it.portbase", 28000));
        server.create();
        server.start(Map.of(
                "BILLING_DB_URL", PostgresSchemas.withSchema(database.url(), SCHEMA),
                "BILLING_DB_USER", database.user(),
                "BILLING_DB_PASSWORD", database.password(),
                "STRIPE_WEBHOOK_SECRETS", SECRET,
                "BILLING_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "BILLING_RECOVERY_ENABLED", "false"));
        server.deploy(Path.of(System.getProperty("it.ear")));
    }

    @AfterAll
    static void stopTheServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aSignedEventPostedToTheEarIsStoredOnceAndProcessedForItsTenant() throws Exception {
        StripeFixtures.Fixture fixture = StripeFixtures.get("acme/03_customer.created.json")
                .withEventId("evt_ear_" + UUID.randomUUID().toString().replace("-", ""));

        HttpResponse<String> first = postSigned(fixture.body(), SECRET);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> again = postSigned(fixture.body(), SECRET);
        assertEquals(200, again.statusCode(), "a duplicate delivery is acknowledged: " + again.body());

        JsonObject summary = awaitStatus(fixture.eventId(), "PROCESSED");
        assertEquals("tenant_acme", summary.getString("tenant_id"));
        assertEquals("customer.created", summary.getString("type"));
        assertEquals(2, summary.getInt("delivery_count"), summary.toString());
    }

    @Test
    void aDeliveryWithAForeignSignatureIsRefusedAndNotStored() throws Exception {
        StripeFixtures.Fixture fixture = StripeFixtures.get("acme/03_customer.created.json")
                .withEventId("evt_ear_forged_" + UUID.randomUUID().toString().replace("-", ""));

        HttpResponse<String> answer = postSigned(fixture.body(), "whsec_not_ours");

        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"signature_mismatch\""), answer.body());
        assertEquals(404, operatorGet("api/admin/events/" + fixture.eventId()).statusCode());
    }

    @Test
    void theAdminFragmentInTheWarServesItsLoginPage() throws Exception {
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(server.http().resolve("login.xhtml"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, login.statusCode(), login.body());
        assertTrue(login.body().contains("j_password") || login.body().contains("password"), login.body());
    }

    private static HttpResponse<String> postSigned(byte[] body, String secret) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(server.http().resolve("api/stripe/webhook"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", StripeSigner.header(body, now, secret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> operatorGet(String path) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(server.http().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject awaitStatus(String eventId, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = operatorGet("api/admin/events/" + eventId);
            last = answer.statusCode() + " " + answer.body();
            if (answer.statusCode() == 200) {
                try (JsonReader reader = Json.createReader(new StringReader(answer.body()))) {
                    JsonObject summary = reader.readObject().getJsonObject("summary");
                    if (status.equals(summary.getString("status"))) {
                        return summary;
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("event " + eventId + " did not reach " + status + " in 60 s; last answer: " + last);
    }

    private static void recreateSchema() throws SQLException {
        try (Connection connection = TestPostgres.server().connect()) {
            PostgresSchemas.recreate(connection, SCHEMA);
        }
    }
}
