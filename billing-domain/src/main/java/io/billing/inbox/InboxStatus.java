package io.billing.inbox;

/**
 * Life cycle of an inbox row. The intake only ever writes {@link #RECEIVED}; the processing engine moves
 * rows on from there.
 */
public enum InboxStatus {
    RECEIVED
}
