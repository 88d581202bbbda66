package io.billing.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MicroProfile Health on the deployed service: live, and ready with its database and webhook-secret checks. */
@ExtendWith(ArquillianExtension.class)
class HealthIT {

    private final WebhookClient client = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void theServiceIsLiveAndReadyWithItsChecksNamed() {
        WebhookClient.Answer live = client.get("health/live");
        assertEquals(200, live.status(), live.body());
        WebhookClient.Answer ready = client.get("health/ready");
        assertEquals(200, ready.status(), ready.body());
        JsonObject json = ready.json();
        assertEquals("UP", json.getString("status"));
        Map<String, String> checks = json.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        assertEquals("UP", checks.get("database"), ready.body());
        assertEquals("UP", checks.get("webhook-secrets"), ready.body());
        assertEquals(Set.of("database", "webhook-secrets"), checks.keySet(),
                "readiness is about taking deliveries: a backlog does not take a node off the balancer");
    }
}
