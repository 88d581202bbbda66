package io.billing.staff;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who may use the admin and the operator API: a user name, a PBKDF2 password hash (never the password) and
 * one role, {@value #SUPPORT} (reads) or {@value #ADMIN} (also acts). Disabled rather than deleted, so the
 * audit log keeps its names.
 *
 * <p>The credential version moves on with every change of the password and every disabling or enabling: a session
 * remembers the version it logged in with, and ends once the account's has moved on. It is not the entity's
 * optimistic version, which a login's time would move too. A password someone else chose must be changed by its
 * owner at the next login ({@link #mustChangePassword()}).
 */
@Entity
@Table(name = "staff_account")
@NamedQuery(name = StaffAccount.ALL, query = "SELECT s FROM StaffAccount s ORDER BY s.username")
@NamedQuery(name = StaffAccount.USERNAMES, query = "SELECT s.username FROM StaffAccount s")
@NamedQuery(name = StaffAccount.CREDENTIALS, query = "SELECT s.enabled, s.credentialVersion, s.mustChangePassword"
        + " FROM StaffAccount s WHERE s.username = :username")
public class StaffAccount {

    public static final String ADMIN = "admin";
    public static final String SUPPORT = "support";

    static final String ALL = "StaffAccount.all";
    static final String USERNAMES = "StaffAccount.usernames";
    static final String CREDENTIALS = "StaffAccount.credentials";

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    @Id
    @Column(name = "username")
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "role", nullable = false)
    private String role;

    @Column(name = "enabled", nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "last_login_at")
    private Instant lastLoginAt;

    @Column(name = "credential_version", nullable = false)
    private long credentialVersion;

    @Column(name = "must_change_password", nullable = false)
    private boolean mustChangePassword;

    /** For the persistence provider only. */
    protected StaffAccount() {
    }

    /**
     * A new, enabled account.
     *
     * @throws IllegalArgumentException for a malformed name or an unknown role
     */
    public StaffAccount(String username, String passwordHash, String role, Instant now) {
        this(username, passwordHash, role, false, now);
    }

    /**
     * A new, enabled account whose owner must choose their own password first if {@code mustChangePassword}.
     *
     * @throws IllegalArgumentException for a malformed name or an unknown role
     */
    public StaffAccount(String username, String passwordHash, String role, boolean mustChangePassword, Instant now) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("a user name is 2 to 64 of a-z, 0-9, '.', '_' and '-', starting with a"
                    + " letter or digit");
        }
        if (!ADMIN.equals(role) && !SUPPORT.equals(role)) {
            throw new IllegalArgumentException("the role is admin or support, not " + role);
        }
        this.username = username;
        this.passwordHash = requireHash(passwordHash);
        this.role = role;
        this.enabled = true;
        this.mustChangePassword = mustChangePassword;
        this.createdAt = Objects.requireNonNull(now, "now");
        this.updatedAt = now;
    }

    public String username() {
        return username;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public String role() {
        return role;
    }

    public boolean enabled() {
        return enabled;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastLoginAt() {
        return lastLoginAt;
    }

    public long credentialVersion() {
        return credentialVersion;
    }

    public boolean mustChangePassword() {
        return mustChangePassword;
    }

    /** A new password: every session of the account ends; its owner must change it first if someone else chose it. */
    void changePasswordHash(String passwordHash, boolean chosenBySomeoneElse, Instant now) {
        this.passwordHash = requireHash(passwordHash);
        this.mustChangePassword = chosenBySomeoneElse;
        this.credentialVersion++;
        this.updatedAt = now;
    }

    /** The same password hashed anew (more iterations): sessions stay. */
    void rehash(String passwordHash) {
        this.passwordHash = requireHash(passwordHash);
    }

    /** Disabled (or enabled again): every session of the account ends. */
    void enable(boolean enabled, Instant now) {
        this.enabled = enabled;
        this.credentialVersion++;
        this.updatedAt = now;
    }

    void loggedIn(Instant now) {
        this.lastLoginAt = now;
    }

    private static String requireHash(String passwordHash) {
        if (passwordHash == null || passwordHash.isBlank() || passwordHash.length() > 512) {
            throw new IllegalArgumentException("a password hash is 1 to 512 characters");
        }
        return passwordHash;
    }
}
