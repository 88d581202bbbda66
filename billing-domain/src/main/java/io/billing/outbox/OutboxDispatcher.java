package io.billing.outbox;

import io.billing.platform.persistence.Transactions;
import io.billing.platform.queue.LeasedWorkQueue;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.time.DatabaseClock;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Delivers outbox messages: claims due ones under a lease (like the inbox's workers), delivers each
 * outside any transaction, then records the attempt and settles the message. A crash after the delivery
 * and before the settling leaves the message leased; when the lease runs out it is delivered again with
 * the same idempotency key, which the receiver uses to drop the repeat. So nothing is lost, and nothing
 * reaches a receiver that honours the key twice.
 *
 * <p>Leases and retry due times come from the {@link DatabaseClock}, shared by every node; the attempts' times
 * from the node's {@link Clock}.
 */
public final class OutboxDispatcher {

    public static final String SENDING = "SENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String RETRY_SCHEDULED = "RETRY_SCHEDULED";
    public static final String FAILED = "FAILED";

    static final LeasedWorkQueue OUTBOX = new LeasedWorkQueue("outbox_message", "idempotency_key", SENDING,
            "idempotency_key, destination, tenant_id, source_event_id, payload, attempt_count, cycle_attempts",
            List.of("cycle_attempts"));

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class.getName());

    private static final String SETTLE_SQL = """
            UPDATE outbox_message SET status = ?, status_reason = ?, due_at = ?, delivered_at = ?,
                   lease_owner = NULL, lease_token = NULL
            WHERE idempotency_key = ?""";
    private static final String ATTEMPT_SQL = """
            INSERT INTO outbox_attempt (idempotency_key, attempt_no, node_id, started_at, finished_at, outcome,
                                        http_status, error_message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private final DataSource dataSource;
    private final Clock clock;
    private final DatabaseClock databaseClock;
    private final String nodeId;
    private final Map<String, OutboxTransport> transports;
    private final RetryPolicy retry;
    private final Duration lease;
    private final int batchSize;

    public OutboxDispatcher(DataSource dataSource, Clock clock, DatabaseClock databaseClock, String nodeId,
                            Map<String, OutboxTransport> transports, RetryPolicy retry, Duration lease, int batchSize) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.databaseClock = databaseClock;
        this.nodeId = nodeId;
        this.transports = Map.copyOf(transports);
        this.retry = retry;
        this.lease = lease;
        this.batchSize = batchSize;
    }

    /** Claims and delivers one batch. Returns how many messages it claimed. */
    public int dispatchOnce() throws SQLException {
        List<OutboxMessage> batch = Transactions.inTransaction(dataSource, connection ->
                OUTBOX.claim(connection, nodeId, batchSize, databaseClock, lease, (row, claim) -> new OutboxMessage(
                        row.getString("idempotency_key"), row.getString("destination"), row.getString("tenant_id"),
                        row.getString("source_event_id"), row.getString("payload"),
                        row.getInt("attempt_count") + 1, row.getInt("cycle_attempts") + 1, claim)));
        for (OutboxMessage message : batch) {
            deliver(message);
        }
        return batch.size();
    }

    /** Dispatches until nothing is due. */
    public int drain() throws SQLException {
        int total = 0;
        for (int sent = dispatchOnce(); sent > 0; sent = dispatchOnce()) {
            total += sent;
        }
        return total;
    }

    private void deliver(OutboxMessage message) throws SQLException {
        Instant started = clock.instant();
        OutboxTransport transport = transports.get(message.destination());
        OutboxTransport.Result result = transport == null
                ? new OutboxTransport.Result(false, false, null, "no transport configured for " + message.destination())
                : transport.deliver(message);
        Instant finished = clock.instant();
        String status;
        Duration retryIn = null;
        if (result.delivered()) {
            status = DELIVERED;
        } else if (result.permanent() || retry.exhausted(message.cycleAttempt())) {
            status = FAILED;
        } else {
            status = RETRY_SCHEDULED;
            retryIn = retry.delay(message.cycleAttempt(), () -> ThreadLocalRandom.current().nextDouble());
        }
        String settled = status;
        Duration delay = retryIn;
        Transactions.inTransaction(dataSource, connection -> {
            if (!OUTBOX.lockLeased(connection, message.idempotencyKey(), message.lease().token())) {
                return null; // our lease ran out and another node has the message now
            }
            Instant dueAt = delay == null ? null : databaseClock.now(connection).plus(delay);
            try (PreparedStatement attempt = connection.prepareStatement(ATTEMPT_SQL)) {
                attempt.setString(1, message.idempotencyKey());
                attempt.setInt(2, message.attempt());
                attempt.setString(3, nodeId);
                attempt.setTimestamp(4, Timestamp.from(started));
                attempt.setTimestamp(5, Timestamp.from(finished));
                attempt.setString(6, settled);
                if (result.httpStatus() == null) {
                    attempt.setNull(7, Types.INTEGER);
                } else {
                    attempt.setInt(7, result.httpStatus());
                }
                attempt.setString(8, result.detail());
                attempt.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(SETTLE_SQL)) {
                update.setString(1, settled);
                update.setString(2, result.detail());
                update.setTimestamp(3, dueAt == null ? null : Timestamp.from(dueAt));
                update.setTimestamp(4, result.delivered() ? Timestamp.from(finished) : null);
                update.setString(5, message.idempotencyKey());
                update.executeUpdate();
            }
            return null;
        });
        if (!result.delivered()) {
            LOG.log(Level.INFO, "outbox message {0} to {1}, attempt {2}: {3} ({4})",
                    new Object[] {message.idempotencyKey(), message.destination(), message.attempt(), settled,
                            result.detail()});
        }
    }
}
