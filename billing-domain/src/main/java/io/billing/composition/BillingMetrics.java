package io.billing.composition;

import io.billing.inbox.InboxStatus;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.processing.ProcessingObserver;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.retention.DataRetention;
import io.billing.stripe.api.EventRecovery;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The engine's metrics in MicroProfile Metrics (Prometheus text at {@code /metrics}; names in the README):
 * attempts by type and outcome and their duration, recovery runs, what data retention removed, and gauges of the
 * queue and the outbox read from the database at most every ten seconds, however often the endpoint is scraped.
 */
@ApplicationScoped
public class BillingMetrics {

    private static final Logger LOG = Logger.getLogger(BillingMetrics.class.getName());
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(10);

    @Inject
    MetricRegistry metrics;

    @Inject
    Clock clock;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    private EventViews.Overview overview;
    private Instant overviewAt = Instant.MIN;

    /** Counts every settled attempt and times it. */
    public ProcessingObserver processingObserver() {
        return (type, outcome, took) -> {
            metrics.counter("processing.attempts", new Tag("type", type), new Tag("outcome", outcome.name())).inc();
            metrics.timer("processing.duration").update(took);
        };
    }

    /** Counts a long-running loop's unexpected end (it is restarted: see {@code LoopSupervisor}). */
    public void loopDied(String loop) {
        metrics.counter("loop.restarts", new Tag("loop", loop)).inc();
    }

    /** Counts a recovery run by its outcome, and the events it recovered. */
    public void recoveryRan(EventRecovery.Run run) {
        metrics.counter("recovery.runs", new Tag("status", run.status())).inc();
        metrics.counter("recovery.events.recovered").inc(run.eventsNew());
    }

    /** Counts what one transaction of data retention removed. */
    public DataRetention.Observer retentionObserver() {
        return (kind, rows) -> metrics.counter("retention.removed", new Tag("kind", kind.label())).inc(rows);
    }

    /** Registers the queue and outbox gauges. */
    public void registerGauges() {
        for (InboxStatus status : InboxStatus.values()) {
            metrics.gauge("queue.depth", this, m -> m.overview().map(o -> o.count(status.name())).orElse(-1L),
                    new Tag("status", status.name()));
        }
        metrics.gauge("queue.oldest.due.age.seconds", this, m -> m.overview()
                .map(o -> o.oldestDue() == null ? 0L : Math.max(0L, Duration.between(o.oldestDue(), clock.instant()).toSeconds()))
                .orElse(-1L));
        metrics.gauge("outbox.backlog", this, m -> m.overview().map(EventViews.Overview::outboxBacklog).orElse(-1L));
        metrics.gauge("outbox.failed", this, m -> m.overview().map(EventViews.Overview::outboxFailed).orElse(-1L));
    }

    /** The latest overview, refreshed at most every ten seconds; empty while the database does not answer. */
    synchronized java.util.Optional<EventViews.Overview> overview() {
        Instant now = clock.instant();
        if (overview == null || Duration.between(overviewAt, now).compareTo(GAUGE_REFRESH) >= 0) {
            try {
                overview = new EventQueries(dataSource).overview();
                overviewAt = now;
            } catch (SQLException e) {
                LOG.log(Level.FINE, "metrics: the database did not answer", e);
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(overview);
    }
}
