package io.billing.outbox;

import io.billing.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LanesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final Lanes lanes = new Lanes(2, 3, 2, Duration.ofSeconds(60), clock);
    private final Lane rating = new Lane("rating", null);
    private final Lane acme = new Lane("tenant-callback", "tenant_acme");
    private final Lane beta = new Lane("tenant-callback", "tenant_beta");

    @Test
    void aLaneTakesItsLimitAndTheNodeItsOwn() {
        Lanes.Slot first = lanes.take(rating);
        assertNotNull(lanes.take(rating));
        assertNull(lanes.take(rating), "the lane is full");
        assertEquals(List.of(rating), lanes.blocked());
        assertNotNull(lanes.take(acme));
        assertNull(lanes.take(beta), "the node is full");
        assertEquals(0, lanes.free());

        lanes.release(first, false);
        assertEquals(1, lanes.free());
        assertEquals(List.of(), lanes.blocked());
        assertNotNull(lanes.take(beta));
    }

    @Test
    void aPausedLaneIsBlockedAndCountedUntilItsTrialSucceeds() {
        Lanes.Slot one = lanes.take(acme);
        Lanes.Slot two = lanes.take(acme);
        assertNull(lanes.report(one, false));
        assertEquals(clock.instant().plusSeconds(60), lanes.report(two, false));
        lanes.release(one, true);
        lanes.release(two, true);
        assertEquals(List.of(acme), lanes.blocked());
        assertEquals(1, lanes.paused("tenant-callback"));
        assertNull(lanes.take(acme));
        assertNotNull(lanes.take(beta), "another tenant's lane is not paused");

        clock.advance(Duration.ofSeconds(60));
        Lanes.Slot trial = lanes.take(acme);
        assertEquals(true, trial.trial());
        assertNull(lanes.take(acme), "one trial");
        lanes.report(trial, true);
        lanes.release(trial, true);
        assertEquals(0, lanes.paused("tenant-callback"));
        assertEquals(CircuitBreaker.State.CLOSED, lanes.state(acme));
        assertEquals(List.of(), lanes.blocked());
    }
}
