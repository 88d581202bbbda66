package io.billing.staff;

import io.billing.platform.time.DatabaseClock;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff logins on PostgreSQL: one answer for an unknown name, a wrong password and a disabled account, also once
 * throttled; hashes of earlier releases made again at the login; one's own password changed.
 */
class StaffLoginsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    /** A hash of "correct horse battery" as earlier releases stored it: 120,000 iterations. */
    private static final String EARLIER_RELEASE = "PBKDF2WithHmacSHA256:120000:bfP059rSUDwo1icadbMoob+pCXRLl2SbH+SASzmHGwc="
            + ":9RoQ33pKU88hD6Ed3kDbvsq0hXMDm2egFIa0+gRd3Lo=";

    private final TestDatabase database = TestDatabase.postgres();
    private final MutableClock clock = new MutableClock(T0);
    private final StaffAccounts accounts = new StaffAccounts(database.dataAccess(), clock);
    /** Fewer iterations than production's, so the test is quick; still more than the earlier release's. */
    private final StaffPasswords passwords = new StaffPasswords(200_000);
    private final StaffLogins logins = new StaffLogins(accounts, passwords, new LoginThrottle(database.dataAccess(),
            DatabaseClock.following(clock), new LoginThrottle.Policy(2, 100, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofMinutes(30))));

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void anUnknownNameAWrongPasswordAndADisabledAccountGetOneAnswerAlsoWhenThrottled() throws SQLException {
        accounts.createWithOwnPassword("dana", passwords.hash("dana's own password"), StaffAccount.ADMIN, "system", "x");
        accounts.createWithOwnPassword("erin", passwords.hash("erin's own password"), StaffAccount.SUPPORT, "system", "x");
        accounts.setEnabled("erin", false, "dana", "left");

        for (String name : List.of("dana", "nobody", "erin")) {
            String password = name.equals("erin") ? "erin's own password" : "a wrong password";
            assertEquals(new StaffLogins.Refused(), logins.logIn(name, password, "192.0.2.1"), name);
            assertEquals(new StaffLogins.Refused(), logins.logIn(name, password, "192.0.2.1"), name);
            assertEquals(new StaffLogins.Throttled(Duration.ofSeconds(1)), logins.logIn(name, password, "192.0.2.1"),
                    name);
        }
        assertEquals(new StaffLogins.Throttled(Duration.ofSeconds(1)),
                logins.logIn("dana", "dana's own password", "192.0.2.1"), "the right password waits too");
        clock.advance(Duration.ofSeconds(1));
        StaffLogins.Outcome in = logins.logIn("dana", "dana's own password", "192.0.2.1");
        assertEquals(new StaffLogins.LoggedIn("dana", StaffAccount.ADMIN, 0, false), in);
        assertEquals(List.of("dana " + T0.plusSeconds(1), "erin null"), accounts.list().stream()
                .map(view -> view.username() + " " + view.lastLoginAt()).toList(), "a login's time is recorded");
    }

    @Test
    void aHashOfAnEarlierReleaseIsMadeAgainAtTheLoginWithoutEndingSessions() throws SQLException {
        accounts.createWithOwnPassword("dana", EARLIER_RELEASE, StaffAccount.ADMIN, "system", "an earlier release");
        assertInstanceOf(StaffLogins.LoggedIn.class, logins.logIn("dana", "correct horse battery", "192.0.2.1"));
        StaffAccounts.Account stored = accounts.find("dana").orElseThrow();
        assertTrue(stored.passwordHash().startsWith("PBKDF2WithHmacSHA256:200000:"), stored.passwordHash());
        assertEquals(0, stored.credentialVersion());
        assertInstanceOf(StaffLogins.LoggedIn.class, logins.logIn("dana", "correct horse battery", "192.0.2.1"));
        assertEquals(List.of("CREATE_STAFF_ACCOUNT"), database.rows("SELECT action FROM audit_log"), "not a change");
    }

    @Test
    void theOwnerChangesAPasswordSomeoneElseChoseByProvingIt() throws SQLException {
        accounts.create("gina", passwords.hash("chosen by an admin"), StaffAccount.SUPPORT, "dana", "new colleague");
        assertEquals(new StaffLogins.LoggedIn("gina", StaffAccount.SUPPORT, 0, true),
                logins.logIn("gina", "chosen by an admin", "192.0.2.1"));

        assertThrows(IllegalArgumentException.class, () -> logins.changeOwnPassword("gina", "chosen by an admin",
                "too short", "192.0.2.1"));
        assertThrows(IllegalArgumentException.class, () -> logins.changeOwnPassword("gina", "chosen by an admin",
                "chosen by an admin", "192.0.2.1"));
        assertEquals(new StaffLogins.Refused(), logins.changeOwnPassword("gina", "a wrong guess", "gina's very own",
                "192.0.2.1"));
        assertEquals(new StaffLogins.LoggedIn("gina", StaffAccount.SUPPORT, 1, false),
                logins.changeOwnPassword("gina", "chosen by an admin", "gina's very own", "192.0.2.1"));
        assertEquals(new StaffLogins.Refused(), logins.logIn("gina", "chosen by an admin", "192.0.2.1"));
        assertInstanceOf(StaffLogins.LoggedIn.class, logins.logIn("gina", "gina's very own", "192.0.2.1"));
        assertFalse(accounts.find("gina").orElseThrow().mustChangePassword());
    }
}
