package io.billing.platform.queue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loop that dies is logged, counted and started again; a loop that keeps dying makes the node not live. */
class PollingLoopSupervisionTest {

    @Test
    void aLoopKilledByAnErrorIsRestartedAndGoesOnWorking() throws Exception {
        LoopSupervisor supervisor = new LoopSupervisor(Duration.ofMillis(1), 5, Duration.ofMinutes(5));
        List<String> heard = new CopyOnWriteArrayList<>();
        supervisor.onDeath((loop, cause) -> heard.add(loop + ": " + cause.getClass().getSimpleName()));
        AtomicInteger steps = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        PollingLoop loop = new PollingLoop("worker-0", () -> {
            int step = steps.incrementAndGet();
            if (step <= 2) {
                throw new StackOverflowError("a handler recursed for ever");
            }
            if (step >= 10) {
                running.set(false);
            }
            return 1;
        }, millis -> { }, 1, running::get, supervisor);

        Thread thread = new Thread(loop);
        thread.start();
        thread.join(10_000);

        assertFalse(thread.isAlive(), "the loop ends only when its node stops it");
        assertEquals(10, steps.get(), "the loop went on after both deaths");
        assertEquals(List.of("worker-0: StackOverflowError", "worker-0: StackOverflowError"), heard);
        assertEquals(2L, supervisor.restarts().get("worker-0"));
        assertFalse(supervisor.keepsDying(), "two deaths that a restart cured leave the node live");
    }

    @Test
    void aLoopThatKeepsDyingMakesTheNodeNotLive() throws Exception {
        LoopSupervisor supervisor = new LoopSupervisor(Duration.ZERO, 3, Duration.ofMinutes(5));
        AtomicInteger steps = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        PollingLoop loop = new PollingLoop("outbox", () -> {
            if (steps.incrementAndGet() >= 3) {
                running.set(false);
            }
            throw new OutOfMemoryError("simulated");
        }, millis -> { }, 1, running::get, supervisor);

        Thread thread = new Thread(loop);
        thread.start();
        thread.join(10_000);

        assertEquals(3L, supervisor.restarts().get("outbox"));
        assertTrue(supervisor.keepsDying());
    }

    @Test
    void deathsOutsideTheWindowDoNotCount() {
        LoopSupervisor supervisor = new LoopSupervisor(Duration.ZERO, 2, Duration.ofNanos(1));
        supervisor.died("recovery", new IllegalStateException("one"));
        supervisor.died("recovery", new IllegalStateException("two"));
        assertFalse(supervisor.keepsDying(), "two deaths further apart than the window");
        assertEquals(2L, supervisor.restarts().get("recovery"));
    }
}
