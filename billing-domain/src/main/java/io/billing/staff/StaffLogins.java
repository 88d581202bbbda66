package io.billing.staff;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks a staff member's password, for the login form, HTTP Basic and the change of one's own password alike:
 * first the {@link LoginThrottle} (a refused attempt costs no hash), then the hash. An unknown name, a wrong
 * password and a disabled account get one answer, {@link Refused}, after the same work; so do their delays. A
 * hash made with fewer iterations than new ones get is stored anew once its password was found right.
 */
public final class StaffLogins {

    /** What a login attempt came to. */
    public sealed interface Outcome permits LoggedIn, Refused, Throttled {
    }

    /** The password is right and the account enabled. */
    public record LoggedIn(String username, String role, long credentialVersion, boolean mustChangePassword)
            implements Outcome {
    }

    /** Wrong name or password, or a disabled account: the caller is not told which. */
    public record Refused() implements Outcome {
    }

    /** Too many failed attempts on the name or from the address: nothing was checked; try again after the delay. */
    public record Throttled(Duration retryAfter) implements Outcome {
    }

    private final StaffAccounts accounts;
    private final StaffPasswords passwords;
    private final LoginThrottle throttle;

    public StaffLogins(StaffAccounts accounts, StaffPasswords passwords, LoginThrottle throttle) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    /** A login: on success its time is recorded on the account. */
    public Outcome logIn(String username, String password, String clientAddress) throws SQLException {
        Outcome outcome = check(username, password, clientAddress);
        if (outcome instanceof LoggedIn in) {
            accounts.recordLogin(in.username());
        }
        return outcome;
    }

    /**
     * The owner changes their own password, proving the current one the way a login does (and throttled alike).
     * The change ends every session of the account; on {@link LoggedIn} the caller logs the owner in again with the
     * new credential version it carries.
     *
     * @throws IllegalArgumentException for a new password that is too short or the same as the current one
     */
    public Outcome changeOwnPassword(String username, String currentPassword, String newPassword,
                                     String clientAddress) throws SQLException {
        if (newPassword != null && newPassword.equals(currentPassword)) {
            throw new IllegalArgumentException("the new password must differ from the current one");
        }
        String newHash = passwords.hash(newPassword);
        Outcome checked = check(username, currentPassword, clientAddress);
        if (!(checked instanceof LoggedIn in)) {
            return checked;
        }
        accounts.setPasswordHash(in.username(), newHash, in.username(), "changed by its owner");
        Optional<StaffAccounts.Account> changed = accounts.find(in.username());
        return changed.isPresent() && changed.get().enabled() ? loggedIn(changed.get()) : new Refused();
    }

    private Outcome check(String username, String password, String clientAddress) throws SQLException {
        LoginThrottle.Decision decision = throttle.reserve(username, clientAddress);
        if (decision instanceof LoginThrottle.Refused early) {
            return new Throttled(early.retryAfter());
        }
        Optional<StaffAccounts.Account> account = accounts.find(username);
        boolean matches = account.isPresent() ? passwords.verify(password, account.get().passwordHash())
                : passwords.verifyNoAccount(password);
        if (!matches || !account.get().enabled()) {
            return new Refused();
        }
        throttle.succeeded((LoginThrottle.Allowed) decision);
        StaffAccounts.Account found = account.get();
        if (passwords.needsRehash(found.passwordHash())) {
            accounts.rehash(found.username(), found.passwordHash(), passwords.hashAgain(password));
        }
        return loggedIn(found);
    }

    private static LoggedIn loggedIn(StaffAccounts.Account account) {
        return new LoggedIn(account.username(), account.role(), account.credentialVersion(),
                account.mustChangePassword());
    }
}
