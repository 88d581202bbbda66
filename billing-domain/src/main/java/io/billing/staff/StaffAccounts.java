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

/**
 * Staff accounts for the logins and the admin: find, list, create, change password, enable or disable; changes
 * audited. A password set by anyone but the account's owner must be changed by the owner at the next login.
 */
public final class StaffAccounts {

    /** An account with its hash, for the login only. */
    public record Account(String username, String passwordHash, String role, boolean enabled, long credentialVersion,
                          boolean mustChangePassword) {
    }

    /** What a session checks on each request: whether the account may still use the login it holds. */
    public record Credentials(boolean enabled, long credentialVersion, boolean mustChangePassword) {
    }

    /** An account as the admin shows it: never the hash. */
    public record StaffView(String username, String role, boolean enabled, boolean mustChangePassword,
                            Instant createdAt, Instant lastLoginAt) {
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
                .map(a -> new Account(a.username(), a.passwordHash(), a.role(), a.enabled(), a.credentialVersion(),
                        a.mustChangePassword())));
    }

    /** The account's state for a session's check on each request: one read by primary key. */
    public Optional<Credentials> credentials(String username) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> entityManager.createNamedQuery(StaffAccount.CREDENTIALS,
                        Object[].class).setParameter("username", username).getResultStream().findFirst()
                .map(row -> new Credentials((Boolean) row[0], ((Number) row[1]).longValue(), (Boolean) row[2])));
    }

    public boolean isEmpty() throws SQLException {
        return !DatabaseFailures.read(data, entityManager -> new JpaStaffAccountRepository(entityManager).any());
    }

    public List<StaffView> list() throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaStaffAccountRepository(entityManager).all().stream()
                .map(a -> new StaffView(a.username(), a.role(), a.enabled(), a.mustChangePassword(), a.createdAt(),
                        a.lastLoginAt())).toList());
    }

    /**
     * Creates an account; false if the name is taken, also by a concurrent creation (two nodes' first start):
     * the primary key decides. The caller hashes the password; its new owner must change it at the first login.
     *
     * @throws IllegalArgumentException for a malformed name or an unknown role
     */
    public boolean create(String username, String passwordHash, String role, String actor, String reason)
            throws SQLException {
        return create(new StaffAccount(username, passwordHash, role, true, clock.instant()), actor, reason);
    }

    /**
     * Creates an account whose password its owner chose (given at the first start, for example), so it need not
     * be changed; otherwise as {@link #create}.
     */
    public boolean createWithOwnPassword(String username, String passwordHash, String role, String actor,
                                         String reason) throws SQLException {
        return create(new StaffAccount(username, passwordHash, role, false, clock.instant()), actor, reason);
    }

    private boolean create(StaffAccount account, String actor, String reason) throws SQLException {
        try {
            return DatabaseFailures.inTransaction(data, unit -> {
                StaffAccountRepository accounts = new JpaStaffAccountRepository(unit.entityManager());
                if (accounts.find(account.username()).isPresent()) {
                    return false;
                }
                accounts.add(account);
                unit.flush(); // a name taken meanwhile fails here, before the audit entry
                audit(unit, account.createdAt(), actor, "CREATE_STAFF_ACCOUNT", account.username(), account.role(),
                        reason);
                return true;
            });
        } catch (SQLException e) {
            if (DatabaseFailures.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Enables or disables an account, ending its sessions; false if there is no such account. */
    public boolean setEnabled(String username, boolean enabled, String actor, String reason) throws SQLException {
        return change(username, (account, now) -> account.enable(enabled, now), actor,
                enabled ? "ENABLE_STAFF_ACCOUNT" : "DISABLE_STAFF_ACCOUNT", reason);
    }

    /**
     * Replaces the password hash, ending the account's sessions; false if there is no such account. Unless the
     * actor is the account's owner, the owner must change the password at the next login.
     */
    public boolean setPasswordHash(String username, String passwordHash, String actor, String reason)
            throws SQLException {
        return change(username, (account, now) -> account.changePasswordHash(passwordHash, !username.equals(actor),
                now), actor, "CHANGE_STAFF_PASSWORD", reason);
    }

    /**
     * Stores the same password's new hash (more iterations) if the stored one is still {@code oldHash}: a change
     * meanwhile wins. Not a change of the password, so neither audited nor an end to sessions.
     */
    public boolean rehash(String username, String oldHash, String newHash) throws SQLException {
        return DatabaseFailures.inTransaction(data, unit -> {
            Optional<StaffAccount> account = new JpaStaffAccountRepository(unit.entityManager()).find(username)
                    .filter(a -> a.passwordHash().equals(oldHash));
            account.ifPresent(a -> a.rehash(newHash));
            return account.isPresent();
        });
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
