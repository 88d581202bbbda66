package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SaaS application asks what a tenant may use now, with the service token. */
@ExtendWith(ArquillianExtension.class)
class TenantApiIT {

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void refusesCallersWithoutTheServiceToken() {
        assertEquals(401, client.getWithToken("api/tenants/tenant_x/entitlements", null).status());
        WebhookClient.Answer wrong = client.getWithToken("api/tenants/tenant_x/entitlements", "not-the-token");
        assertEquals(401, wrong.status());
        assertEquals("unauthorized", wrong.error());
    }

    @Test
    void aTenantInATrialMayUseItsPlansFeaturesUntilTheTrialEndsPlusGrace() throws Exception {
        // A trial that ends in 10 days: the globex subscription with its dates moved to the future, for a
        // tenant of its own so that no other test's events touch it.
        String tenant = "tenant_it_" + UUID.randomUUID().toString().substring(0, 8);
        String customer = "cus_IT_" + UUID.randomUUID().toString().substring(0, 8);
        long trialEnd = Instant.now().plus(10, ChronoUnit.DAYS).getEpochSecond();
        String body = new String(StripeFixtures.get("globex/02_customer.subscription.created.json").body(),
                StandardCharsets.UTF_8)
                .replace("1787043977", Long.toString(trialEnd))
                .replace("tenant_globex", tenant).replace("cus_TEST2", customer).replace("sub_TEST2", "sub_" + tenant);
        String eventId = "evt_it_" + UUID.randomUUID().toString().replace("-", "");
        body = body.replaceFirst("\"id\": \"evt_[A-Za-z0-9]+\"", "\"id\": \"" + eventId + "\"");
        assertEquals(200, client.postSigned(body.getBytes(StandardCharsets.UTF_8)).status());
        client.awaitStatus(eventId, "PROCESSED");

        WebhookClient.Answer answer = client.getWithToken("api/tenants/" + tenant + "/entitlements",
                environment.serviceToken);
        assertEquals(200, answer.status(), answer.body());
        JsonObject json = answer.json();
        assertEquals(tenant, json.getString("tenant_id"));
        assertEquals(2, json.getJsonArray("features").size(), json.toString());
        JsonObject first = json.getJsonArray("features").getJsonObject(0);
        assertEquals("advanced_reports", first.getString("feature"));
        assertEquals(Instant.ofEpochSecond(trialEnd).plus(3, ChronoUnit.DAYS).toString(), first.getString("until"));
        assertEquals("sub_" + tenant, first.getString("source"));

        JsonObject nobody = client.getWithToken("api/tenants/tenant_nobody/entitlements", environment.serviceToken).json();
        assertTrue(nobody.getJsonArray("features").isEmpty(), "an unknown tenant may use nothing");
    }
}
