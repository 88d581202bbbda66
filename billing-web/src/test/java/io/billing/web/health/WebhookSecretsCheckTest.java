package io.billing.web.health;

import io.billing.stripe.webhook.WebhookSignatureVerifier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSecretsCheckTest {

    private static HealthCheckResponse check(List<String> secrets) {
        return new WebhookSecretsCheck(new WebhookSignatureVerifier(secrets, Duration.ofMinutes(5), Clock.systemUTC()))
                .call();
    }

    @Test
    void notReadyWithoutASecretBecauseEveryDeliveryWouldBeRefused() {
        HealthCheckResponse response = check(List.of("", " "));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals(0L, response.getData().orElseThrow().get("configured"));
        assertTrue(response.getData().orElseThrow().get("reason").toString().contains("STRIPE_WEBHOOK_SECRETS"));
    }

    @Test
    void readyWithSecretsAndNeverShowsThem() {
        HealthCheckResponse response = check(List.of("whsec_current", "whsec_previous"));
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals(2L, response.getData().orElseThrow().get("configured"));
        assertFalse(response.getData().orElseThrow().toString().contains("whsec_"));
    }
}
