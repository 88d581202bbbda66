package io.billing.inbox;

import io.billing.platform.cluster.ClusterJobLease;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.time.DatabaseClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
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
 * </ul>
 */
public final class InboxStatusCounts {

    public static final String JOB = "inbox-status-counts";

    /** Most deltas one fold transaction moves: a few seconds of changes at the intake's and the engine's peak. */
    static final int FOLD_BATCH = 10_000;

    /** How long a node keeps the fold without renewing: another node takes it over after that. */
    private static final Duration LEASE = Duration.ofSeconds(30);

    private static final String READ_SQL = """
            SELECT status, SUM(events) FROM (SELECT status, events FROM inbox_status_count
                                             UNION ALL SELECT status, events FROM inbox_status_delta) counted
            GROUP BY status HAVING SUM(events) <> 0""";
    /**
     * The deltas this fold moves, locked: exactly the rows it sums are the rows it deletes, whatever commits
     * meanwhile, and a second folder (one whose lease ran out unnoticed) skips them rather than folding them twice.
     */
    private static final String DELTAS_SQL = """
            SELECT delta_id, status, events FROM inbox_status_delta ORDER BY delta_id LIMIT ? FOR UPDATE SKIP LOCKED""";
    private static final String ENSURE_SQL = "INSERT INTO inbox_status_count (status, events) VALUES (?, 0)"
            + " ON CONFLICT DO NOTHING";
    private static final String ADD_SQL = "UPDATE inbox_status_count SET events = events + ? WHERE status = ?";
    private static final String DELETE_SQL = "DELETE FROM inbox_status_delta WHERE delta_id = ANY(?)";

    private final DataSource dataSource;
    private final ClusterJobLease lease;

    /** @param databaseClock the fold's lease, which the nodes compare, is on the database's time */
    public InboxStatusCounts(DataSource dataSource, DatabaseClock databaseClock, String nodeId) {
        this.dataSource = dataSource;
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

    /** One fold transaction: how many deltas it moved, or -1 when another node holds the fold. */
    private int foldBatch(Connection connection) throws SQLException {
        if (!lease.tryAcquire(connection, LEASE)) {
            return -1;
        }
        List<Long> ids = new ArrayList<>();
        Map<String, Long> sums = new TreeMap<>(); // in key order, so two folders lock the count rows alike
        try (PreparedStatement query = connection.prepareStatement(DELTAS_SQL)) {
            query.setInt(1, FOLD_BATCH);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                    sums.merge(rows.getString(2), rows.getLong(3), Long::sum);
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE_SQL);
             PreparedStatement add = connection.prepareStatement(ADD_SQL)) {
            for (Map.Entry<String, Long> sum : sums.entrySet()) {
                ensure.setString(1, sum.getKey());
                ensure.addBatch();
                add.setLong(1, sum.getValue());
                add.setString(2, sum.getKey());
                add.addBatch();
            }
            ensure.executeBatch();
            add.executeBatch();
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE_SQL)) {
            delete.setArray(1, connection.createArrayOf("BIGINT", ids.toArray()));
            delete.executeUpdate();
        }
        return ids.size();
    }
}
