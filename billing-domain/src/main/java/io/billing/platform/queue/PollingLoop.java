package io.billing.platform.queue;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The loop of a background worker that drains a work queue: run a step; when it found nothing, wait for
 * new work or the idle poll; when the database fails, back off (doubling up to five seconds) and say
 * so once per outage rather than once per poll. Leases keep claimed work safe in the meantime.
 *
 * <p>Anything else that ends the loop (an {@link Error} such as a handler's stack overflow, an exception a
 * step did not expect) goes to the {@link LoopSupervisor}, which logs and counts it; the loop then starts
 * again after the supervisor's delay. Only its node's shutdown (the running flag, an interrupt) ends it.
 */
public final class PollingLoop implements Runnable {

    /** One claim-and-run step; returns how many items it took. */
    @FunctionalInterface
    public interface Step {
        int run() throws SQLException;
    }

    /** Waits after an empty step; may return early when new work arrives. */
    @FunctionalInterface
    public interface IdleWait {
        void await(long millis) throws InterruptedException;
    }

    private static final Logger LOG = Logger.getLogger(PollingLoop.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final String name;
    private final Step step;
    private final IdleWait idle;
    private final long idleMillis;
    private final BooleanSupplier running;
    private final LoopSupervisor supervisor;

    public PollingLoop(String name, Step step, IdleWait idle, long idleMillis, BooleanSupplier running,
                       LoopSupervisor supervisor) {
        this.name = name;
        this.step = step;
        this.idle = idle;
        this.idleMillis = idleMillis;
        this.running = running;
        this.supervisor = supervisor;
    }

    @Override
    public void run() {
        while (running.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            try {
                poll();
                return;
            } catch (Throwable unexpected) { // an Error must not end a worker silently: see the class doc
                supervisor.died(name, unexpected);
                try {
                    TimeUnit.MILLISECONDS.sleep(supervisor.restartDelay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The loop proper: returns when the node stops or the thread is interrupted. */
    private void poll() {
        int failures = 0;
        while (running.getAsBoolean()) {
            try {
                int taken = step.run();
                if (failures > 0) {
                    LOG.info(() -> name + " reaches the database again");
                    failures = 0;
                }
                if (taken == 0) {
                    idle.await(idleMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                failures++;
                long pause = Math.min(MAX_BACKOFF_MILLIS, idleMillis << Math.min(failures, 10));
                if (failures == 1) {
                    LOG.log(Level.WARNING, name + " cannot reach its queue; retrying every " + pause + " ms or less", e);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
