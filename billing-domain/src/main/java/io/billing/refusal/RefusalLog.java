package io.billing.refusal;

import io.billing.platform.persistence.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Writes down the webhook's refused deliveries: when, from which address, and why (the error code the sender got).
 * Never the body or a header: a refused delivery is whatever anybody chose to send.
 *
 * <p>A refusal costs the request only a few operations in memory ({@link #record}): a flood of forged deliveries
 * must not become a flood of transactions, and the accepted path never comes here. What was recorded is written a
 * moment later ({@link Settings#flushDelay}) in one transaction, by whichever thread the {@link Scheduler} gives:
 * <ul>
 *   <li>every refusal is counted per hour and reason ({@code webhook_refusal_hour}), however many there were;</li>
 *   <li>the refusals themselves are kept only as the latest {@link Settings#keep} ({@code webhook_refusal}): of a
 *       burst only the latest that many reach the database at all, and each write removes the rows older than the
 *       latest that many;</li>
 *   <li>hourly counts older than {@link Settings#countsKept} are removed by the same writes.</li>
 * </ul>
 * So both tables stay small whatever is sent. Each node writes its own counts' rows: nodes never wait for each
 * other. A write that fails (the database is away) keeps what it held in memory, still bounded, for the next try.
 * What a node had not written yet when it died is lost from here; the metric {@code webhook_rejected_total} has
 * counted it all the same.
 */
public final class RefusalLog {

    /**
     * @param keep       how many of the latest refusals are kept, each with its time, address and reason
     * @param countsKept how long the hourly counts are kept
     * @param flushDelay how long after a refusal it is written, together with those that followed it meanwhile
     */
    public record Settings(int keep, Duration countsKept, Duration flushDelay) {
        public Settings {
            if (keep < 1) {
                throw new IllegalArgumentException("at least one refused delivery must be kept");
            }
            if (countsKept.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("refusal counts must be kept for at least a day (the charts show one)");
            }
            if (flushDelay.isNegative()) {
                throw new IllegalArgumentException("the flush delay must not be negative");
            }
        }
    }

    /** Runs a task once, after a delay, on a thread of its own: the container's scheduler, or a test's. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    /** The longest reason and address written; the codes and addresses the webhook passes are far shorter. */
    static final int MAX_TEXT = 64;
    /** After a failed write, the next try waits this long: the database is away, and refusals keep in memory. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(RefusalLog.class.getName());

    private static final String INSERT_REFUSAL = """
            INSERT INTO webhook_refusal (refused_at, remote_address, reason, node_id) VALUES (?, ?, ?, ?)""";
    private static final String ADD_TO_HOUR = """
            UPDATE webhook_refusal_hour SET refusals = refusals + ? WHERE hour_start = ? AND reason = ? AND node_id = ?""";
    private static final String INSERT_HOUR = """
            INSERT INTO webhook_refusal_hour (hour_start, reason, node_id, refusals) VALUES (?, ?, ?, ?)""";
    /** The oldest id still kept: the keep-th newest. Read first, so that the delete is a range of the key. */
    private static final String OLDEST_KEPT = "SELECT refusal_id FROM webhook_refusal ORDER BY refusal_id DESC"
            + " LIMIT 1 OFFSET ?";
    private static final String REMOVE_OLDER = "DELETE FROM webhook_refusal WHERE refusal_id < ?";
    private static final String REMOVE_OLD_HOURS = "DELETE FROM webhook_refusal_hour WHERE hour_start < ?";

    /** One refusal as it is recorded. */
    record Refusal(Instant at, String remoteAddress, String reason) {
    }

    /** One hour's count of one reason. */
    record HourReason(Instant hour, String reason) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final String nodeId;
    private final Settings settings;
    private final Scheduler scheduler;

    private final Object lock = new Object();
    /** Held by one write at a time: two at once would both insert a count's row that neither found. */
    private final Object writing = new Object();
    /** Recorded and not written yet, newest last; never more than {@code keep}. */
    private ArrayDeque<Refusal> pending = new ArrayDeque<>();
    /** Every refusal recorded and not written yet, counted. */
    private Map<HourReason, Long> pendingCounts = new HashMap<>();
    private boolean flushScheduled;

    public RefusalLog(DataSource dataSource, Clock clock, String nodeId, Settings settings, Scheduler scheduler) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Records a refused delivery, now, for the next write; the first refusal after a write schedules the next one.
     * Never touches the database and never throws for what it is given.
     *
     * @param reason        the error code the sender was answered ({@code signature_mismatch} …)
     * @param remoteAddress the sender's address as the service sees it (behind a trusted proxy, the client's)
     */
    public void record(String reason, String remoteAddress) {
        Instant now = clock.instant();
        Refusal refusal = new Refusal(now, bounded(remoteAddress, "unknown"), bounded(reason, "unknown"));
        boolean schedule;
        synchronized (lock) {
            pending.addLast(refusal);
            if (pending.size() > settings.keep()) {
                pending.removeFirst(); // counted below all the same
            }
            pendingCounts.merge(new HourReason(now.truncatedTo(ChronoUnit.HOURS), refusal.reason()), 1L, Long::sum);
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            scheduleFlush(settings.flushDelay());
        }
    }

    /**
     * Writes everything recorded so far in one transaction, and removes what is no longer kept. On failure what it
     * held is recorded again (the newest {@code keep} refusals, every count) and the failure thrown.
     *
     * @return how many refusals it counted
     */
    public long flush() throws SQLException {
        synchronized (writing) {
            return write();
        }
    }

    private long write() throws SQLException {
        ArrayDeque<Refusal> refusals;
        Map<HourReason, Long> counts;
        synchronized (lock) {
            refusals = pending;
            counts = pendingCounts;
            pending = new ArrayDeque<>();
            pendingCounts = new HashMap<>();
            flushScheduled = false;
        }
        if (counts.isEmpty()) {
            return 0;
        }
        try {
            Transactions.inTransaction(dataSource, connection -> {
                insertRefusals(connection, refusals);
                addCounts(connection, counts);
                removeWhatIsNoLongerKept(connection);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            restore(refusals, counts);
            throw e;
        }
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void insertRefusals(Connection connection, ArrayDeque<Refusal> refusals) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_REFUSAL)) {
            for (Refusal refusal : refusals) { // oldest first: the identity keeps their order
                insert.setTimestamp(1, Timestamp.from(refusal.at()));
                insert.setString(2, refusal.remoteAddress());
                insert.setString(3, refusal.reason());
                insert.setString(4, nodeId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** This node's rows only, so no other node writes them: an update, or an insert where there was none. */
    private void addCounts(Connection connection, Map<HourReason, Long> counts) throws SQLException {
        List<Map.Entry<HourReason, Long>> added = new ArrayList<>(counts.entrySet());
        added.sort(Map.Entry.comparingByKey(Comparator.comparing(HourReason::hour).thenComparing(HourReason::reason)));
        List<Map.Entry<HourReason, Long>> missing = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(ADD_TO_HOUR)) {
            for (Map.Entry<HourReason, Long> count : added) {
                update.setLong(1, count.getValue());
                update.setTimestamp(2, Timestamp.from(count.getKey().hour()));
                update.setString(3, count.getKey().reason());
                update.setString(4, nodeId);
                if (update.executeUpdate() == 0) {
                    missing.add(count);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HOUR)) {
            for (Map.Entry<HourReason, Long> count : missing) {
                insert.setTimestamp(1, Timestamp.from(count.getKey().hour()));
                insert.setString(2, count.getKey().reason());
                insert.setString(3, nodeId);
                insert.setLong(4, count.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void removeWhatIsNoLongerKept(Connection connection) throws SQLException {
        Long oldestKept = null;
        try (PreparedStatement query = connection.prepareStatement(OLDEST_KEPT)) {
            query.setInt(1, settings.keep() - 1);
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    oldestKept = row.getLong(1);
                }
            }
        }
        if (oldestKept != null) {
            try (PreparedStatement delete = connection.prepareStatement(REMOVE_OLDER)) {
                delete.setLong(1, oldestKept);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(REMOVE_OLD_HOURS)) {
            delete.setTimestamp(1, Timestamp.from(clock.instant().minus(settings.countsKept())
                    .truncatedTo(ChronoUnit.HOURS)));
            delete.executeUpdate();
        }
    }

    /** Puts back what a failed write held, before anything recorded since, and within the same bounds. */
    private void restore(ArrayDeque<Refusal> refusals, Map<HourReason, Long> counts) {
        synchronized (lock) {
            ArrayDeque<Refusal> merged = new ArrayDeque<>(refusals);
            merged.addAll(pending);
            while (merged.size() > settings.keep()) {
                merged.removeFirst();
            }
            pending = merged;
            counts.forEach((key, count) -> pendingCounts.merge(key, count, Long::sum));
            flushScheduled = true; // the retry below; refusals meanwhile need not schedule another
        }
        scheduleFlush(RETRY_AFTER_FAILURE);
    }

    private void scheduleFlush(Duration delay) {
        scheduler.schedule(this::flushQuietly, delay);
    }

    /** The scheduled write: a failure is logged (without what was recorded) and tried again later. */
    private void flushQuietly() {
        try {
            flush();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Refused webhook deliveries not written yet, trying again in {0} s: {1}",
                    new Object[] {RETRY_AFTER_FAILURE.toSeconds(), e.getMessage()});
        }
    }

    private static String bounded(String text, String absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        String trimmed = text.strip();
        return trimmed.length() <= MAX_TEXT ? trimmed : trimmed.substring(0, MAX_TEXT);
    }
}
