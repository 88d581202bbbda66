package io.billing.reconciliation;

/**
 * A state in a payment's history ({@link ReconciliationRecord#history()}): when the payment was first seen (its
 * earliest event), each {@link ReconciliationStatus} one of its events reported (an open invoice or a payment still
 * processing is {@link #PAYMENT_PENDING}), and the commerce connector's outcomes. Unlike the status, which only moves
 * up its ladder, the history keeps every state the payment went through, each once, at the earliest time it was
 * reached.
 */
public enum PaymentState {
    CREATED, PAYMENT_PENDING, PAYMENT_FAILED, EXPIRED, PAID, PARTIALLY_REFUNDED, REFUNDED, DISPUTED, DISPUTE_WON,
    DISPUTE_LOST, VOIDED, UNCOLLECTIBLE, STORE_CHECK_MATCHED, STORE_CHECK_FAILED, STORE_CHECK_RESOLVED;

    /** The width of the state's column. */
    static final int MAX_LENGTH = 32;

    /** The state an event's status puts the payment in; null for none. */
    public static PaymentState of(ReconciliationStatus status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case OPEN, PENDING -> PAYMENT_PENDING;
            case FAILED -> PAYMENT_FAILED;
            case EXPIRED -> EXPIRED;
            case PAID -> PAID;
            case PARTIALLY_REFUNDED -> PARTIALLY_REFUNDED;
            case REFUNDED -> REFUNDED;
            case DISPUTED -> DISPUTED;
            case DISPUTE_WON -> DISPUTE_WON;
            case DISPUTE_LOST -> DISPUTE_LOST;
            case VOID -> VOIDED;
            case UNCOLLECTIBLE -> UNCOLLECTIBLE;
        };
    }

    /** The state a store check's outcome puts the payment in; null for a check that is pending again. */
    public static PaymentState of(StoreCheck check) {
        if (check == null) {
            return null;
        }
        return switch (check) {
            case MATCHED -> STORE_CHECK_MATCHED;
            case ORDER_NOT_FOUND, AMOUNT_MISMATCH, CURRENCY_MISMATCH -> STORE_CHECK_FAILED;
            case RESOLVED -> STORE_CHECK_RESOLVED;
            case PENDING -> null;
        };
    }
}
