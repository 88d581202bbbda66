package io.billing.web.webhook;

import io.billing.stripe.webhook.WebhookSignatureVerifier;
import io.billing.web.demo.DemoMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The webhook's configuration, read once from MicroProfile Config. */
@ApplicationScoped
public class WebhookSettings {

    /** Stripe's own limit on event payloads is far below this; anything larger is not from Stripe. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    @Inject
    @ConfigProperty(name = "stripe.webhook.secrets")
    Optional<String> secrets;

    @Inject
    @ConfigProperty(name = "stripe.webhook.tolerance-seconds", defaultValue = "300")
    long toleranceSeconds;

    @Inject
    @ConfigProperty(name = "billing.intake.max-body-bytes", defaultValue = "" + DEFAULT_MAX_BODY_BYTES)
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "billing.intake.retry-after-seconds", defaultValue = "10")
    int retryAfterSeconds;

    /** A singleton without a proxy: the verifier is immutable and final. */
    @Produces
    @Singleton
    WebhookSignatureVerifier verifier(Clock clock, DemoMode demo) {
        List<String> configured = new java.util.ArrayList<>(List.of(secrets.orElse("").split(",")));
        if (demo.enabled()) {
            configured.add(demo.secret()); // the demo feeder signs its samples with it
        }
        return new WebhookSignatureVerifier(configured, Duration.ofSeconds(toleranceSeconds), clock);
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
