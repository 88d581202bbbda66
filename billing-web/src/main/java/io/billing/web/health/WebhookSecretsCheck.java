package io.billing.web.health;

import io.billing.stripe.webhook.WebhookSignatureVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ready only while at least one webhook signing secret is configured: without one every delivery is refused
 * with 503, so the node must not take deliveries from the balancer. Says how many secrets there are, never
 * which.
 *
 * <p>Readiness is about taking deliveries, nothing else: a backlog of events waiting for the engine does not
 * make a node unready (the inbox still stores every delivery, and a backlog on one node is a backlog on all of
 * them, so the balancer would lose every node at once). The backlog's age is the metric
 * {@code queue_oldest_due_age_seconds}, for alerting.
 */
@Readiness
@ApplicationScoped
public class WebhookSecretsCheck implements HealthCheck {

    static final String NAME = "webhook-secrets";

    @Inject
    WebhookSignatureVerifier verifier;

    public WebhookSecretsCheck() {
    }

    WebhookSecretsCheck(WebhookSignatureVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("configured", (long) verifier.secretCount());
        if (!verifier.isConfigured()) {
            data.put("reason", "no webhook secret is configured (STRIPE_WEBHOOK_SECRETS): every delivery would be refused");
        }
        return new HealthCheckResponse(NAME, verifier.isConfigured() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }
}
