package io.billing.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One node's count of the messages it is sending, by lane and in all, and each lane's circuit breaker. The
 * dispatcher takes a slot here for every message before it claims it, so it never claims what it cannot
 * send at once.
 *
 * <p>A lane with nothing out and a breaker with nothing to remember is forgotten: tenants' lanes come and go.
 */
final class Lanes {

    /** One message's place in its lane, from its claim until its result is known. */
    record Slot(Lane lane, boolean trial) {
    }

    private static final class LaneState {
        final CircuitBreaker breaker;
        final Object settling = new Object();
        int sending;

        LaneState(CircuitBreaker breaker) {
            this.breaker = breaker;
        }
    }

    private final int perLane;
    private final int overall;
    private final int breakerThreshold;
    private final Duration breakerCoolDown;
    private final Clock clock;
    private final Map<Lane, LaneState> lanes = new HashMap<>();
    private int sending;
    private volatile Consumer<Lane> opened = lane -> { };

    Lanes(int perLane, int overall, int breakerThreshold, Duration breakerCoolDown, Clock clock) {
        this.perLane = perLane;
        this.overall = overall;
        this.breakerThreshold = breakerThreshold;
        this.breakerCoolDown = breakerCoolDown;
        this.clock = clock;
    }

    void onOpened(Consumer<Lane> listener) {
        this.opened = listener;
    }

    /** How many more messages this node may send at once, whatever their lanes. */
    synchronized int free() {
        return overall - sending;
    }

    synchronized int sending() {
        return sending;
    }

    /** The lanes that can take no message now: full, or paused by their breaker. */
    synchronized List<Lane> blocked() {
        List<Lane> blocked = new ArrayList<>();
        lanes.forEach((lane, state) -> {
            if (room(state) == 0) {
                blocked.add(lane);
            }
        });
        return blocked;
    }

    /** Takes a slot in the lane for one message, or returns null when the lane or the node is full, or paused. */
    synchronized Slot take(Lane lane) {
        if (sending >= overall) {
            return null;
        }
        LaneState state = lanes.computeIfAbsent(lane, l -> new LaneState(
                new CircuitBreaker(breakerThreshold, breakerCoolDown, clock)));
        if (room(state) == 0) {
            return null;
        }
        state.sending++;
        sending++;
        return new Slot(lane, state.breaker.sending());
    }

    /** The lock under which the slot's lane takes one result at a time (while the slot is held, the lane is known). */
    synchronized Object settling(Slot slot) {
        return lanes.get(slot.lane()).settling;
    }

    /**
     * Tells the slot's lane what the receiver did with its message: answered (it is up, whatever it said) or
     * failed. Returns the end of the cool-down when this failure opened the lane's breaker; null otherwise.
     */
    Instant report(Slot slot, boolean receiverUp) {
        Instant opens = null;
        synchronized (this) {
            CircuitBreaker breaker = lanes.get(slot.lane()).breaker;
            if (receiverUp) {
                breaker.succeeded(slot.trial());
            } else if (breaker.failed(slot.trial())) {
                opens = breaker.openUntil();
            }
        }
        if (opens != null) {
            opened.accept(slot.lane());
        }
        return opens;
    }

    /**
     * Gives a slot back. Without a report first (the message was not sent, or its sending was cut off), a trial
     * is not counted as out any more: the next message may be the trial.
     */
    synchronized void release(Slot slot, boolean reported) {
        LaneState state = lanes.get(slot.lane());
        sending--;
        state.sending--;
        if (!reported) {
            state.breaker.notSent(slot.trial());
        }
        if (state.sending == 0 && state.breaker.pristine()) {
            lanes.remove(slot.lane());
        }
    }

    /** The lane's breaker state; a lane this node knows nothing bad of is closed. */
    synchronized CircuitBreaker.State state(Lane lane) {
        LaneState state = lanes.get(lane);
        return state == null ? CircuitBreaker.State.CLOSED : state.breaker.state();
    }

    /** When the lane's pause ends, while its breaker is open; null otherwise. */
    synchronized Instant pausedUntil(Lane lane) {
        LaneState state = lanes.get(lane);
        return state == null ? null : state.breaker.openUntil();
    }

    /** How many lanes of a destination are paused on this node now: their breaker is open, its cool-down running. */
    synchronized long paused(String destination) {
        return lanes.entrySet().stream().filter(e -> e.getKey().destination().equals(destination))
                .filter(e -> e.getValue().breaker.state() == CircuitBreaker.State.OPEN).count();
    }

    private int room(LaneState state) {
        return Math.min(perLane - state.sending, state.breaker.allowance());
    }
}
