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

    public PollingLoop(String name, Step step, IdleWait idle, long idleMillis, BooleanSupplier running) {
        this.name = name;
        this.step = step;
        this.idle = idle;
        this.idleMillis = idleMillis;
        this.running = running;
    }

    @Override
    public void run() {
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
