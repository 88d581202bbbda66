package io.billing.platform.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Whether the inbox's work queue moves: the event that has been due the longest (one index probe on
 * {@code due_at}, cheap on any size of inbox). A queue whose oldest due event waits longer than the bound is
 * stuck: no worker anywhere is taking work (engine off everywhere, database locks, a poisoned claim).
 */
public final class QueueHealth {

    /**
     * @param stuck     whether the oldest due event waits longer than the bound
     * @param eventId   the oldest due event, or null when nothing is due
     * @param waitingFor how long it has been due (zero when nothing is due)
     */
    public record Status(boolean stuck, String eventId, Instant dueAt, Duration waitingFor) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration bound;

    public QueueHealth(DataSource dataSource, Clock clock, Duration bound) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.bound = bound;
    }

    public Status check() throws SQLException {
        Instant now = clock.instant();
        Optional<Status> oldest;
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT event_id, due_at FROM inbox_event WHERE due_at IS NOT NULL AND due_at <= ?"
                        + " ORDER BY due_at LIMIT 1")) {
            query.setTimestamp(1, Timestamp.from(now));
            try (ResultSet row = query.executeQuery()) {
                oldest = row.next() ? Optional.of(status(row.getString(1), row.getTimestamp(2).toInstant(), now))
                        : Optional.empty();
            }
        }
        return oldest.orElse(new Status(false, null, null, Duration.ZERO));
    }

    public Duration bound() {
        return bound;
    }

    private Status status(String eventId, Instant dueAt, Instant now) {
        Duration waiting = Duration.between(dueAt, now);
        return new Status(waiting.compareTo(bound) > 0, eventId, dueAt, waiting);
    }
}
