package io.billing.platform.queue;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backoff on its own, at the edges of every rule: the attempt that dead-letters, the cap, the jitter's range. */
class RetryPolicyTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** 1, 2, 4, 8 minutes, then the cap of 10. */
    private static final RetryPolicy SHORT = new RetryPolicy(MINUTE, 2.0, Duration.ofMinutes(10), 4, 0.2);

    @Test
    void theDefaultScheduleRetriesForAbout44Hours() {
        // 1 + 2 + … + 256 minutes over the first 9 failures, then 6 failures at the 6 h cap; the 16th attempt is the last.
        assertEquals(Duration.ofMinutes(511 + 6 * 360), RetryPolicy.DEFAULT.schedule());
        assertEquals(Duration.ofMinutes(1), RetryPolicy.DEFAULT.nominalDelay(1));
        assertEquals(Duration.ofMinutes(256), RetryPolicy.DEFAULT.nominalDelay(9));
        assertEquals(Duration.ofHours(6), RetryPolicy.DEFAULT.nominalDelay(10));
        assertEquals(Duration.ofHours(6), RetryPolicy.DEFAULT.nominalDelay(15));
    }

    @Test
    void aCycleIsExhaustedExactlyWhenItHasUsedItsLastAttempt() {
        assertFalse(SHORT.exhausted(0));
        assertFalse(SHORT.exhausted(3), "the fourth attempt is still to come");
        assertTrue(SHORT.exhausted(4));
        assertTrue(SHORT.exhausted(5));
        RetryPolicy once = new RetryPolicy(MINUTE, 2.0, MINUTE, 1, 0);
        assertTrue(once.exhausted(1), "one attempt and no retry");
        assertEquals(Duration.ZERO, once.schedule(), "dead-lettered at its first failure");
    }

    @Test
    void theDelayDoublesFromTheBaseAfterTheFirstFailureUntilTheCap() {
        assertEquals(MINUTE, SHORT.nominalDelay(0), "no failure yet counts as the first");
        assertEquals(MINUTE, SHORT.nominalDelay(1));
        assertEquals(Duration.ofMinutes(2), SHORT.nominalDelay(2));
        assertEquals(Duration.ofMinutes(8), SHORT.nominalDelay(4));
        assertEquals(Duration.ofMinutes(10), SHORT.nominalDelay(5), "16 minutes, capped");
        assertEquals(Duration.ofMinutes(10), SHORT.nominalDelay(60), "far past the cap, without overflow");
        assertEquals(Duration.ofMinutes(1 + 2 + 4), SHORT.schedule(), "three waits between four attempts");
    }

    @Test
    void aFactorOfOneRetriesAtAFixedInterval() {
        RetryPolicy fixed = new RetryPolicy(Duration.ofSeconds(30), 1.0, Duration.ofSeconds(30), 3, 0);
        assertEquals(Duration.ofSeconds(30), fixed.nominalDelay(1));
        assertEquals(Duration.ofSeconds(30), fixed.nominalDelay(7));
        assertEquals(Duration.ofSeconds(60), fixed.schedule());
    }

    @Test
    void jitterSpreadsTheDelayEvenlyAroundTheNominalOne() {
        // After the third failure: 4 minutes, ± 20%.
        assertEquals(Duration.ofSeconds(192), SHORT.delay(3, () -> 0.0), "4 minutes less 20%");
        assertEquals(Duration.ofSeconds(240), SHORT.delay(3, () -> 0.5), "the middle draw is the nominal delay");
        assertEquals(Duration.ofSeconds(216), SHORT.delay(3, () -> 0.25));
        Duration high = SHORT.delay(3, () -> 0.999999);
        assertTrue(high.compareTo(Duration.ofSeconds(288)) <= 0 && high.compareTo(Duration.ofSeconds(287)) >= 0,
                "just under 4 minutes and 20%: " + high);
        RetryPolicy exact = new RetryPolicy(MINUTE, 2.0, Duration.ofMinutes(10), 4, 0);
        assertEquals(Duration.ofMinutes(4), exact.delay(3, () -> 0.9), "no jitter, no spread");
    }

    @Test
    void aDelayIsNeverShorterThanOneMillisecond() {
        RetryPolicy tiny = new RetryPolicy(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 2, 0.9);
        assertEquals(Duration.ofMillis(1), tiny.delay(1, () -> 0.0), "0.1 ms would round to a retry due at once");
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        assertDoesNotThrow(() -> new RetryPolicy(MINUTE, 1.0, MINUTE, 1, 0.0), "cap equal to the base, no jitter");
        assertDoesNotThrow(() -> new RetryPolicy(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 1, 0.999));
    }

    @Test
    void settingsOutsideTheLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, 2.0, MINUTE, 4, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(MINUTE.negated(), 2.0, MINUTE, 4, 0.2));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(MINUTE, 2.0, Duration.ofSeconds(59), 4, 0.2), "a cap below the base");
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(MINUTE, 0.999, MINUTE, 4, 0.2),
                "a shrinking delay");
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(MINUTE, 2.0, MINUTE, 0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(MINUTE, 2.0, MINUTE, 4, -0.001));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(MINUTE, 2.0, MINUTE, 4, 1.0),
                "a jitter of 100% could make the delay zero");
    }
}
