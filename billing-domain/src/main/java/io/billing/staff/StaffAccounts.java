package io.billing.staff;

import io.billing.audit.AuditLog;
import io.billing.platform.persistence.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The staff accounts table: find, list, create, change password, enable or disable; changes audited. */
public final class StaffAccounts {

    public static final String ADMIN = "admin";
    public static final String SUPPORT = "support";

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    /** An account with its hash, for the identity store only. */
    public record Account(String username, String passwordHash, String role, boolean enabled) {
    }

    /** An account as the admin shows it: never the hash. */
    public record StaffView(String username, String role, boolean enabled, Instant createdAt, Instant lastLoginAt) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public StaffAccounts(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public Optional<Account> find(String username) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT username, password_hash, role, enabled FROM staff_account WHERE username = ?")) {
            query.setString(1, username);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Account(row.getString(1), row.getString(2), row.getString(3),
                        row.getBoolean(4))) : Optional.empty();
            }
        }
    }

    public boolean isEmpty() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM staff_account"); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1) == 0;
        }
    }

    public List<StaffView> list() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT username, role, enabled, created_at, last_login_at FROM staff_account ORDER BY username");
             ResultSet rows = query.executeQuery()) {
            List<StaffView> views = new ArrayList<>();
            while (rows.next()) {
                Timestamp login = rows.getTimestamp(5);
                views.add(new StaffView(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                        rows.getTimestamp(4).toInstant(), login == null ? null : login.toInstant()));
            }
            return views;
        }
    }

    /**
     * Creates an account; false if the name is taken. The caller hashes the password.
     *
     * @throws IllegalArgumentException for a malformed name or an unknown role
     */
    public boolean create(String username, String passwordHash, String role, String actor, String reason)
            throws SQLException {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("a user name is 2 to 64 of a-z, 0-9, '.', '_' and '-', starting with a"
                    + " letter or digit");
        }
        if (!ADMIN.equals(role) && !SUPPORT.equals(role)) {
            throw new IllegalArgumentException("the role is admin or support, not " + role);
        }
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO staff_account (username, password_hash, role, enabled, created_at, updated_at)
                    VALUES (?, ?, ?, TRUE, ?, ?) ON CONFLICT DO NOTHING""")) {
                insert.setString(1, username);
                insert.setString(2, passwordHash);
                insert.setString(3, role);
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setTimestamp(5, Timestamp.from(now));
                if (insert.executeUpdate() == 0) {
                    return false;
                }
            }
            AuditLog.record(connection, now, actor, "CREATE_STAFF_ACCOUNT", "staff_account", username, null, role, reason);
            return true;
        });
    }

    /** Enables or disables an account; false if there is no such account. */
    public boolean setEnabled(String username, boolean enabled, String actor, String reason) throws SQLException {
        return update(username, "enabled = " + (enabled ? "TRUE" : "FALSE"), null, actor,
                enabled ? "ENABLE_STAFF_ACCOUNT" : "DISABLE_STAFF_ACCOUNT", reason);
    }

    /** Replaces the password hash; false if there is no such account. */
    public boolean setPasswordHash(String username, String passwordHash, String actor, String reason)
            throws SQLException {
        return update(username, "password_hash = ?", passwordHash, actor, "CHANGE_STAFF_PASSWORD", reason);
    }

    public void recordLogin(String username) throws SQLException {
        Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE staff_account SET last_login_at = ? WHERE username = ?")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, username);
                return update.executeUpdate();
            }
        });
    }

    private boolean update(String username, String assignment, String value, String actor, String action,
                           String reason) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE staff_account SET " + assignment + ", updated_at = ? WHERE username = ?")) {
                int at = 1;
                if (value != null) {
                    update.setString(at++, value);
                }
                update.setTimestamp(at++, Timestamp.from(now));
                update.setString(at, username);
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            AuditLog.record(connection, now, actor, action, "staff_account", username, null, null, reason);
            return true;
        });
    }
}
