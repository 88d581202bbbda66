package io.billing.staff;

import io.billing.platform.time.DatabaseClock;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The login throttle on PostgreSQL and on the embedded H2: free attempts, then delays that double up to the longest,
 * per name and per address; refusals that count nothing; a success that clears the name; parallel guesses that
 * wait for each other; counts that are forgotten and removed.
 */
class LoginThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final LoginThrottle.Policy POLICY = new LoginThrottle.Policy(3, 6, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofMinutes(30));

    private final MutableClock clock = new MutableClock(T0);
    private TestDatabase database;

    @AfterEach
    void drop() {
        if (database != null) {
            database.close();
        }
    }

    private LoginThrottle throttle(boolean postgres) {
        database = postgres ? TestDatabase.postgres() : TestDatabase.h2();
        return new LoginThrottle(database.dataAccess(), DatabaseClock.following(clock), POLICY);
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void afterTheFreeAttemptsEachDelayDoublesUpToTheLongest(boolean postgres) throws SQLException {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, throttle.reserve("dana", "192.0.2.1"), "free attempt " + i);
        }
        assertEquals(refused(1), throttle.reserve("dana", "192.0.2.2"), "from another address too: the name waits");
        clock.advance(Duration.ofMillis(400));
        assertEquals(refused(0.6), throttle.reserve("dana", "192.0.2.1"));
        assertEquals(refused(0.6), throttle.reserve("dana", "192.0.2.1"), "a refused attempt counts nothing");
        for (double delay : new double[]{2, 4, 8, 8}) {
            clock.advance(Duration.ofMillis(600));
            assertInstanceOf(LoginThrottle.Allowed.class, throttle.reserve("dana", "192.0.2.1"));
            assertEquals(refused(delay), throttle.reserve("dana", "192.0.2.1"));
            clock.advance(Duration.ofMillis((long) (delay * 1000) - 600));
        }
        assertInstanceOf(LoginThrottle.Allowed.class, throttle.reserve("erin", "192.0.2.3"), "other names are free");
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void aSuccessClearsTheNameButNotTheAddresssFailures(boolean postgres) throws SQLException {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 2; i++) {
            throttle.reserve("dana", "192.0.2.1");
        }
        throttle.succeeded((LoginThrottle.Allowed) throttle.reserve("dana", "192.0.2.1"));
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, throttle.reserve("dana", "192.0.2.9"), "attempt " + i);
        }
        assertEquals(List.of("account:dana | 3", "address:192.0.2.1 | 2", "address:192.0.2.9 | 3"),
                database.rows("SELECT throttle_key, failures FROM login_throttle ORDER BY throttle_key"));

        // Six attempts from one address on as many names: the seventh waits, whatever the name.
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, throttle.reserve("name" + i, "192.0.2.1"));
        }
        assertEquals(refused(1), throttle.reserve("someone-else", "192.0.2.1"));
        assertEquals(List.of(), database.rows("SELECT throttle_key FROM login_throttle WHERE throttle_key"
                + " = 'account:someone-else' AND failures > 0"), "nothing counted for the name refused");
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void countsNobodyAddedToAreForgottenAndRemoved(boolean postgres) throws SQLException {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 3; i++) {
            throttle.reserve("dana", "192.0.2.1");
        }
        throttle.reserve("erin", "192.0.2.2");
        assertInstanceOf(LoginThrottle.Refused.class, throttle.reserve("dana", "192.0.2.1"));
        clock.advance(Duration.ofMinutes(20));
        throttle.reserve("erin", "192.0.2.2");
        clock.advance(Duration.ofMinutes(11));
        assertEquals(2, throttle.purgeForgotten(), "dana and her address; erin was tried 11 minutes ago");
        assertEquals(List.of("account:erin", "address:192.0.2.2"),
                database.rows("SELECT throttle_key FROM login_throttle ORDER BY throttle_key"));
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, throttle.reserve("dana", "192.0.2.1"), "afresh " + i);
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void parallelGuessesWaitForEachOtherSoNoMoreThanTheFreeOnesPass(boolean postgres) throws Exception {
        LoginThrottle throttle = throttle(postgres);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<LoginThrottle.Decision>> guesses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String address = "198.51.100." + i;
                guesses.add(() -> throttle.reserve("dana", address));
            }
            int allowed = 0;
            for (Future<LoginThrottle.Decision> guess : pool.invokeAll(guesses)) {
                allowed += guess.get() instanceof LoginThrottle.Allowed ? 1 : 0;
            }
            assertEquals(3, allowed);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNameLongerThanAnyAccountsIsKeptByItsDigest() {
        String key = LoginThrottle.key("account:", "x".repeat(500));
        assertEquals("account:sha256:".length() + 64, key.length());
        assertEquals("account:dana", LoginThrottle.key("account:", "dana"));
    }

    @Test
    void aPolicyMustForgetLaterThanItsLongestDelay() {
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Policy(3, 6, Duration.ofSeconds(1),
                Duration.ofMinutes(30), Duration.ofMinutes(30)));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Policy(0, 6, Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofMinutes(30)));
        assertEquals(Duration.ofSeconds(8), POLICY.delay(1_000, 3), "capped, also past any doubling");
    }

    private static LoginThrottle.Refused refused(double seconds) {
        return new LoginThrottle.Refused(Duration.ofMillis((long) (seconds * 1000)));
    }
}
