package io.billing.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Pauses one lane of the outbox whose receiver keeps failing. After {@code threshold} failures in a row it
 * opens: nothing more is sent in the lane for {@code coolDown}. Then it lets one trial message through
 * (half-open): the trial's success closes it, its failure opens it for another cool-down.
 *
 * <p>Only the trial decides a half-open breaker. A result of a message sent before the breaker opened is
 * ignored while it is open or half-open: it tells nothing about the receiver since.
 *
 * <p>Our own rather than MicroProfile Fault Tolerance's {@code @CircuitBreaker}: that one needs a CDI bean
 * per guarded method, so one breaker per destination at most, while a lane is a destination or one tenant's
 * callback URL, known only at run time; and the dispatcher also runs outside the container, in the unit tests.
 * Time comes from the dispatcher's clock, so tests move through a cool-down without sleeping.
 */
public final class CircuitBreaker {

    /** Where a breaker stands. */
    public enum State {
        /** sending as usual */
        CLOSED,
        /** paused until the cool-down ends */
        OPEN,
        /** the cool-down ended: one trial message may go */
        HALF_OPEN
    }

    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;

    private State state = State.CLOSED;
    private int failuresInRow;
    private Instant openUntil;
    private boolean trialOut;

    public CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        if (threshold < 1 || coolDown.isNegative() || coolDown.isZero()) {
            throw new IllegalArgumentException("a breaker opens after at least one failure, for a positive cool-down");
        }
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** The state now: an open breaker whose cool-down has ended is half-open. */
    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            state = State.HALF_OPEN;
            trialOut = false;
        }
        return state;
    }

    /** When an open breaker's cool-down ends; null unless it is open. */
    public synchronized Instant openUntil() {
        return state() == State.OPEN ? openUntil : null;
    }

    /**
     * How many more messages may be sent now, besides those already out: unlimited when closed, none when open,
     * one trial when half-open and no trial is out.
     */
    public synchronized int allowance() {
        return switch (state()) {
            case CLOSED -> Integer.MAX_VALUE;
            case OPEN -> 0;
            case HALF_OPEN -> trialOut ? 0 : 1;
        };
    }

    /**
     * Records that a message is sent now. Returns true when it is the half-open breaker's trial; the caller
     * reports its result with that flag.
     */
    public synchronized boolean sending() {
        if (state() == State.HALF_OPEN) {
            trialOut = true;
            return true;
        }
        return false;
    }

    /** The receiver answered (delivered, or refused for good: it is up either way). */
    public synchronized void succeeded(boolean trial) {
        State now = state();
        if (now == State.CLOSED || trial && now == State.HALF_OPEN) {
            state = State.CLOSED;
            failuresInRow = 0;
            trialOut = false;
        }
    }

    /**
     * The receiver failed (no answer, or one worth retrying). Returns true when this failure opened the breaker
     * (or opened it again after a failed trial).
     */
    public synchronized boolean failed(boolean trial) {
        State now = state();
        if (now == State.CLOSED && ++failuresInRow >= threshold || trial && now == State.HALF_OPEN) {
            state = State.OPEN;
            openUntil = clock.instant().plus(coolDown);
            trialOut = false;
            return true;
        }
        return false;
    }

    /** A message was taken for sending but never sent (the claim failed): its trial, if it was one, is not out. */
    public synchronized void notSent(boolean trial) {
        if (trial && state == State.HALF_OPEN) {
            trialOut = false;
        }
    }

    /** Whether it is closed with no failure counted: it remembers nothing worth keeping. */
    public synchronized boolean pristine() {
        return state() == State.CLOSED && failuresInRow == 0;
    }
}
