package io.billing.platform.queue;

import io.billing.platform.persistence.Databases;
import io.billing.platform.time.DatabaseClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database table used as a work queue that any number of nodes drain together: the inbox and the
 * outbox both are one.
 *
 * <p>A row is due when its {@code due_at} has passed. The tables keep one invariant for this: {@code due_at}
 * is set exactly while a row is waiting or leased (to when it may run, or to when its lease runs out) and
 * NULL once it is settled. The claim therefore filters on {@code due_at} alone and walks its index in
 * order: it costs the same whether ten or a million rows are waiting. (A status condition here once made
 * PostgreSQL scan every waiting row on each claim, and a backlog fed on itself.)
 * Claiming locks due rows with {@code FOR UPDATE SKIP LOCKED} (so concurrent claimers never wait for
 * each other and never get the same row), then marks them with the leased status, the claiming node
 * and a fresh lease token, and moves {@code due_at} to the lease's expiry. A node that dies leaves the
 * row leased until then; after that the row is due again and another node claims it with a new token.
 * Whoever settles a row must still hold its token ({@link #lockLeased}), so a node that comes back
 * after losing its lease cannot settle the row a second time.
 *
 * <p>Whether a row is due and when a lease runs out are read from the {@link DatabaseClock}, never from the
 * claiming node's own clock: the lease was written by another node, and a node whose clock ran ahead would take
 * over rows whose leases are still live. Who writes a due time writes it from the same clock (or due at once,
 * {@link DatabaseClock#DUE_AT_ONCE}).
 *
 * @param table           the queue table
 * @param keyColumn       its primary key column
 * @param leasedStatus    the status of a claimed row
 * @param columns         the columns a claim reads (the key first), for the caller's {@link RowReader}
 * @param counters        the counter columns a claim increments besides {@code attempt_count}
 */
public record LeasedWorkQueue(String table, String keyColumn, String leasedStatus, String columns,
                              List<String> counters) {

    /** Turns one claimed row into the caller's work item. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row, Lease lease) throws SQLException;
    }

    /**
     * The claim a node holds on a row.
     *
     * @param claimedAt      when the row was claimed, and {@code expiresAt} when the lease runs out: the
     *                       {@link DatabaseClock}'s times
     * @param previousStatus the row's status before this claim: the leased status itself means the
     *                       previous holder's lease ran out
     * @param previousOwner  the node that held the previous lease, if any
     */
    public record Lease(String owner, String token, Instant claimedAt, Instant expiresAt, String previousStatus,
                        String previousOwner, Instant previousClaimedAt) {
        public boolean tookOverExpiredLease() {
            return previousOwner != null;
        }
    }

    /**
     * Narrows a claim to some of the due rows: an SQL condition on the table's columns, starting with
     * {@code AND}, and its parameters in order. {@link #ALL} takes every due row.
     */
    public record Filter(String sql, List<?> parameters) {
        public static final Filter ALL = new Filter("", List.of());
    }

    /** Decides, row by row in due order, whether a claim takes a row and for how long it holds it. */
    @FunctionalInterface
    public interface LeaseTerm {
        /** How long the lease on this row lasts; null leaves the row as it is, still due, for a later claim. */
        Duration leaseLength(ResultSet row) throws SQLException;
    }

    /**
     * Claims up to {@code limit} due rows, oldest due first, in the caller's transaction, each leased for
     * {@code leaseLength} from the {@code clock}'s now. Commit it at once: the lease, not a database lock, protects
     * the rows from then on.
     */
    public <T> List<T> claim(Connection connection, String owner, int limit, DatabaseClock clock, Duration leaseLength,
                             RowReader<T> reader) throws SQLException {
        return claim(connection, owner, limit, clock, Filter.ALL, row -> leaseLength, reader);
    }

    /**
     * Claims due rows as {@link #claim(Connection, String, int, DatabaseClock, Duration, RowReader)} does, among
     * those {@code filter} lets through, each under a lease of the length {@code term} gives it. Of the first
     * {@code limit} due rows, those {@code term} passes over stay untouched: they are locked only until the
     * caller commits, and no attempt is counted.
     */
    public <T> List<T> claim(Connection connection, String owner, int limit, DatabaseClock clock, Filter filter,
                             LeaseTerm term, RowReader<T> reader) throws SQLException {
        Instant now = clock.now(connection);
        String select = "SELECT status, lease_owner, lease_claimed_at, " + columns + " FROM " + table
                + " WHERE due_at <= ?" + filter.sql() + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED";
        List<T> claimed = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Lease> leases = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            int at = 1;
            statement.setTimestamp(at++, Timestamp.from(now));
            for (Object parameter : filter.parameters()) {
                statement.setObject(at++, parameter);
            }
            statement.setInt(at, limit);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    Duration length = term.leaseLength(row);
                    if (length == null) {
                        continue;
                    }
                    Instant until = now.plus(length);
                    String previousStatus = row.getString("status");
                    boolean expired = leasedStatus.equals(previousStatus);
                    Timestamp previousClaim = row.getTimestamp("lease_claimed_at");
                    Lease lease = new Lease(owner, UUID.randomUUID().toString(), now, until, previousStatus,
                            expired ? row.getString("lease_owner") : null,
                            expired && previousClaim != null ? previousClaim.toInstant() : null);
                    claimed.add(reader.read(row, lease));
                    keys.add(row.getString(keyColumn));
                    leases.add(lease);
                }
            }
        }
        if (keys.isEmpty()) {
            return claimed;
        }
        if (Databases.isPostgres(connection)) {
            leaseAll(connection, owner, now, keys, leases);
        } else {
            leaseEach(connection, owner, now, keys, leases);
        }
        return claimed;
    }

    /**
     * PostgreSQL: the claimed rows leased in one statement, their keys, tokens and expiries as arrays. One statement
     * rather than one per row because statement triggers on the table (the inbox's counts per status) then run once
     * per claim instead of once per row.
     */
    private void leaseAll(Connection connection, String owner, Instant now, List<String> keys, List<Lease> leases)
            throws SQLException {
        String update = "UPDATE " + table + " AS q SET status = ?, lease_owner = ?, lease_token = c.token,"
                + " lease_claimed_at = ?, due_at = c.until, attempt_count = q.attempt_count + 1"
                + counterIncrements("q.") + " FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]),"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE[])) AS c(k, token, until) WHERE q." + keyColumn + " = c.k";
        String[] tokens = new String[keys.size()];
        String[] expiries = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            tokens[i] = leases.get(i).token();
            expiries[i] = leases.get(i).expiresAt().toString(); // ISO-8601 in UTC: no session time zone applies
        }
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setString(1, leasedStatus);
            statement.setString(2, owner);
            statement.setTimestamp(3, Timestamp.from(now));
            statement.setArray(4, connection.createArrayOf("varchar", keys.toArray(String[]::new)));
            statement.setArray(5, connection.createArrayOf("varchar", tokens));
            statement.setArray(6, connection.createArrayOf("varchar", expiries));
            statement.executeUpdate();
        }
    }

    /** Elsewhere (H2, which has no {@code UPDATE … FROM}): one statement per row, sent as one JDBC batch. */
    private void leaseEach(Connection connection, String owner, Instant now, List<String> keys, List<Lease> leases)
            throws SQLException {
        String update = "UPDATE " + table + " SET status = ?, lease_owner = ?, lease_token = ?, lease_claimed_at = ?,"
                + " due_at = ?, attempt_count = attempt_count + 1" + counterIncrements("") + " WHERE " + keyColumn
                + " = ?";
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            for (int i = 0; i < keys.size(); i++) {
                statement.setString(1, leasedStatus);
                statement.setString(2, owner);
                statement.setString(3, leases.get(i).token());
                statement.setTimestamp(4, Timestamp.from(now));
                statement.setTimestamp(5, Timestamp.from(leases.get(i).expiresAt()));
                statement.setString(6, keys.get(i));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * Locks one row for settling, if the caller's lease is still the row's current one. Returns false
     * when the lease was lost (it ran out and another node took the row over, or an operator moved it).
     */
    public boolean lockLeased(Connection connection, String key, String leaseToken) throws SQLException {
        String sql = "SELECT " + keyColumn + " FROM " + table + " WHERE " + keyColumn + " = ? AND lease_token = ?"
                + " AND status = '" + leasedStatus + "' FOR UPDATE";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.setString(2, leaseToken);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private String counterIncrements(String qualifier) {
        StringBuilder sql = new StringBuilder();
        for (String counter : counters) {
            sql.append(", ").append(counter).append(" = ").append(qualifier).append(counter).append(" + 1");
        }
        return sql.toString();
    }
}
