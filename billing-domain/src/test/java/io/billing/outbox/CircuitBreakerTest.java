package io.billing.outbox;

import io.billing.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private static final Instant START = Instant.parse("2026-11-22T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(60), clock);

    @Test
    void opensAfterTheThresholdOfFailuresInARowOnly() {
        assertFalse(breaker.failed(breaker.sending()));
        assertFalse(breaker.failed(breaker.sending()));
        breaker.succeeded(breaker.sending()); // an answer ends the row
        assertFalse(breaker.failed(false));
        assertFalse(breaker.failed(false));
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(Integer.MAX_VALUE, breaker.allowance());
        assertTrue(breaker.failed(false));
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertEquals(0, breaker.allowance());
        assertEquals(START.plusSeconds(60), breaker.openUntil());
        assertFalse(breaker.failed(false), "already open: a late failure opens nothing and does not extend the pause");
        assertEquals(START.plusSeconds(60), breaker.openUntil());
    }

    @Test
    void afterTheCoolDownOneTrialDecides() {
        open();
        clock.advance(Duration.ofSeconds(59));
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertNull(breaker.openUntil());
        assertEquals(1, breaker.allowance());
        assertTrue(breaker.sending(), "the trial");
        assertEquals(0, breaker.allowance(), "one trial at a time");

        assertTrue(breaker.failed(true), "a failed trial pauses again");
        assertEquals(START.plusSeconds(120), breaker.openUntil());
        clock.advance(Duration.ofSeconds(60));
        assertTrue(breaker.sending());
        breaker.succeeded(true);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.pristine());
    }

    @Test
    void resultsOfMessagesSentBeforeThePauseDecideNothing() {
        open();
        clock.advance(Duration.ofSeconds(60));
        assertTrue(breaker.sending());
        breaker.succeeded(false);
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(), "an older message's success is no trial");
        assertFalse(breaker.failed(false));
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(), "nor its failure");
        assertEquals(0, breaker.allowance(), "the trial is still out");
    }

    @Test
    void aTrialNeverSentLetsTheNextMessageBeTheTrial() {
        open();
        clock.advance(Duration.ofSeconds(60));
        assertTrue(breaker.sending());
        breaker.notSent(true);
        assertEquals(1, breaker.allowance());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(0, Duration.ofSeconds(1), clock));
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(1, Duration.ZERO, clock));
    }

    private void open() {
        breaker.failed(false);
        breaker.failed(false);
        assertTrue(breaker.failed(false));
    }
}
