package io.billing.processing.runtime;

import io.billing.processing.WorkSignal;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.stripe.api.ObjectReads;
import io.billing.stripe.api.StripeApiSettings;
import io.billing.stripe.api.StripeGateway;
import io.billing.stripe.api.StripeJavaGateway;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The Stripe API connection from MicroProfile Config ({@code STRIPE_API_KEY}, {@code STRIPE_API_BASE} …, all
 * in the README). Without a key every outbound feature says so clearly and the rest of the service runs.
 */
@ApplicationScoped
public class StripeApiConfiguration {

    @Inject
    @ConfigProperty(name = "stripe.api.key")
    Optional<String> apiKey;

    @Inject
    @ConfigProperty(name = "stripe.api.base", defaultValue = StripeApiSettings.DEFAULT_API_BASE)
    String apiBase;

    @Inject
    @ConfigProperty(name = "stripe.api.connect-timeout-ms", defaultValue = "5000")
    long connectTimeoutMillis;

    @Inject
    @ConfigProperty(name = "stripe.api.read-timeout-ms", defaultValue = "20000")
    long readTimeoutMillis;

    @Inject
    @ConfigProperty(name = "stripe.api.max-network-retries", defaultValue = "2")
    int maxNetworkRetries;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    WorkSignal signal;

    private Optional<StripeGateway> gateway;
    private Optional<ObjectReads> objectReads;

    /** The gateway, or empty when no API key is configured. */
    public synchronized Optional<StripeGateway> gateway() {
        if (gateway == null) {
            gateway = apiKey.filter(key -> !key.isBlank()).map(key -> new StripeJavaGateway(new StripeApiSettings(
                    key.trim(), apiBase, Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(readTimeoutMillis),
                    maxNetworkRetries)));
        }
        return gateway;
    }

    /** Object reads through the gateway, or empty when no API key is configured. */
    public synchronized Optional<ObjectReads> objectReads() {
        if (objectReads == null) {
            objectReads = gateway().map(g -> new ObjectReads(dataSource, clock, g, signal::workArrived));
        }
        return objectReads;
    }
}
