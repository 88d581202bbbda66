package io.billing.reconciliation;

/**
 * Where a payment stands, as a ladder: a record's status only ever moves to a later one, whatever order its
 * events arrive in. The order of the constants is the ladder; the record stores a status's place beside its name
 * ({@code status_rank}), so the constants keep their order and new ones go where they belong on it.
 */
public enum ReconciliationStatus {
    OPEN, PENDING, EXPIRED, FAILED, PAID, PARTIALLY_REFUNDED, REFUNDED, DISPUTED, DISPUTE_WON, DISPUTE_LOST, VOID,
    UNCOLLECTIBLE;

    /** The status's place on the ladder. */
    public int rank() {
        return ordinal();
    }

    public boolean isAfter(ReconciliationStatus other) {
        return rank() > other.rank();
    }
}
