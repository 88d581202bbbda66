package io.billing.reconciliation;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a payment's history: a state, the earliest time it was reached (Stripe's {@code created} of the event
 * that reported it; for a store check, when the check was stored), and that event (null for a store check).
 */
@Embeddable
public class StateReached {

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private PaymentState state;

    @Column(name = "reached_at", nullable = false)
    private Instant reachedAt;

    @Column(name = "event_id")
    private String eventId;

    protected StateReached() {
        // for the persistence provider
    }

    public StateReached(PaymentState state, Instant reachedAt, String eventId) {
        this.state = Objects.requireNonNull(state, "state");
        this.reachedAt = Objects.requireNonNull(reachedAt, "reachedAt");
        this.eventId = eventId;
    }

    public PaymentState state() {
        return state;
    }

    public Instant reachedAt() {
        return reachedAt;
    }

    /** The event that reported the state first; null for the commerce connector's and operators' states. */
    public String eventId() {
        return eventId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StateReached that && state == that.state && reachedAt.equals(that.reachedAt)
                && Objects.equals(eventId, that.eventId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, reachedAt, eventId);
    }

    @Override
    public String toString() {
        return state + " at " + reachedAt + (eventId == null ? "" : " by " + eventId);
    }
}
