package io.billing.composition;

import io.billing.inbox.InboxStatus;
import io.billing.outbox.OutboxDispatcher;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.time.DatabaseClock;
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
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The engine's metrics in MicroProfile Metrics (Prometheus text at {@code /metrics}; names in the README):
 * attempts by type and outcome and their duration, recovery runs, the outbox lanes paused by their circuit
 * breakers, what data retention removed, and gauges of the queue and the outbox read from the database at most
 * every ten seconds, however often the endpoint is scraped.
 */
@ApplicationScoped
public class BillingMetrics {

    private static final Logger LOG = Logger.getLogger(BillingMetrics.class.getName());
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(10);

    @Inject
    MetricRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    DatabaseClock databaseClock;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    private EventViews.Overview overview;
    private Instant overviewAt = Instant.MIN;
    /** How far the database's clock was ahead of this node's at the last refresh: due times are on the former. */
    private Duration databaseAhead = Duration.ZERO;

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

    /**
     * Registers, per destination, how many of its lanes this node's circuit breakers pause now, and counts every
     * pause. Per destination, not per lane: a lane per tenant would make a time series per tenant.
     */
    public void registerOutboxLanes(OutboxDispatcher dispatcher, Set<String> destinations) {
        for (String destination : destinations) {
            metrics.gauge("outbox.lanes.paused", dispatcher, d -> d.pausedLanes(destination),
                    new Tag("destination", destination));
        }
        dispatcher.onLanePaused(lane -> metrics.counter("outbox.lane.pauses",
                new Tag("destination", lane.destination())).inc());
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
                .map(o -> o.oldestDue() == null ? 0L : Math.max(0L,
                        Duration.between(o.oldestDue(), clock.instant().plus(databaseAhead())).toSeconds()))
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
                databaseAhead = Duration.between(now, Transactions.inTransaction(dataSource, databaseClock::now));
            } catch (SQLException e) {
                LOG.log(Level.FINE, "metrics: the database did not answer", e);
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(overview);
    }

    private synchronized Duration databaseAhead() {
        return databaseAhead;
    }
}
