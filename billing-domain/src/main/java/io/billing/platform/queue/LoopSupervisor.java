package io.billing.platform.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches over a node's long-running loops (the engine's workers, the outbox dispatcher, the recovery): a loop
 * that ends for any reason but its node's shutdown, an {@link Error} from a handler included, is logged with
 * its cause, counted, and started again after {@link #restartDelay()}. A node whose loops keep dying
 * ({@link #keepsDying()}: some loop died {@code maxDeaths} times within {@code window}) is not live: an
 * orchestrator should restart it, since restarting the loop in place did not help.
 *
 * <p>Wall-clock mechanics, not business time: it measures with {@link System#nanoTime()}, like the back-off of
 * the loops themselves.
 */
public final class LoopSupervisor {

    private static final Logger LOG = Logger.getLogger(LoopSupervisor.class.getName());

    /** A supervisor with the defaults: restart after 1 s; not live after 5 deaths of one loop in 5 minutes. */
    public static LoopSupervisor defaults() {
        return new LoopSupervisor(Duration.ofSeconds(1), 5, Duration.ofMinutes(5));
    }

    private final Duration restartDelay;
    private final int maxDeaths;
    private final Duration window;
    private final Map<String, Deque<Long>> recentDeaths = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> restarts = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Throwable> listener = (loop, cause) -> { };

    public LoopSupervisor(Duration restartDelay, int maxDeaths, Duration window) {
        if (restartDelay.isNegative() || maxDeaths < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("restart delay >= 0, max deaths >= 1 and a positive window");
        }
        this.restartDelay = restartDelay;
        this.maxDeaths = maxDeaths;
        this.window = window;
    }

    /** Who else hears of each death (a metric). */
    public void onDeath(BiConsumer<String, Throwable> listener) {
        this.listener = listener;
    }

    public Duration restartDelay() {
        return restartDelay;
    }

    /** Records that a loop ended with {@code cause}; it is started again after the restart delay. */
    public void died(String loop, Throwable cause) {
        long count = restarts.computeIfAbsent(loop, name -> new AtomicLong()).incrementAndGet();
        Deque<Long> deaths = recentDeaths.computeIfAbsent(loop, name -> new ArrayDeque<>());
        synchronized (deaths) {
            deaths.addLast(System.nanoTime());
            while (deaths.size() > maxDeaths) {
                deaths.removeFirst();
            }
        }
        LOG.log(Level.SEVERE, loop + " ended unexpectedly (" + count + " time(s) so far); restarting it in "
                + restartDelay.toMillis() + " ms", cause);
        listener.accept(loop, cause);
    }

    /** How often each loop was restarted since the node started, by loop name. */
    public Map<String, Long> restarts() {
        Map<String, Long> counts = new TreeMap<>();
        restarts.forEach((loop, count) -> counts.put(loop, count.get()));
        return counts;
    }

    /** Whether some loop died {@code maxDeaths} times within the window: restarting it does not help. */
    public boolean keepsDying() {
        long now = System.nanoTime();
        for (Deque<Long> deaths : recentDeaths.values()) {
            synchronized (deaths) {
                if (deaths.size() >= maxDeaths && now - deaths.peekFirst() <= window.toNanos()) {
                    return true;
                }
            }
        }
        return false;
    }
}
