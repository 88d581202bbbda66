package io.billing.retention;

import io.billing.platform.persistence.Databases;
import io.billing.inbox.InboxStatus;
import io.billing.outbox.OutboxDispatcher;
import io.billing.platform.cluster.ClusterJobLease;
import io.billing.platform.time.DatabaseClock;
import io.billing.platform.persistence.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Removes what the service no longer keeps ({@link RetentionSettings}): the raw bodies of settled events, the
 * error details of old attempts, delivered outbound messages. The audit log is never touched.
 *
 * <ul>
 *   <li><b>Once in the cluster.</b> A run holds the {@link ClusterJobLease} of {@value #JOB}, renewed by every
 *       transaction; a second node finds it held and does nothing. A run that loses its lease stops.</li>
 *   <li><b>Small transactions.</b> Each removes at most {@code batchSize} rows (messages with their attempts),
 *       found by primary key or by a key range, so each statement reads a bounded number of rows. Rows are locked
 *       with {@code SKIP LOCKED}: the job never waits for a row a worker or an operator holds, and no one waits
 *       for it longer than one short transaction.</li>
 *   <li><b>Event bodies</b> go only from events that settled ({@code PROCESSED}, {@code IGNORED}) before the
 *       cutoff and that no node holds a lease on; failed, waiting, parked and resolved events keep theirs. The
 *       body's SHA-256 is kept, computed by the database in the statement that drops the body.</li>
 *   <li><b>Attempt details</b> (the error message and stack trace; the outcome and the exception's class stay) are
 *       walked in key ranges of (finished_at, attempt_id) from where the last complete run stopped, which the
 *       job's lease row keeps as its watermark: attempts never change once written.</li>
 *   <li><b>Delivered outbound messages</b> go with their attempts; messages waiting, being sent or failed stay.</li>
 * </ul>
 * Every run ends with one log line of what it removed; each transaction's count goes to the {@link Observer}
 * (the metrics) as it commits.
 */
public final class DataRetention {

    public static final String JOB = "data-retention";

    private static final Logger LOG = Logger.getLogger(DataRetention.class.getName());

    /** Hears of every committed transaction's removals: the metrics, or a test. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (kind, rows) -> { };

        void removed(RetentionKind kind, int rows);
    }

    /**
     * One run as it went.
     *
     * @param complete     false when it stopped early (its lease was lost)
     * @param transactions how many transactions removed (or looked for) rows
     */
    public record Run(String nodeId, Instant startedAt, Instant finishedAt, boolean complete, long payloads,
                      long attemptDetails, long outboxMessages, long outboxAttempts, int transactions) {

        public String summary() {
            return String.format(Locale.ROOT, "data retention on %s %s: %d event bodies removed, %d attempts' error"
                            + " details removed, %d delivered outbound messages removed with %d attempts, in %d"
                            + " transactions, %d ms", nodeId, complete ? "done" : "stopped (its lease was lost)",
                    payloads, attemptDetails, outboxMessages, outboxAttempts, transactions,
                    Duration.between(startedAt, finishedAt).toMillis());
        }
    }

    /**
     * Ordered by every column of ix_inbox_event_payload_retention, not by status_changed_at alone: PostgreSQL does
     * not count {@code IS NULL} as fixing the index's first column, so with the shorter ORDER BY it could not read
     * the rows in the index's order and, on 10 million events, sorted every due row for each batch (2.2 s a batch
     * against 11 ms). The status is written in the statement, not bound: on PostgreSQL the index holds the rows of
     * the two settled statuses only (V77), and a plan made for any status, as a bound one's generic plan is, could not
     * read it.
     */
    private static final String DUE_PAYLOADS_SQL = """
            SELECT event_id FROM inbox_event
            WHERE payload_removed_at IS NULL AND status = '%s' AND status_changed_at < ? AND lease_owner IS NULL
            ORDER BY payload_removed_at, status, status_changed_at LIMIT ? FOR UPDATE SKIP LOCKED""";
    /** The digest function differs: {@code sha256} on PostgreSQL, {@code HASH} on H2. */
    private static final String REMOVE_PAYLOAD_SQL = """
            UPDATE inbox_event SET payload_sha256 = COALESCE(payload_sha256, %s), payload = NULL, payload_removed_at = ?
            WHERE event_id = ?""";
    private static final String ATTEMPTS_BOUND_SQL = """
            SELECT finished_at, attempt_id FROM event_attempt
            WHERE (finished_at, attempt_id) > (?, ?) AND finished_at < ?
            ORDER BY finished_at, attempt_id LIMIT 1 OFFSET ?""";
    private static final String TRIM_ATTEMPTS_SQL = """
            UPDATE event_attempt SET error_message = NULL, stack_trace = NULL, details_removed_at = ?
            WHERE (finished_at, attempt_id) > (?, ?) AND %s
              AND (error_message IS NOT NULL OR stack_trace IS NOT NULL)""";
    private static final String DELIVERED_MESSAGES_SQL = """
            SELECT idempotency_key FROM outbox_message
            WHERE status = '%s' AND created_at < ? AND delivered_at < ?
            ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED""".formatted(OutboxDispatcher.DELIVERED);
    private static final String DELETE_MESSAGE_ATTEMPTS_SQL = "DELETE FROM outbox_attempt WHERE idempotency_key = ?";
    private static final String DELETE_MESSAGE_SQL = "DELETE FROM outbox_message WHERE idempotency_key = ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final String nodeId;
    private final RetentionSettings settings;
    private final Observer observer;
    private final ClusterJobLease lease;
    private volatile String removePayloadSql;

    /**
     * @param clock         the node's: the ages of what is removed are counted from its time, as the times they are
     *                      counted from were written by the nodes' clocks
     * @param databaseClock the job's lease, which the nodes compare, is on the database's time
     */
    public DataRetention(DataSource dataSource, Clock clock, DatabaseClock databaseClock, String nodeId,
                         RetentionSettings settings, Observer observer) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.nodeId = nodeId;
        this.settings = settings;
        this.observer = observer;
        this.lease = new ClusterJobLease(JOB, nodeId, databaseClock);
    }

    /**
     * Removes everything due now, unless another node holds the job (then empty). A database failure is thrown
     * after the lease is released where the database still allows; an interrupt (the node stopping) ends the run
     * between two transactions.
     */
    public Optional<Run> runOnce() throws SQLException, InterruptedException {
        Instant watermark = Transactions.inTransaction(dataSource, connection ->
                lease.tryAcquire(connection, settings.lease())
                        ? lease.watermark(connection).orElse(Instant.EPOCH) : null);
        if (watermark == null) {
            return Optional.empty(); // another node is running it
        }
        Instant startedAt = clock.instant(); // once the lease is ours, as the recovery does
        Progress progress = new Progress();
        boolean complete = false;
        try {
            removePayloads(startedAt.minus(settings.payloadAge()), progress);
            trimAttemptDetails(watermark, startedAt.minus(settings.attemptDetailAge()), progress);
            removeDeliveredMessages(startedAt.minus(settings.deliveredMessageAge()), progress);
            complete = true;
        } catch (LeaseLostException e) {
            LOG.warning(() -> "data retention stopped: its lease expired and another node took over the job");
        } catch (SQLException | InterruptedException | RuntimeException e) {
            try {
                release();
            } catch (SQLException | RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        release();
        Run run = new Run(nodeId, startedAt, clock.instant(), complete, progress.payloads, progress.attemptDetails,
                progress.outboxMessages, progress.outboxAttempts, progress.transactions);
        LOG.info(run::summary);
        return Optional.of(run);
    }

    private void removePayloads(Instant cutoff, Progress progress)
            throws SQLException, InterruptedException, LeaseLostException {
        for (InboxStatus settled : List.of(InboxStatus.PROCESSED, InboxStatus.IGNORED)) {
            int removed;
            do {
                removed = inLease(progress, connection -> removePayloadBatch(connection, settled, cutoff));
                progress.payloads += removed;
                report(RetentionKind.PAYLOAD, removed);
            } while (removed == settings.batchSize());
        }
    }

    private int removePayloadBatch(Connection connection, InboxStatus status, Instant cutoff) throws SQLException {
        List<String> due = new ArrayList<>(settings.batchSize());
        try (PreparedStatement query = connection.prepareStatement(DUE_PAYLOADS_SQL.formatted(status.name()))) {
            query.setTimestamp(1, Timestamp.from(cutoff));
            query.setInt(2, settings.batchSize());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    due.add(rows.getString(1));
                }
            }
        }
        if (due.isEmpty()) {
            return 0;
        }
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement update = connection.prepareStatement(removePayloadSql(connection))) {
            for (String eventId : due) {
                update.setTimestamp(1, now);
                update.setString(2, eventId);
                update.addBatch();
            }
            update.executeBatch();
        }
        return due.size();
    }

    private void trimAttemptDetails(Instant watermark, Instant cutoff, Progress progress)
            throws SQLException, InterruptedException, LeaseLostException {
        if (!watermark.isBefore(cutoff)) {
            return; // a previous run got this far: attempts never change once written
        }
        AttemptKey from = new AttemptKey(watermark, 0);
        while (from != null) {
            AttemptKey start = from;
            AttemptBatch batch = inLease(progress, connection -> trimAttemptBatch(connection, start, cutoff));
            progress.attemptDetails += batch.trimmed();
            report(RetentionKind.ATTEMPT_DETAIL, batch.trimmed());
            from = batch.next();
        }
    }

    /**
     * Trims the details of the next {@code batchSize} attempts from {@code from} (exclusive) in (finished_at,
     * attempt_id) order, of those that have any. The range's upper key is read first, so the update reads only
     * that range. The last range, shorter than a batch, runs to the cutoff and moves the watermark there.
     */
    private AttemptBatch trimAttemptBatch(Connection connection, AttemptKey from, Instant cutoff)
            throws SQLException {
        AttemptKey bound = null;
        try (PreparedStatement query = connection.prepareStatement(ATTEMPTS_BOUND_SQL)) {
            query.setTimestamp(1, Timestamp.from(from.finishedAt()));
            query.setLong(2, from.attemptId());
            query.setTimestamp(3, Timestamp.from(cutoff));
            query.setInt(4, settings.batchSize() - 1);
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    bound = new AttemptKey(row.getTimestamp(1).toInstant(), row.getLong(2));
                }
            }
        }
        int trimmed;
        String upTo = bound == null ? "finished_at < ?" : "(finished_at, attempt_id) <= (?, ?)";
        try (PreparedStatement update = connection.prepareStatement(TRIM_ATTEMPTS_SQL.formatted(upTo))) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setTimestamp(2, Timestamp.from(from.finishedAt()));
            update.setLong(3, from.attemptId());
            if (bound == null) {
                update.setTimestamp(4, Timestamp.from(cutoff));
            } else {
                update.setTimestamp(4, Timestamp.from(bound.finishedAt()));
                update.setLong(5, bound.attemptId());
            }
            trimmed = update.executeUpdate();
        }
        if (bound == null) {
            lease.advance(connection, cutoff);
        }
        return new AttemptBatch(trimmed, bound);
    }

    private void removeDeliveredMessages(Instant cutoff, Progress progress)
            throws SQLException, InterruptedException, LeaseLostException {
        MessageBatch batch;
        do {
            batch = inLease(progress, connection -> removeMessageBatch(connection, cutoff));
            progress.outboxMessages += batch.messages();
            progress.outboxAttempts += batch.attempts();
            report(RetentionKind.OUTBOX_MESSAGE, batch.messages());
            report(RetentionKind.OUTBOX_ATTEMPT, batch.attempts());
        } while (batch.messages() == settings.batchSize());
    }

    private MessageBatch removeMessageBatch(Connection connection, Instant cutoff) throws SQLException {
        List<String> delivered = new ArrayList<>(settings.batchSize());
        try (PreparedStatement query = connection.prepareStatement(DELIVERED_MESSAGES_SQL)) {
            // Delivered before the cutoff means created before it too: the created_at bound lets the query walk
            // the (status, created_at) index.
            query.setTimestamp(1, Timestamp.from(cutoff));
            query.setTimestamp(2, Timestamp.from(cutoff));
            query.setInt(3, settings.batchSize());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    delivered.add(rows.getString(1));
                }
            }
        }
        if (delivered.isEmpty()) {
            return new MessageBatch(0, 0);
        }
        int attempts = 0;
        try (PreparedStatement deleteAttempts = connection.prepareStatement(DELETE_MESSAGE_ATTEMPTS_SQL);
             PreparedStatement deleteMessages = connection.prepareStatement(DELETE_MESSAGE_SQL)) {
            for (String key : delivered) {
                deleteAttempts.setString(1, key);
                deleteAttempts.addBatch();
                deleteMessages.setString(1, key);
                deleteMessages.addBatch();
            }
            for (int count : deleteAttempts.executeBatch()) {
                attempts += Math.max(count, 0);
            }
            deleteMessages.executeBatch();
        }
        return new MessageBatch(delivered.size(), attempts);
    }

    /**
     * Runs one transaction of the job: renews the lease first and does nothing when it is no longer this
     * node's. Between two transactions it pauses as configured and stops if the node is stopping.
     */
    private <T> T inLease(Progress progress, Transactions.Work<T> work)
            throws SQLException, InterruptedException, LeaseLostException {
        if (Thread.interrupted()) {
            throw new InterruptedException("the node is stopping");
        }
        if (progress.transactions > 0 && !settings.batchPause().isZero()) {
            Thread.sleep(settings.batchPause().toMillis());
        }
        Optional<T> result = Transactions.inTransaction(dataSource, connection ->
                lease.renew(connection, settings.lease())
                        ? Optional.of(work.run(connection)) : Optional.empty());
        progress.transactions++;
        return result.orElseThrow(LeaseLostException::new);
    }

    private void report(RetentionKind kind, int rows) {
        if (rows > 0) {
            observer.removed(kind, rows);
        }
    }

    private void release() throws SQLException {
        Transactions.inTransaction(dataSource, connection -> {
            lease.release(connection);
            return null;
        });
    }

    private String removePayloadSql(Connection connection) throws SQLException {
        if (removePayloadSql == null) {
            boolean postgres = Databases.isPostgres(connection);
            removePayloadSql = REMOVE_PAYLOAD_SQL.formatted(postgres ? "sha256(payload)" : "HASH('SHA-256', payload)");
        }
        return removePayloadSql;
    }

    /** What a run has removed so far. */
    private static final class Progress {
        long payloads;
        long attemptDetails;
        long outboxMessages;
        long outboxAttempts;
        int transactions;
    }

    /** An attempt's place in the walk's order. */
    private record AttemptKey(Instant finishedAt, long attemptId) {
    }

    /** @param next where the next batch starts; null when the walk reached the cutoff */
    private record AttemptBatch(int trimmed, AttemptKey next) {
    }

    private record MessageBatch(int messages, int attempts) {
    }

    /** This node lost the job's lease in the middle of a run. */
    private static final class LeaseLostException extends Exception {
        LeaseLostException() {
            super("the job's lease was taken over");
        }
    }
}
