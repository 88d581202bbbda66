package io.billing.stripe.api;

import io.billing.audit.AuditLog;
import io.billing.inbox.EventEnvelope;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.EventSource;
import io.billing.inbox.InboxInserts;
import io.billing.inbox.MalformedEventException;
import io.billing.inbox.StoreOutcome;
import io.billing.platform.cluster.ClusterJobLease;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.time.DatabaseClock;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Recovers events the webhook never delivered: pages through Stripe's Events API from a stored watermark
 * and stores every event the inbox does not have yet (source {@link EventSource#EVENTS_API}), through the
 * same parser and insert as the webhook, so the engine cannot tell them apart except by their source.
 *
 * <ul>
 *   <li><b>Once in the cluster.</b> A run holds the {@link ClusterJobLease} of {@link #JOB}, renewed page
 *       by page on the database's clock; a second node (or a second trigger) finds it held and does nothing,
 *       whatever its own clock says.</li>
 *   <li><b>Restartable and idempotent.</b> Each page is stored in one transaction with
 *       {@code ON CONFLICT DO NOTHING}, so a repeated page adds nothing. The watermark only moves when a run
 *       has paged to the end: to the run's start, since every event created before it has been listed.
 *       A failed run leaves it, and the next run lists the same window again.</li>
 *   <li><b>Late arrivals.</b> The next run starts {@code overlap} before the watermark, for events that
 *       became listable after the run passed their time, and for clock differences with Stripe and between
 *       the nodes that run it (the watermark is a run's start by its node's clock).</li>
 *   <li><b>Rate budget.</b> At most {@code requestsPerSecond} list calls, far under Stripe's limits, so
 *       recovery never starves Checkout of its share.</li>
 *   <li><b>Recorded.</b> Every run is a {@code recovery_run} row: trigger, window, pages, events seen and
 *       new, outcome and error.</li>
 * </ul>
 * Stripe keeps events for 30 days: a watermark older than that cannot be recovered in full, which the
 * run's log line says.
 */
public final class EventRecovery {

    public static final String JOB = "stripe-event-recovery";

    private static final Logger LOG = Logger.getLogger(EventRecovery.class.getName());
    private static final Duration STRIPE_RETENTION = Duration.ofDays(30);

    /**
     * @param initialLookback   how far back the first run (no watermark yet) looks
     * @param overlap           how far before the watermark each later run starts
     * @param pageSize          events per list call (Stripe allows 1 to 100)
     * @param requestsPerSecond the most list calls per second
     * @param lease             how long a run's lease lasts without renewal (a page renews it)
     */
    public record Settings(Duration initialLookback, Duration overlap, int pageSize, double requestsPerSecond,
                           Duration lease) {
        public Settings {
            if (pageSize < 1 || pageSize > 100) {
                throw new IllegalArgumentException("page size must be 1 to 100, not " + pageSize);
            }
            if (requestsPerSecond <= 0) {
                throw new IllegalArgumentException("requests per second must be positive");
            }
        }
    }

    /** One run as recorded. */
    public record Run(long runId, String trigger, String nodeId, Instant startedAt, Instant finishedAt, String status,
                      Instant createdFrom, Instant watermarkAfter, int pages, int eventsSeen, int eventsNew,
                      String error) {
    }

    /** Waits between list calls; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    private static final String START_SQL = """
            INSERT INTO recovery_run (node_id, trigger_name, started_at, status, created_from, pages, events_seen,
                                      events_new)
            VALUES (?, ?, ?, 'RUNNING', ?, 0, 0, 0)""";
    private static final String PROGRESS_SQL = """
            UPDATE recovery_run SET pages = pages + 1, events_seen = events_seen + ?, events_new = events_new + ?
            WHERE run_id = ?""";
    private static final String FINISH_SQL = """
            UPDATE recovery_run SET status = ?, finished_at = ?, watermark_after = ?, error_message = ?
            WHERE run_id = ?""";
    private static final String RUN_COLUMNS = """
            run_id, trigger_name, node_id, started_at, finished_at, status, created_from, watermark_after, pages,
            events_seen, events_new, error_message""";

    private final DataSource dataSource;
    private final Clock clock;
    private final StripeGateway gateway;
    private final String nodeId;
    private final Settings settings;
    private final Pause pause;
    private final Runnable afterStore;
    private final ClusterJobLease lease;
    private final EventEnvelopeParser parser = new EventEnvelopeParser();

    /**
     * @param afterStore run after a page stored new events (wakes the engine's workers)
     */
    public EventRecovery(DataSource dataSource, Clock clock, DatabaseClock databaseClock, StripeGateway gateway,
                         String nodeId, Settings settings, Pause pause, Runnable afterStore) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.gateway = gateway;
        this.nodeId = nodeId;
        this.settings = settings;
        this.pause = pause;
        this.afterStore = afterStore;
        this.lease = new ClusterJobLease(JOB, nodeId, databaseClock);
    }

    /**
     * Runs the recovery to the end of the Events API, unless another run holds the job (then empty). A
     * Stripe failure ends the run as {@code FAILED} (recorded, watermark unmoved); a database failure is
     * thrown after the run is marked failed where the database still allows.
     */
    public Optional<Run> runOnce(String trigger) throws SQLException, InterruptedException {
        return runOnce(trigger, null);
    }

    /** As {@link #runOnce(String)}, started by an operator: the start is audited under their name. */
    public Optional<Run> runOnce(String trigger, String operator) throws SQLException, InterruptedException {
        Claim claim = Transactions.inTransaction(dataSource, connection ->
                lease.tryAcquire(connection, settings.lease())
                        ? new Claim(lease.watermark(connection).orElse(null)) : null);
        if (claim == null) {
            return Optional.empty(); // another node is running it
        }
        // Read once the lease is ours: a node that waited for a connection or the CPU while another node ran the job
        // must not record (or move the watermark to) a start before that other run ended. ThreeInstancesIT saw it.
        Instant startedAt = clock.instant();
        Instant createdFrom = claim.watermark() != null ? claim.watermark().minus(settings.overlap())
                : startedAt.minus(settings.initialLookback());
        if (createdFrom.isBefore(startedAt.minus(STRIPE_RETENTION))) {
            LOG.warning(() -> "missed-event recovery starts at " + createdFrom + ", more than 30 days ago: Stripe no"
                    + " longer lists events that old, so some may be lost for good");
        }
        long runId = Transactions.inTransaction(dataSource, connection -> {
            long id = start(connection, trigger, startedAt, createdFrom);
            if (operator != null) {
                AuditLog.record(connection, startedAt, operator, "RECOVERY_RUN", "recovery_run", Long.toString(id),
                        null, "events created from " + createdFrom, trigger);
            }
            return id;
        });
        String status = FAILED;
        String error = null;
        Instant watermarkAfter = null;
        try {
            pageThrough(runId, createdFrom);
            status = SUCCEEDED;
            watermarkAfter = startedAt;
        } catch (StripeApiException e) {
            error = e.kind() + (e.httpStatus() == null ? "" : " (HTTP " + e.httpStatus() + ")") + ": " + e.getMessage();
            LOG.log(Level.WARNING, "missed-event recovery run {0} failed: {1}", new Object[] {runId, error});
        } catch (LeaseLostException e) {
            error = e.getMessage();
            LOG.warning(() -> "missed-event recovery run " + runId + " stopped: " + e.getMessage());
        } finally {
            finish(runId, status, watermarkAfter, error);
        }
        return Optional.of(find(runId));
    }

    private void pageThrough(long runId, Instant createdFrom)
            throws StripeApiException, SQLException, InterruptedException, LeaseLostException {
        Duration spacing = Duration.ofNanos((long) (1_000_000_000L / settings.requestsPerSecond()));
        String startingAfter = null;
        long lastCall = 0;
        while (true) {
            long waited = System.nanoTime() - lastCall; // wall-clock pacing, not business time
            if (lastCall != 0 && waited < spacing.toNanos()) {
                pause.pause(Duration.ofNanos(spacing.toNanos() - waited));
            }
            lastCall = System.nanoTime();
            StripeGateway.EventPage page = gateway.listEvents(createdFrom, startingAfter, settings.pageSize());
            List<EventEnvelope> events = parse(page.eventsJson());
            Instant now = clock.instant();
            int stored = Transactions.inTransaction(dataSource, connection -> {
                if (!lease.renew(connection, settings.lease())) {
                    return -1;
                }
                int fresh = events.isEmpty() ? 0 : Collections.frequency(
                        InboxInserts.insert(connection, events, Timestamp.from(now)), StoreOutcome.STORED);
                progress(connection, runId, page.eventsJson().size(), fresh);
                return fresh;
            });
            if (stored < 0) {
                throw new LeaseLostException("its lease expired and another node took over the job");
            }
            if (stored > 0) {
                afterStore.run();
            }
            if (!page.hasMore() || page.eventsJson().isEmpty()) {
                return;
            }
            startingAfter = idOf(page.eventsJson().get(page.eventsJson().size() - 1));
        }
    }

    /** The events of a page; one the parser refuses is logged and left out, never stored half-read. */
    private List<EventEnvelope> parse(List<String> eventsJson) {
        List<EventEnvelope> events = new ArrayList<>(eventsJson.size());
        for (String json : eventsJson) {
            try {
                events.add(parser.parse(json.getBytes(StandardCharsets.UTF_8), EventSource.EVENTS_API));
            } catch (MalformedEventException e) {
                LOG.warning(() -> "the Events API listed an event this service cannot read (" + e.getMessage()
                        + "); left out");
            }
        }
        return events;
    }

    private static String idOf(String eventJson) {
        return com.google.gson.JsonParser.parseString(eventJson).getAsJsonObject().get("id").getAsString();
    }

    private long start(Connection connection, String trigger, Instant startedAt, Instant createdFrom)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(START_SQL, new String[] {"run_id"})) {
            insert.setString(1, nodeId);
            insert.setString(2, trigger);
            insert.setTimestamp(3, Timestamp.from(startedAt));
            insert.setTimestamp(4, Timestamp.from(createdFrom));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void progress(Connection connection, long runId, int seen, int fresh) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(PROGRESS_SQL)) {
            update.setInt(1, seen);
            update.setInt(2, fresh);
            update.setLong(3, runId);
            update.executeUpdate();
        }
    }

    private void finish(long runId, String status, Instant watermarkAfter, String error) throws SQLException {
        Instant finishedAt = clock.instant();
        Transactions.inTransaction(dataSource, connection -> {
            if (watermarkAfter != null) {
                lease.advance(connection, watermarkAfter);
            }
            lease.release(connection);
            try (PreparedStatement update = connection.prepareStatement(FINISH_SQL)) {
                update.setString(1, status);
                update.setTimestamp(2, Timestamp.from(finishedAt));
                update.setTimestamp(3, watermarkAfter == null ? null : Timestamp.from(watermarkAfter));
                update.setString(4, error == null ? null : error.substring(0, Math.min(error.length(), 2000)));
                update.setLong(5, runId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** The most recent runs, newest first. */
    public List<Run> recentRuns(int limit) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + RUN_COLUMNS + " FROM recovery_run ORDER BY run_id DESC LIMIT ?")) {
                query.setInt(1, limit);
                try (ResultSet rows = query.executeQuery()) {
                    List<Run> runs = new ArrayList<>();
                    while (rows.next()) {
                        runs.add(run(rows));
                    }
                    return runs;
                }
            }
        });
    }

    private Run find(long runId) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + RUN_COLUMNS + " FROM recovery_run WHERE run_id = ?")) {
                query.setLong(1, runId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return run(rows);
                }
            }
        });
    }

    private static Run run(ResultSet row) throws SQLException {
        return new Run(row.getLong("run_id"), row.getString("trigger_name"), row.getString("node_id"),
                instant(row, "started_at"), instant(row, "finished_at"), row.getString("status"),
                instant(row, "created_from"), instant(row, "watermark_after"), row.getInt("pages"),
                row.getInt("events_seen"), row.getInt("events_new"), row.getString("error_message"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    /** The job's lease, taken, with the watermark it had (null before the first successful run). */
    private record Claim(Instant watermark) {
    }

    /** This node lost the job's lease in the middle of a run. */
    private static final class LeaseLostException extends Exception {
        LeaseLostException(String message) {
            super(message);
        }
    }
}
