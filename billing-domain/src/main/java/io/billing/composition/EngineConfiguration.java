package io.billing.composition;

import io.billing.outbox.OutboxDispatcher;
import io.billing.platform.queue.LoopSupervisor;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.EngineSettings;
import io.billing.stripe.StripeModes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The engine's settings from MicroProfile Config (environment variables such as
 * {@code BILLING_ENGINE_WORKERS}; every key and default is listed in the README).
 */
@ApplicationScoped
public class EngineConfiguration {

    @Inject
    @ConfigProperty(name = "billing.engine.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "billing.engine.node-id")
    Optional<String> nodeId;

    @Inject
    @ConfigProperty(name = "billing.engine.workers", defaultValue = "4")
    int workers;

    @Inject
    @ConfigProperty(name = "billing.engine.batch-size", defaultValue = "16")
    int batchSize;

    @Inject
    @ConfigProperty(name = "billing.engine.lease-seconds", defaultValue = "120")
    long leaseSeconds;

    @Inject
    @ConfigProperty(name = "billing.engine.idle-poll-ms", defaultValue = "500")
    long idlePollMillis;

    @Inject
    @ConfigProperty(name = "billing.engine.retry.base-seconds", defaultValue = "60")
    long retryBaseSeconds;

    @Inject
    @ConfigProperty(name = "billing.engine.retry.factor", defaultValue = "2.0")
    double retryFactor;

    @Inject
    @ConfigProperty(name = "billing.engine.retry.cap-seconds", defaultValue = "21600")
    long retryCapSeconds;

    @Inject
    @ConfigProperty(name = "billing.engine.retry.max-attempts", defaultValue = "16")
    int retryMaxAttempts;

    @Inject
    @ConfigProperty(name = "billing.engine.retry.jitter", defaultValue = "0.2")
    double retryJitter;

    @Inject
    @ConfigProperty(name = "billing.outbox.retry.base-seconds")
    Optional<Long> outboxRetryBaseSeconds;

    @Inject
    @ConfigProperty(name = "billing.outbox.retry.factor")
    Optional<Double> outboxRetryFactor;

    @Inject
    @ConfigProperty(name = "billing.outbox.retry.cap-seconds")
    Optional<Long> outboxRetryCapSeconds;

    @Inject
    @ConfigProperty(name = "billing.outbox.retry.max-attempts")
    Optional<Integer> outboxRetryMaxAttempts;

    @Inject
    @ConfigProperty(name = "billing.outbox.lane-concurrency", defaultValue = "3")
    int outboxLaneConcurrency;

    @Inject
    @ConfigProperty(name = "billing.outbox.concurrency", defaultValue = "16")
    int outboxConcurrency;

    @Inject
    @ConfigProperty(name = "billing.outbox.breaker.threshold", defaultValue = "5")
    int outboxBreakerThreshold;

    @Inject
    @ConfigProperty(name = "billing.outbox.breaker.cool-down-seconds", defaultValue = "60")
    long outboxBreakerCoolDownSeconds;

    @Inject
    @ConfigProperty(name = "billing.outbox.lease-margin-seconds", defaultValue = "30")
    long outboxLeaseMarginSeconds;

    @Inject
    @ConfigProperty(name = "billing.tenant.metadata-keys", defaultValue = "tenant_id")
    String tenantMetadataKeys;

    @Inject
    @ConfigProperty(name = "billing.outbox.tenant-notifications.url")
    Optional<String> tenantNotificationsUrl;

    @Inject
    @ConfigProperty(name = "billing.stripe.modes")
    Optional<String> stripeModes;

    /** Read for its prefix only ({@code sk_live_…}, {@code sk_test_…}), which names its mode; never logged. */
    @Inject
    @ConfigProperty(name = "stripe.api.key")
    Optional<String> stripeApiKey;

    @Inject
    @ConfigProperty(name = "billing.tenant.trust-client-reference-id", defaultValue = "false")
    boolean trustClientReferenceId;

    private String resolvedNodeId;

    /**
     * The node's one supervisor of its long-running loops; liveness asks it whether they keep dying. A
     * singleton without a proxy: the supervisor is final.
     */
    @Produces
    @Singleton
    LoopSupervisor loopSupervisor() {
        return LoopSupervisor.defaults();
    }

    /**
     * The clock that leases and due times are read from: the database's, which every node shares, so that nodes
     * whose own clocks differ never take each other's live leases.
     */
    @Produces
    @Singleton
    DatabaseClock databaseClock() {
        return DatabaseClock.database();
    }

    public boolean enabled() {
        return enabled;
    }

    public EngineSettings settings() {
        return new EngineSettings(nodeId(), workers, batchSize, Duration.ofSeconds(leaseSeconds),
                Duration.ofMillis(idlePollMillis), retry(), stripeModes().modes());
    }

    /**
     * The Stripe modes whose events the engine applies: {@code BILLING_STRIPE_MODES}, else the mode of
     * {@code STRIPE_API_KEY}, else both (see {@link StripeModes#choose}). A setting that names no mode fails the start.
     */
    public StripeModes.Chosen stripeModes() {
        return StripeModes.choose(stripeModes, stripeApiKey);
    }

    /**
     * Whether a Checkout Session's {@code client_reference_id} names its tenant on sessions this service did not
     * create (see {@link io.billing.tenant.StripeTenantResolver}). Off unless configured: whoever opens a Payment Link
     * chooses it.
     */
    public boolean trustClientReferenceId() {
        return trustClientReferenceId;
    }

    public RetryPolicy retry() {
        return new RetryPolicy(Duration.ofSeconds(retryBaseSeconds), retryFactor, Duration.ofSeconds(retryCapSeconds),
                retryMaxAttempts, retryJitter);
    }

    /** How outbound messages are retried: as events are, unless {@code billing.outbox.retry.*} says otherwise. */
    public RetryPolicy outboxRetry() {
        return new RetryPolicy(Duration.ofSeconds(outboxRetryBaseSeconds.orElse(retryBaseSeconds)),
                outboxRetryFactor.orElse(retryFactor), Duration.ofSeconds(outboxRetryCapSeconds.orElse(retryCapSeconds)),
                outboxRetryMaxAttempts.orElse(retryMaxAttempts), retryJitter);
    }

    /**
     * How the outbox sends: messages at once per lane and in all, when a lane's breaker pauses it and for how long,
     * and the margin of a message's lease over its transport's time limit.
     */
    public OutboxDispatcher.Settings outboxDispatch() {
        return new OutboxDispatcher.Settings(outboxLaneConcurrency, outboxConcurrency, outboxBreakerThreshold,
                Duration.ofSeconds(outboxBreakerCoolDownSeconds), Duration.ofSeconds(outboxLeaseMarginSeconds),
                Set.of());
    }

    /** The metadata keys that name an event's tenant, in the order they are tried. */
    public List<String> tenantMetadataKeys() {
        return Arrays.stream(tenantMetadataKeys.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    /** Where tenant notifications go; empty when they are not wanted (no notification is written). */
    public Optional<String> tenantNotificationsUrl() {
        return tenantNotificationsUrl.filter(url -> !url.isBlank());
    }

    /**
     * This instance's name in leases and attempt records: configured, or host name, process id and a random
     * suffix, so that two instances on one host (or a restarted one) never share a name.
     */
    public synchronized String nodeId() {
        if (resolvedNodeId == null) {
            resolvedNodeId = nodeId.filter(id -> !id.isBlank()).orElseGet(EngineConfiguration::generatedNodeId);
        }
        return resolvedNodeId;
    }

    private static String generatedNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        String id = host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        return id.length() <= 128 ? id : id.substring(id.length() - 128);
    }
}
