package io.billing.composition;

import io.billing.checkout.CheckoutSessions;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.queue.WorkSignal;
import io.billing.platform.time.DatabaseClock;
import io.billing.stripe.api.EventRecovery;
import io.billing.stripe.api.ObjectReads;
import io.billing.stripe.api.StripeApiSettings;
import io.billing.stripe.api.StripeGateway;
import io.billing.stripe.api.StripeJavaGateway;
import io.billing.tenant.TenantMappings;
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

    @Inject
    @ConfigProperty(name = "billing.recovery.enabled", defaultValue = "true")
    boolean recoveryEnabled;

    @Inject
    @ConfigProperty(name = "billing.recovery.interval-seconds", defaultValue = "900")
    long recoveryIntervalSeconds;

    @Inject
    @ConfigProperty(name = "billing.recovery.initial-lookback-hours", defaultValue = "72")
    long recoveryInitialLookbackHours;

    @Inject
    @ConfigProperty(name = "billing.recovery.overlap-seconds", defaultValue = "300")
    long recoveryOverlapSeconds;

    @Inject
    @ConfigProperty(name = "billing.recovery.requests-per-second", defaultValue = "5")
    double recoveryRequestsPerSecond;

    @Inject
    @ConfigProperty(name = "billing.checkout.success-url",
            defaultValue = "http://localhost:8080/checkout/success?session_id={CHECKOUT_SESSION_ID}")
    String checkoutSuccessUrl;

    @Inject
    @ConfigProperty(name = "billing.checkout.cancel-url", defaultValue = "http://localhost:8080/checkout/cancel")
    String checkoutCancelUrl;

    @Inject
    @ConfigProperty(name = "billing.portal.return-url", defaultValue = "http://localhost:8080/")
    String portalReturnUrl;

    @Inject
    EngineConfiguration engine;

    @Inject
    TenantMappings mappings;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    DataAccess data;

    @Inject
    Clock clock;

    @Inject
    DatabaseClock databaseClock;

    @Inject
    WorkSignal signal;

    private Optional<StripeGateway> gateway;
    private Optional<ObjectReads> objectReads;
    private Optional<EventRecovery> recovery;
    private Optional<CheckoutSessions> checkout;

    /** Checkout and portal sessions, or empty when no API key is configured. */
    public synchronized Optional<CheckoutSessions> checkout() {
        if (checkout == null) {
            checkout = gateway().map(g -> new CheckoutSessions(data, clock, g, mappings,
                    new CheckoutSessions.Urls(checkoutSuccessUrl, checkoutCancelUrl, portalReturnUrl)));
        }
        return checkout;
    }

    /** Whether an API key is configured: without one, recovery, object reads, Checkout and the Portal are off. */
    public boolean keyConfigured() {
        return apiKey.filter(key -> !key.isBlank()).isPresent();
    }

    /** The gateway, or empty when no API key is configured. */
    public synchronized Optional<StripeGateway> gateway() {
        if (gateway == null) {
            gateway = apiKey.filter(key -> !key.isBlank()).map(key -> new StripeJavaGateway(settings(key.trim())));
        }
        return gateway;
    }

    /** The longest one call of the Stripe API takes, stripe-java's own retries included. */
    public Duration callTimeLimit() {
        return settings("").callTimeLimit();
    }

    private StripeApiSettings settings(String key) {
        return new StripeApiSettings(key, apiBase, Duration.ofMillis(connectTimeoutMillis),
                Duration.ofMillis(readTimeoutMillis), maxNetworkRetries);
    }

    /** Object reads through the gateway, or empty when no API key is configured. */
    public synchronized Optional<ObjectReads> objectReads() {
        if (objectReads == null) {
            objectReads = gateway().map(g -> new ObjectReads(dataSource, clock, g, signal::workArrived));
        }
        return objectReads;
    }

    /** The missed-event recovery, or empty when no API key is configured. */
    public synchronized Optional<EventRecovery> recovery() {
        if (recovery == null) {
            EventRecovery.Settings settings = new EventRecovery.Settings(Duration.ofHours(recoveryInitialLookbackHours),
                    Duration.ofSeconds(recoveryOverlapSeconds), 100, recoveryRequestsPerSecond, Duration.ofMinutes(5));
            recovery = gateway().map(g -> new EventRecovery(dataSource, clock, databaseClock, g, engine.nodeId(),
                    settings, pause -> Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000),
                    signal::workArrived));
        }
        return recovery;
    }

    /** Whether this node runs the recovery on a schedule (it still runs once in the cluster), and how often. */
    public Optional<Duration> recoverySchedule() {
        return recoveryEnabled && recovery().isPresent()
                ? Optional.of(Duration.ofSeconds(recoveryIntervalSeconds)) : Optional.empty();
    }
}
