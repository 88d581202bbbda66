package io.billing.staff;

import io.billing.audit.AuditEntry;
import io.billing.audit.JpaAuditLog;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.platform.persistence.UnitOfWork;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Staff accounts for the identity store and the admin: find, list, create, change password, enable or disable; changes audited. */
public final class StaffAccounts {

    /** An account with its hash, for the identity store only. */
    public record Account(String username, String passwordHash, String role, boolean enabled) {
    }

    /** An account as the admin shows it: never the hash. */
    public record StaffView(String username, String role, boolean enabled, Instant createdAt, Instant lastLoginAt) {
    }

    private static final String TARGET = "staff_account";

    private final DataAccess data;
    private final Clock clock;

    public StaffAccounts(DataAccess data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    public Optional<Account> find(String username) throws SQLException {
        if (username == null) {
            return Optional.empty();
        }
        return DatabaseFailures.read(data, entityManager -> new JpaStaffAccountRepository(entityManager).find(username)
                .map(a -> new Account(a.username(), a.passwordHash(), a.role(), a.enabled())));
    }

    public boolean isEmpty() throws SQLException {
        return !DatabaseFailures.read(data, entityManager -> new JpaStaffAccountRepository(entityManager).any());
    }

    public List<StaffView> list() throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaStaffAccountRepository(entityManager).all().stream()
                .map(a -> new StaffView(a.username(), a.role(), a.enabled(), a.createdAt(), a.lastLoginAt())).toList());
    }

    /**
     * Creates an account; false if the name is taken, also by a concurrent creation (two nodes' first start):
     * the primary key decides. The caller hashes the password.
     *
     * @throws IllegalArgumentException for a malformed name or an unknown role
     */
    public boolean create(String username, String passwordHash, String role, String actor, String reason)
            throws SQLException {
        Instant now = clock.instant();
        StaffAccount account = new StaffAccount(username, passwordHash, role, now);
        try {
            return DatabaseFailures.inTransaction(data, unit -> {
                StaffAccountRepository accounts = new JpaStaffAccountRepository(unit.entityManager());
                if (accounts.find(username).isPresent()) {
                    return false;
                }
                accounts.add(account);
                unit.flush(); // a name taken meanwhile fails here, before the audit entry
                audit(unit, now, actor, "CREATE_STAFF_ACCOUNT", username, role, reason);
                return true;
            });
        } catch (SQLException e) {
            if (DatabaseFailures.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Enables or disables an account; false if there is no such account. */
    public boolean setEnabled(String username, boolean enabled, String actor, String reason) throws SQLException {
        return change(username, (account, now) -> account.enable(enabled, now), actor,
                enabled ? "ENABLE_STAFF_ACCOUNT" : "DISABLE_STAFF_ACCOUNT", reason);
    }

    /** Replaces the password hash; false if there is no such account. */
    public boolean setPasswordHash(String username, String passwordHash, String actor, String reason)
            throws SQLException {
        return change(username, (account, now) -> account.changePasswordHash(passwordHash, now), actor,
                "CHANGE_STAFF_PASSWORD", reason);
    }

    public void recordLogin(String username) throws SQLException {
        DatabaseFailures.inTransaction(data, unit -> {
            new JpaStaffAccountRepository(unit.entityManager()).find(username)
                    .ifPresent(account -> account.loggedIn(clock.instant()));
            return null;
        });
    }

    /** Changes an account and audits the change, in one transaction; false if there is no such account. */
    private boolean change(String username, BiConsumer<StaffAccount, Instant> change, String actor, String action,
                           String reason) throws SQLException {
        return DatabaseFailures.inTransaction(data, unit -> {
            Optional<StaffAccount> account = new JpaStaffAccountRepository(unit.entityManager()).find(username);
            if (account.isEmpty()) {
                return false;
            }
            Instant now = clock.instant();
            change.accept(account.get(), now);
            audit(unit, now, actor, action, username, null, reason);
            return true;
        });
    }

    private static void audit(UnitOfWork unit, Instant now, String actor, String action, String username,
                              String after, String reason) throws SQLException {
        new JpaAuditLog(unit.entityManager()).append(new AuditEntry(now, actor, action, TARGET, username, null, after,
                reason));
    }
}
