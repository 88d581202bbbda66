package io.billing.inbox;

/**
 * Life cycle of an inbox row. The intake writes {@link #RECEIVED}; the processing engine moves rows on:
 * {@code RECEIVED → PROCESSING → PROCESSED | IGNORED | RETRY_SCHEDULED | FAILED | UNMAPPED}, and an
 * operator may re-queue a settled row or close it as {@link #RESOLVED}.
 */
public enum InboxStatus {
    /** Stored by the intake, due for its first attempt. */
    RECEIVED,
    /** Claimed by a worker under a lease; if the lease runs out, another worker takes it over. */
    PROCESSING,
    /** Every handler for its type ran and committed. */
    PROCESSED,
    /** No handler for its type: kept, visible, and re-runnable once a handler exists. */
    IGNORED,
    /** An attempt failed; due again after a backoff. */
    RETRY_SCHEDULED,
    /** The last allowed attempt failed: the dead letter, waiting for an operator. */
    FAILED,
    /** No tenant could be found for it: parked, never dropped, re-queued when a mapping resolves it. */
    UNMAPPED,
    /** Closed by an operator, with a reason, without processing. */
    RESOLVED
}
