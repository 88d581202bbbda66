package io.billing.platform.queue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes idle workers when new work is stored on this node, so that an event is picked up within
 * milliseconds rather than at the next poll. Work stored by another node is found by polling.
 */
public class WorkSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long generation;

    /**
     * Called after new work was committed. Wakes one idle worker, not all: one worker claims a whole batch,
     * and a crowd woken for every event would each claim one, in as many transactions.
     */
    public void workArrived() {
        lock.lock();
        try {
            generation++;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The current generation, to pass to {@link #awaitAfter}. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every idle worker, for shutdown. */
    public void wakeAll() {
        lock.lock();
        try {
            generation++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until work arrives after {@code seen}, or the timeout passes. Returns true if woken by new work.
     */
    public boolean awaitAfter(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = arrived.awaitNanos(nanos);
            }
            return generation != seen;
        } finally {
            lock.unlock();
        }
    }
}
