package io.billing.processing;

import io.billing.inbox.InboxStatus;

/** How one attempt at an event ended, as recorded in {@code event_attempt.outcome}. */
public enum AttemptOutcome {
    PROCESSED(InboxStatus.PROCESSED),
    IGNORED(InboxStatus.IGNORED),
    UNMAPPED(InboxStatus.UNMAPPED),
    RETRY_SCHEDULED(InboxStatus.RETRY_SCHEDULED),
    FAILED(InboxStatus.FAILED),
    /** The node holding the lease died or stalled; recorded by the node that took the event over. */
    LEASE_EXPIRED(InboxStatus.PROCESSING),
    /** This node's lease was taken over before it could settle; nothing of this attempt was kept. */
    LEASE_LOST(InboxStatus.PROCESSING);

    private final InboxStatus status;

    AttemptOutcome(InboxStatus status) {
        this.status = status;
    }

    /** The status the event takes after an attempt with this outcome. */
    public InboxStatus status() {
        return status;
    }
}
