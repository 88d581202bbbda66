package db.migration;

import io.billing.platform.persistence.Databases;
import io.billing.platform.time.DatabaseClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The inbox's counts per hour received start from one count of the events received in the hours the fold keeps
 * ({@code io.billing.inbox.InboxStatusCounts}: the last two days), as {@code V76} starts the counts per status: the
 * count minus the deltas it sees, read in one snapshot, since the triggers ({@code V80}) have been recording since V80
 * committed and the intake goes on writing. An event counted here that changed after V80 is in the count and in a
 * delta: the delta is subtracted now and added back by the fold; a later change is only in its delta.
 *
 * <p>It reads the events of the hours kept through the receipt time's index and locks nothing the intake or the
 * engine waits for. On PostgreSQL the hours are counted in one statement; on H2 (one node, the embedded database, no
 * one writing while it migrates) the events of those hours are read and counted here, since H2's
 * {@code DATE_TRUNC} truncates in the value's own offset, not in UTC.
 */
public class V81__inbox_hour_counts_start extends BaseJavaMigration {

    /** The hours counted: those the fold keeps (a migration states its own, as it ran, not the code's of later). */
    private static final Duration HOURS_COUNTED = Duration.ofHours(48);

    private static final String POSTGRESQL = """
            INSERT INTO inbox_hour_count (received_hour, status, events)
            SELECT received_hour, status, SUM(events) FROM (
                SELECT %s AS received_hour, status, COUNT(*) AS events FROM inbox_event
                WHERE received_at >= ? GROUP BY 1, 2
                UNION ALL
                SELECT received_hour, status, -SUM(events) FROM inbox_hour_delta WHERE received_hour >= ?
                GROUP BY received_hour, status
            ) counted
            GROUP BY received_hour, status HAVING SUM(events) <> 0"""
            .formatted(V80__inbox_hour_counts.HOUR_OF_RECEIVED_AT.formatted("received_at"));

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        Instant since = DatabaseClock.database().now(connection).truncatedTo(ChronoUnit.HOURS).minus(HOURS_COUNTED);
        if (Databases.isPostgres(connection)) {
            try (PreparedStatement insert = connection.prepareStatement(POSTGRESQL)) {
                insert.setTimestamp(1, Timestamp.from(since));
                insert.setTimestamp(2, Timestamp.from(since));
                insert.executeUpdate();
            }
            return;
        }
        Map<Map.Entry<Instant, String>, Long> counts = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT received_at, status FROM inbox_event WHERE received_at >= ?")) {
            query.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Instant hour = rows.getTimestamp(1).toInstant().truncatedTo(ChronoUnit.HOURS);
                    counts.merge(Map.entry(hour, rows.getString(2)), 1L, Long::sum);
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT received_hour, status, events FROM inbox_hour_delta WHERE received_hour >= ?")) {
            query.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.merge(Map.entry(rows.getTimestamp(1).toInstant(), rows.getString(2)), -rows.getLong(3),
                            Long::sum);
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox_hour_count (received_hour, status, events) VALUES (?, ?, ?)")) {
            for (Map.Entry<Map.Entry<Instant, String>, Long> count : counts.entrySet()) {
                if (count.getValue() != 0) {
                    insert.setObject(1, count.getKey().getKey().atOffset(ZoneOffset.UTC));
                    insert.setString(2, count.getKey().getValue());
                    insert.setLong(3, count.getValue());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
