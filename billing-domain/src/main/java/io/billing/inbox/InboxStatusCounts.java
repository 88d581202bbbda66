package io.billing.inbox;

import io.billing.platform.cluster.ClusterJobLease;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.time.DatabaseClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * How many events the inbox holds in each status, without counting the inbox: the database keeps the counts as the
 * statuses change ({@code db.migration.V75__inbox_status_counts}), so reading them costs the same on a million events
 * as on ten.
 *
 * <ul>
 *   <li><b>Exact, whoever writes.</b> Triggers on {@code inbox_event} append each change to the counts to
 *       {@code inbox_status_delta} in the writing transaction: it commits or rolls back with the change it
 *       counts.</li>
 *   <li><b>No shared counter row.</b> The triggers only append; no two writers ever update one row, so the intake's
 *       writers and the engine's workers never wait on each other for a count.</li>
 *   <li><b>Folded, on one node at a time.</b> {@link #fold()} sums the deltas into {@code inbox_status_count} (one row
 *       per status) and deletes them, in transactions of at most {@value #FOLD_BATCH} deltas, under the cluster
 *       lease {@value #JOB}; so few deltas wait at any time: those of the last seconds.</li>
 *   <li><b>Read in one statement.</b> {@link #read(Connection)} adds each status's row and its deltas not folded
 *       yet in one snapshot, which a fold changes as a whole or not at all: a read during a fold counts each delta
 *       once.</li>
 *   <li><b>Per hour received too.</b> The same triggers ({@code db.migration.V80__inbox_hour_counts}) count
 *       the events per hour received (of UTC) and status, for the dashboard's chart of the last day, in
 *       {@code inbox_hour_delta} and {@code inbox_hour_count}; the same fold moves them, and keeps the last
 *       {@link #HOURS_KEPT} only: a few hundred rows, read by {@link #receivedPerHour(Connection, Instant)}.</li>
 * </ul>
 */
public final class InboxStatusCounts {

    public static final String JOB = "inbox-status-counts";

    /** Most deltas one fold transaction moves: a few seconds of changes at the intake's and the engine's peak. */
    static final int FOLD_BATCH = 10_000;

    /** How long a node keeps the fold without renewing: another node takes it over after that. */
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** How many hours of counts per hour received are kept: the dashboard charts the last day's. */
    public static final Duration HOURS_KEPT = Duration.ofHours(48);

    private static final String READ_SQL = """
            SELECT status, SUM(events) FROM (SELECT status, events FROM inbox_status_count
                                             UNION ALL SELECT status, events FROM inbox_status_delta) counted
            GROUP BY status HAVING SUM(events) <> 0""";
    private static final String READ_HOURS_SQL = """
            SELECT received_hour, status, SUM(events) FROM (
                SELECT received_hour, status, events FROM inbox_hour_count WHERE received_hour >= ?
                UNION ALL SELECT received_hour, status, events FROM inbox_hour_delta WHERE received_hour >= ?) counted
            GROUP BY received_hour, status HAVING SUM(events) <> 0""";

    /** The counts per status, then the counts per hour received and status: each folded the same way. */
    private static final List<Tally> TALLIES = List.of(new Tally("inbox_status_delta", "inbox_status_count",
            List.of("status")), new Tally("inbox_hour_delta", "inbox_hour_count", List.of("received_hour", "status")));
    /** The hours no longer kept: their counts, and the deltas that would change them. */
    private static final List<String> PRUNE_SQL = List.of("DELETE FROM inbox_hour_count WHERE received_hour < ?",
            "DELETE FROM inbox_hour_delta WHERE received_hour < ?");

    private final DataSource dataSource;
    private final DatabaseClock databaseClock;
    private final ClusterJobLease lease;

    /** @param databaseClock the fold's lease, which the nodes compare, is on the database's time */
    public InboxStatusCounts(DataSource dataSource, DatabaseClock databaseClock, String nodeId) {
        this.dataSource = dataSource;
        this.databaseClock = databaseClock;
        this.lease = new ClusterJobLease(JOB, nodeId, databaseClock);
    }

    /** The events per status, of the statuses that have any, in the caller's transaction (or its statement). */
    public static Map<String, Long> read(Connection connection) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement(READ_SQL); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /** Every event the inbox holds, whatever its status. */
    public static long total(Connection connection) throws SQLException {
        return read(connection).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The events received in each hour since {@code since} (a whole hour of UTC, at most {@link #HOURS_KEPT} ago), by
     * their status now, oldest hour first; hours with none are absent.
     */
    public static SortedMap<Instant, Map<String, Long>> receivedPerHour(Connection connection, Instant since)
            throws SQLException {
        SortedMap<Instant, Map<String, Long>> hours = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement(READ_HOURS_SQL)) {
            query.setTimestamp(1, Timestamp.from(since));
            query.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    hours.computeIfAbsent(rows.getTimestamp(1).toInstant(), hour -> new TreeMap<>())
                            .put(rows.getString(2), rows.getLong(3));
                }
            }
        }
        return hours;
    }

    /**
     * Folds the deltas waiting now into the counts, unless another node holds the fold (then empty). The node that
     * folds keeps the lease, renewed by each fold, so one node folds while it runs and another takes over when it
     * stops. Returns how many deltas were folded.
     */
    public OptionalInt fold() throws SQLException {
        int folded = 0;
        while (true) {
            int batch = Transactions.inTransaction(dataSource, this::foldBatch);
            if (batch < 0) {
                return folded == 0 ? OptionalInt.empty() : OptionalInt.of(folded);
            }
            folded += batch;
            if (batch < FOLD_BATCH) {
                return OptionalInt.of(folded);
            }
        }
    }

    /**
     * One fold transaction: how many deltas it moved, or -1 when another node holds the fold. The hours no longer kept
     * go first, with their deltas, so that none of them is folded back into a row just removed.
     */
    private int foldBatch(Connection connection) throws SQLException {
        if (!lease.tryAcquire(connection, LEASE)) {
            return -1;
        }
        Timestamp firstHourKept = Timestamp.from(firstHourKept(databaseClock.now(connection)));
        for (String sql : PRUNE_SQL) {
            try (PreparedStatement prune = connection.prepareStatement(sql)) {
                prune.setTimestamp(1, firstHourKept);
                prune.executeUpdate();
            }
        }
        int moved = 0;
        for (Tally tally : TALLIES) {
            moved = Math.max(moved, tally.foldBatch(connection));
        }
        return moved;
    }

    /** The earliest hour whose counts are kept, at {@code now}. */
    static Instant firstHourKept(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).minus(HOURS_KEPT);
    }

    /**
     * A count kept by the database: its deltas' table, its counts' table and the columns that key a count.
     * Both tables end with {@code events}; a delta has a {@code delta_id}.
     */
    private record Tally(String deltas, String counts, List<String> keys) {

        /** Folds at most {@value #FOLD_BATCH} deltas into the counts; returns how many. */
        int foldBatch(Connection connection) throws SQLException {
            String columns = String.join(", ", keys);
            List<Long> ids = new ArrayList<>();
            // In key order, so two folders lock the count rows alike.
            Map<List<Object>, Long> sums = new TreeMap<>(Comparator.comparing(List::toString));
            try (PreparedStatement query = connection.prepareStatement("SELECT delta_id, " + columns + ", events"
                    // Locked: exactly the rows summed are the rows deleted, whatever commits meanwhile, and a second
                    // folder (one whose lease ran out unnoticed) skips them rather than folding them twice.
                    + " FROM " + deltas + " ORDER BY delta_id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                query.setInt(1, FOLD_BATCH);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                        List<Object> key = new ArrayList<>();
                        for (int column = 2; column < keys.size() + 2; column++) {
                            key.add(rows.getObject(column));
                        }
                        sums.merge(key, rows.getLong(keys.size() + 2), Long::sum);
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            String parameters = String.join(", ", Collections.nCopies(keys.size(), "?"));
            String where = keys.stream().map(key -> key + " = ?").collect(Collectors.joining(" AND "));
            try (PreparedStatement ensure = connection.prepareStatement("INSERT INTO " + counts + " (" + columns
                    + ", events) VALUES (" + parameters + ", 0) ON CONFLICT DO NOTHING");
                 PreparedStatement add = connection.prepareStatement("UPDATE " + counts
                         + " SET events = events + ? WHERE " + where)) {
                for (Map.Entry<List<Object>, Long> sum : sums.entrySet()) {
                    add.setLong(1, sum.getValue());
                    for (int i = 0; i < keys.size(); i++) {
                        ensure.setObject(i + 1, sum.getKey().get(i));
                        add.setObject(i + 2, sum.getKey().get(i));
                    }
                    ensure.addBatch();
                    add.addBatch();
                }
                ensure.executeBatch();
                add.executeBatch();
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + deltas + " WHERE delta_id = ANY(?)")) {
                delete.setArray(1, connection.createArrayOf("BIGINT", ids.toArray()));
                delete.executeUpdate();
            }
            return ids.size();
        }
    }
}
