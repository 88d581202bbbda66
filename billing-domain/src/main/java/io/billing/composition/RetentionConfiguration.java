package io.billing.composition;

import io.billing.retention.RetentionSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * Data retention's settings from MicroProfile Config ({@code BILLING_RETENTION_*}; every key and default is in
 * docs/configuration.md, what they do in docs/operations.md).
 */
@ApplicationScoped
public class RetentionConfiguration {

    @Inject
    @ConfigProperty(name = "billing.retention.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "billing.retention.payload-days", defaultValue = "90")
    long payloadDays;

    @Inject
    @ConfigProperty(name = "billing.retention.attempt-detail-days", defaultValue = "90")
    long attemptDetailDays;

    @Inject
    @ConfigProperty(name = "billing.retention.outbox-days", defaultValue = "90")
    long outboxDays;

    @Inject
    @ConfigProperty(name = "billing.retention.batch-size", defaultValue = "1000")
    int batchSize;

    @Inject
    @ConfigProperty(name = "billing.retention.batch-pause-ms", defaultValue = "0")
    long batchPauseMillis;

    @Inject
    @ConfigProperty(name = "billing.retention.interval-minutes", defaultValue = "60")
    long intervalMinutes;

    /** How often this node tries to run the retention (it runs on one node of the cluster at a time); empty if off. */
    public Optional<Duration> schedule() {
        if (intervalMinutes < 1) {
            throw new IllegalArgumentException("billing.retention.interval-minutes must be at least 1");
        }
        return enabled ? Optional.of(Duration.ofMinutes(intervalMinutes)) : Optional.empty();
    }

    public RetentionSettings settings() {
        return new RetentionSettings(Duration.ofDays(payloadDays), Duration.ofDays(attemptDetailDays),
                Duration.ofDays(outboxDays), batchSize, Duration.ofMillis(batchPauseMillis), Duration.ofMinutes(5));
    }
}
