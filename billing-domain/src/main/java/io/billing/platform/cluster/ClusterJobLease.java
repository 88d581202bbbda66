package io.billing.platform.cluster;

import io.billing.platform.time.DatabaseClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A database lease on one named job: the node that holds an unexpired lease runs the job; a node that
 * dies leaves a lease that expires, and the next node takes over. The job's progress (its watermark) lives
 * in the same row, so it moves with the lease. Each method runs in the caller's transaction.
 *
 * <p>The lease's expiry is written and compared on the {@link DatabaseClock}: the nodes' own clocks may differ,
 * and a node whose clock ran ahead would otherwise take a job another node still runs.
 */
public final class ClusterJobLease {

    private static final String ENSURE_SQL = "INSERT INTO cluster_job (job_name) VALUES (?) ON CONFLICT DO NOTHING";
    private static final String ACQUIRE_SQL = """
            UPDATE cluster_job SET lease_owner = ?, lease_expires_at = ?
            WHERE job_name = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?)""";
    private static final String RENEW_SQL = """
            UPDATE cluster_job SET lease_expires_at = ? WHERE job_name = ? AND lease_owner = ?""";
    private static final String RELEASE_SQL = """
            UPDATE cluster_job SET lease_owner = NULL, lease_expires_at = NULL WHERE job_name = ? AND lease_owner = ?""";
    private static final String WATERMARK_SQL = "SELECT watermark FROM cluster_job WHERE job_name = ?";
    private static final String ADVANCE_SQL = """
            UPDATE cluster_job SET watermark = ? WHERE job_name = ? AND lease_owner = ?""";

    private final String job;
    private final String nodeId;
    private final DatabaseClock clock;

    public ClusterJobLease(String job, String nodeId, DatabaseClock clock) {
        this.job = job;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Takes the lease for {@code length} unless another node holds an unexpired one; true if taken. */
    public boolean tryAcquire(Connection connection, Duration length) throws SQLException {
        Instant now = clock.now(connection);
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE_SQL)) {
            ensure.setString(1, job);
            ensure.executeUpdate();
        }
        try (PreparedStatement acquire = connection.prepareStatement(ACQUIRE_SQL)) {
            acquire.setString(1, nodeId);
            acquire.setTimestamp(2, Timestamp.from(now.plus(length)));
            acquire.setString(3, job);
            acquire.setString(4, nodeId);
            acquire.setTimestamp(5, Timestamp.from(now));
            return acquire.executeUpdate() == 1;
        }
    }

    /**
     * Extends the lease to {@code length} from now; false if this node no longer holds it (it expired and
     * another node took it).
     */
    public boolean renew(Connection connection, Duration length) throws SQLException {
        Instant until = clock.now(connection).plus(length);
        try (PreparedStatement renew = connection.prepareStatement(RENEW_SQL)) {
            renew.setTimestamp(1, Timestamp.from(until));
            renew.setString(2, job);
            renew.setString(3, nodeId);
            return renew.executeUpdate() == 1;
        }
    }

    public void release(Connection connection) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement(RELEASE_SQL)) {
            release.setString(1, job);
            release.setString(2, nodeId);
            release.executeUpdate();
        }
    }

    public Optional<Instant> watermark(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(WATERMARK_SQL)) {
            query.setString(1, job);
            try (ResultSet row = query.executeQuery()) {
                Timestamp at = row.next() ? row.getTimestamp(1) : null;
                return Optional.ofNullable(at).map(Timestamp::toInstant);
            }
        }
    }

    /** Moves the watermark, only while this node holds the lease; false otherwise. */
    public boolean advance(Connection connection, Instant watermark) throws SQLException {
        try (PreparedStatement advance = connection.prepareStatement(ADVANCE_SQL)) {
            advance.setTimestamp(1, Timestamp.from(watermark));
            advance.setString(2, job);
            advance.setString(3, nodeId);
            return advance.executeUpdate() == 1;
        }
    }
}
