package io.billing.composition;

import io.billing.platform.persistence.SchemaMigration;
import io.billing.refusal.RefusalLog;
import io.billing.refusal.RefusedDeliveries;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The log of the webhook's refused deliveries ({@code billing.webhook.refusals.*}, in docs/configuration.md), written
 * on the container's scheduled threads a second after a refusal, and on every node that takes deliveries, whether it
 * runs the engine or not. What is still in memory at shutdown is written then.
 */
@ApplicationScoped
public class RefusalConfiguration {

    /** Long enough to gather a burst into one transaction, short enough that a person sees a refusal at once. */
    static final Duration FLUSH_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(RefusalConfiguration.class.getName());

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Clock clock;

    @Inject
    EngineConfiguration engine;

    @Inject
    @ConfigProperty(name = "billing.webhook.refusals.keep", defaultValue = "1000")
    int keep;

    @Inject
    @ConfigProperty(name = "billing.webhook.refusals.count-days", defaultValue = "30")
    long countDays;

    @Produces
    @Singleton
    RefusalLog refusalLog() {
        return new RefusalLog(dataSource, clock, engine.nodeId(),
                new RefusalLog.Settings(keep, Duration.ofDays(countDays), FLUSH_DELAY),
                (task, delay) -> scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    void writeTheRest(@Disposes RefusalLog log) {
        try {
            log.flush();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Refused webhook deliveries not written at shutdown: {0}", e.getMessage());
        }
    }

    @Produces
    @Singleton
    RefusedDeliveries refusedDeliveries() {
        return new RefusedDeliveries(dataSource, clock);
    }
}
