package io.billing.processing.operator;

import io.billing.audit.AuditLog;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.platform.persistence.Transactions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What operators see and do with outbound messages: list them by status and destination, and send a failed
 * one again. A retry starts a fresh retry cycle under the same idempotency key, so a receiver that did get an
 * earlier try drops the repeat. Audited like every manual action.
 */
public final class OutboxOperations {

    /** One message as operators see it. */
    public record MessageView(String idempotencyKey, String destination, String tenantId, String sourceEventId,
                              String status, String statusReason, int attemptCount, Instant createdAt, Instant dueAt,
                              Instant deliveredAt, String payload) {
    }

    /**
     * A destination whose messages fail: those that failed for good, those retrying after failed attempts in their
     * current cycle (an operator's retry not counted until it fails again), and the reason of the latest of them.
     */
    public record FailingDestination(String destination, long failed, long retrying, String latestReason) {
    }

    /** The message is not in a state that can be retried (being sent, or delivered). */
    public static final class NotRetryableException extends Exception {
        public NotRetryableException(String message) {
            super(message);
        }
    }

    private static final String COLUMNS = """
            idempotency_key, destination, tenant_id, source_event_id, status, status_reason, attempt_count, created_at,
            due_at, delivered_at, payload""";
    /** Failed for good, or retrying after an attempt of the current cycle failed. */
    private static final String FAILING = "(status = '" + OutboxDispatcher.FAILED + "' OR (status = '"
            + OutboxDispatcher.RETRY_SCHEDULED + "' AND cycle_attempts > 0))";
    private static final java.util.Set<String> RETRYABLE = java.util.Set.of(OutboxDispatcher.FAILED,
            OutboxDispatcher.RETRY_SCHEDULED);

    private final DataSource dataSource;
    private final Clock clock;

    public OutboxOperations(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Messages, newest first; {@code status} and {@code destination} filter when not null. */
    public List<MessageView> list(String status, String destination, int limit) throws SQLException {
        StringBuilder where = new StringBuilder("1 = 1");
        List<String> parameters = new ArrayList<>();
        if (status != null) {
            where.append(" AND status = ?");
            parameters.add(status);
        }
        if (destination != null) {
            where.append(" AND destination = ?");
            parameters.add(destination);
        }
        return query(where.toString(), parameters, limit);
    }

    /** Messages not delivered, per status (only statuses that have some): one pass over the status index. */
    public java.util.Map<String, Long> undeliveredByStatus() throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT status, COUNT(*) FROM outbox_message"
                    + " WHERE status <> '" + OutboxDispatcher.DELIVERED + "' GROUP BY status");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        });
    }

    /**
     * Every destination with failing messages, by name: counted in the database, and the latest one's reason read
     * per failing destination. Both read through the status index, however many messages are waiting or delivered.
     */
    public List<FailingDestination> failingDestinations() throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            java.util.Map<String, long[]> counts = new java.util.TreeMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT destination, status, COUNT(*)"
                    + " FROM outbox_message WHERE " + FAILING + " GROUP BY destination, status");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.computeIfAbsent(rows.getString(1), d -> new long[2])
                            [OutboxDispatcher.FAILED.equals(rows.getString(2)) ? 0 : 1] += rows.getLong(3);
                }
            }
            List<FailingDestination> failing = new ArrayList<>();
            try (PreparedStatement latest = connection.prepareStatement("SELECT status_reason FROM outbox_message"
                    + " WHERE " + FAILING + " AND destination = ? ORDER BY created_at DESC, idempotency_key LIMIT 1")) {
                for (java.util.Map.Entry<String, long[]> count : counts.entrySet()) {
                    latest.setString(1, count.getKey());
                    try (ResultSet row = latest.executeQuery()) {
                        failing.add(new FailingDestination(count.getKey(), count.getValue()[0], count.getValue()[1],
                                row.next() ? row.getString(1) : null));
                    }
                }
            }
            return failing;
        });
    }

    public Optional<MessageView> find(String idempotencyKey) throws SQLException {
        return query("idempotency_key = ?", List.of(idempotencyKey), 1).stream().findFirst();
    }

    private List<MessageView> query(String where, List<String> parameters, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM outbox_message WHERE " + where
                + " ORDER BY created_at DESC, idempotency_key LIMIT ?";
        return Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    query.setString(i + 1, parameters.get(i));
                }
                query.setInt(parameters.size() + 1, limit);
                try (ResultSet rows = query.executeQuery()) {
                    List<MessageView> views = new ArrayList<>();
                    while (rows.next()) {
                        views.add(new MessageView(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getInt(7), instant(rows, 8),
                                instant(rows, 9), instant(rows, 10), rows.getString(11)));
                    }
                    return views;
                }
            }
        });
    }

    /**
     * Sends a {@code FAILED} (or waiting) message again now, with a fresh retry cycle. Returns false when
     * there is no such message.
     */
    public boolean retry(String idempotencyKey, String actor, String reason) throws SQLException, NotRetryableException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        Optional<MessageView> message = find(idempotencyKey);
        if (message.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        int updated = Transactions.inTransaction(dataSource, connection -> {
            if (!Outbox.requeue(connection, idempotencyKey, "retried by " + actor + ": " + reason, now, RETRYABLE)) {
                return 0;
            }
            AuditLog.record(connection, now, actor, "RETRY_OUTBOX", "outbox_message", idempotencyKey,
                    message.get().status(), "RETRY_SCHEDULED", reason);
            return 1;
        });
        if (updated == 0) {
            throw new NotRetryableException("outbox message " + idempotencyKey + " is " + message.get().status()
                    + "; only FAILED or RETRY_SCHEDULED messages can be retried");
        }
        return true;
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
