package io.billing.inbox;

/** What storing one delivery did: a first sighting of the event id, or a repeat of a stored one. */
public enum StoreOutcome {
    /** A new inbox row was committed. */
    STORED,
    /** The event id was already stored; only its delivery count and last delivery time changed. */
    DUPLICATE
}
