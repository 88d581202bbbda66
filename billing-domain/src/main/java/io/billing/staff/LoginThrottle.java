package io.billing.staff;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.platform.time.DatabaseClock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slows password guessing down, per account name and per client address, on every node alike: the counts live in
 * the database ({@code login_throttle}) and their times come from the database's clock.
 *
 * <p>An attempt is counted <em>before</em> its password is checked ({@link #reserve}): the row of the name and the
 * row of the address are locked, and an attempt that is due is counted at once. So parallel guesses wait for each
 * other instead of all passing a check made before any of them failed, and a guess costs nothing once refused. After
 * {@code free} counted attempts the next one must wait {@code firstDelay}, and every further one twice as long as the
 * one before, up to {@code maxDelay}. An attempt refused for being early is not counted, so a stream of refused
 * attempts does not lock the account out for longer. A success ({@link #succeeded}) clears the name's count and
 * takes its own attempt off the address's count; the address's failures stay, so that a caller with one good
 * account cannot wipe out the failures it made on others. A count nobody added to for {@code forgetAfter} starts
 * again from nought, and such rows are removed now and then.
 *
 * <p>Names that no account has are counted exactly like those that exist, so neither the answer nor the delay
 * tells whether an account exists.
 */
public final class LoginThrottle {

    /**
     * How hard the throttle is.
     *
     * @param freePerAccount attempts on one name before the delays begin
     * @param freePerAddress attempts from one address before the delays begin
     * @param firstDelay     the first delay; each later one doubles
     * @param maxDelay       the longest delay
     * @param forgetAfter    a count not added to for this long starts again
     */
    public record Policy(int freePerAccount, int freePerAddress, Duration firstDelay, Duration maxDelay,
                         Duration forgetAfter) {

        public Policy {
            if (freePerAccount < 1 || freePerAddress < 1) {
                throw new IllegalArgumentException("at least one login attempt must be free");
            }
            if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("the first delay must be positive and at most the longest");
            }
            if (forgetAfter.compareTo(maxDelay) <= 0) {
                throw new IllegalArgumentException("failures must be remembered for longer than the longest delay");
            }
        }

        /** How long after the last counted attempt the next may be made, {@code counted} attempts in. */
        Duration delay(int counted, int free) {
            if (counted < free) {
                return Duration.ZERO;
            }
            int doublings = Math.min(counted - free, 40);
            Duration delay = firstDelay.multipliedBy(1L << doublings);
            return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
        }
    }

    /** What a login attempt may do. */
    public sealed interface Decision permits Allowed, Refused {
    }

    /** The attempt was counted; check the password, and report a success. */
    public record Allowed(String accountKey, String addressKey) implements Decision {
    }

    /** Too early: try again after {@code retryAfter}; nothing was counted. */
    public record Refused(Duration retryAfter) implements Decision {
    }

    private static final String ENSURE = "INSERT INTO login_throttle (throttle_key, failures, last_attempt_at)"
            + " VALUES (?, 0, ?) ON CONFLICT DO NOTHING";
    private static final String LOCK = "SELECT failures, last_attempt_at FROM login_throttle WHERE throttle_key = ?"
            + " FOR UPDATE";
    private static final String COUNT = "UPDATE login_throttle SET failures = ?, last_attempt_at = ? WHERE throttle_key = ?";
    private static final String FORGET_ACCOUNT = "DELETE FROM login_throttle WHERE throttle_key = ?";
    private static final String UNCOUNT_ADDRESS = "UPDATE login_throttle SET failures = failures - 1"
            + " WHERE throttle_key = ? AND failures > 0";
    private static final String STALE = "SELECT throttle_key FROM login_throttle WHERE last_attempt_at < ?"
            + " LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String REMOVE = "DELETE FROM login_throttle WHERE throttle_key = ?";

    private static final int MAX_KEY = 200;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private static final int PURGE_BATCH = 1_000;

    private final DataAccess data;
    private final DatabaseClock clock;
    private final Policy policy;
    /** When this node last removed forgotten rows (System.nanoTime), so that it does so now and then only. */
    private final AtomicLong lastPurge = new AtomicLong(System.nanoTime());

    public LoginThrottle(DataAccess data, DatabaseClock clock, Policy policy) {
        this.data = data;
        this.clock = clock;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Counts a login attempt for {@code accountName} from {@code clientAddress} if it is due for both, else says how
     * long to wait.
     *
     * @param clientAddress the caller's address as {@code ClientAddress} gives it (an IPv6 address by its /64)
     */
    public Decision reserve(String accountName, String clientAddress) throws SQLException {
        String account = key("account:", accountName == null ? "" : accountName);
        String address = key("address:", clientAddress == null ? "unknown" : clientAddress);
        Decision decision = DatabaseFailures.inTransaction(data, unit -> {
            Connection connection = unit.connection();
            Instant now = clock.now(connection);
            // Always the name first, then the address: two attempts never wait for each other in a circle.
            Count onAccount = lock(connection, account, now);
            Count onAddress = lock(connection, address, now);
            Duration wait = max(onAccount.remaining(policy.delay(onAccount.counted(), policy.freePerAccount()), now),
                    onAddress.remaining(policy.delay(onAddress.counted(), policy.freePerAddress()), now));
            if (!wait.isZero()) {
                return new Refused(wait);
            }
            count(connection, account, onAccount.counted() + 1, now);
            count(connection, address, onAddress.counted() + 1, now);
            return new Allowed(account, address);
        });
        purgeNowAndThen();
        return decision;
    }

    /** The attempt found the right password: the name starts afresh, and the address forgets this attempt. */
    public void succeeded(Allowed attempt) throws SQLException {
        DatabaseFailures.inTransaction(data, unit -> {
            try (PreparedStatement forget = unit.connection().prepareStatement(FORGET_ACCOUNT);
                 PreparedStatement uncount = unit.connection().prepareStatement(UNCOUNT_ADDRESS)) {
                forget.setString(1, attempt.accountKey());
                forget.executeUpdate();
                uncount.setString(1, attempt.addressKey());
                uncount.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Removes the rows nobody tried for longer than the policy remembers (they count as nought anyway), without
     * waiting for a row an attempt holds; at most a batch.
     *
     * @return how many rows it removed
     */
    public int purgeForgotten() throws SQLException {
        return DatabaseFailures.inTransaction(data, unit -> {
            Connection connection = unit.connection();
            List<String> stale = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(STALE)) {
                select.setObject(1, utc(clock.now(connection).minus(policy.forgetAfter())));
                select.setInt(2, PURGE_BATCH);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stale.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement remove = connection.prepareStatement(REMOVE)) {
                for (String key : stale) {
                    remove.setString(1, key);
                    remove.addBatch();
                }
                if (!stale.isEmpty()) {
                    remove.executeBatch();
                }
            }
            return stale.size();
        });
    }

    private void purgeNowAndThen() {
        long last = lastPurge.get();
        long now = System.nanoTime(); // how often this node tidies up: its own clock is fine
        if (now - last < PURGE_EVERY.toNanos() || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        try {
            purgeForgotten();
        } catch (SQLException e) {
            // tidying only: the rows left count as nought, and the next purge takes them
        }
    }

    /** A key's attempts so far, and when the last was made. */
    private record Count(int counted, Instant last) {

        /** How long from {@code now} until {@code delay} after the last attempt has passed. */
        Duration remaining(Duration delay, Instant now) {
            Instant due = last.plus(delay);
            return due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
        }
    }

    /** Locks the key's row (made if missing) and returns its count, nought if it was forgotten. */
    private Count lock(Connection connection, String key, Instant now) throws SQLException {
        for (int tries = 0; tries < 3; tries++) {
            try (PreparedStatement ensure = connection.prepareStatement(ENSURE)) {
                ensure.setString(1, key);
                ensure.setObject(2, utc(now));
                ensure.executeUpdate();
            }
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setString(1, key);
                try (ResultSet row = lock.executeQuery()) {
                    if (row.next()) {
                        Instant last = row.getObject(2, OffsetDateTime.class).toInstant();
                        return last.isBefore(now.minus(policy.forgetAfter())) ? new Count(0, last)
                                : new Count(row.getInt(1), last);
                    }
                }
            } // else a purge removed the row between the two statements: make it again
        }
        throw new SQLException("the login throttle's row of " + key + " keeps disappearing");
    }

    private static void count(Connection connection, String key, int counted, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(COUNT)) {
            update.setInt(1, counted);
            update.setObject(2, utc(now));
            update.setString(3, key);
            update.executeUpdate();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The row's key; a name too long for the column (no account has one) by its SHA-256. */
    static String key(String prefix, String value) {
        if (prefix.length() + value.length() <= MAX_KEY) {
            return prefix + value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return prefix + "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
