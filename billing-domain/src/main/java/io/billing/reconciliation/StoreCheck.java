package io.billing.reconciliation;

import java.util.Set;

/**
 * The outcome of comparing a payment with its store order (the commerce connector's lookup): matched, one of the
 * exceptions an operator sees and acts on, pending again after an operator's retry, or resolved by hand, which a
 * later lookup does not overwrite.
 */
public enum StoreCheck {
    MATCHED, ORDER_NOT_FOUND, AMOUNT_MISMATCH, CURRENCY_MISMATCH, PENDING, RESOLVED;

    /** The outcomes that stay open until an operator retries the lookup or resolves it. */
    public static final Set<StoreCheck> EXCEPTIONS = Set.of(ORDER_NOT_FOUND, AMOUNT_MISMATCH, CURRENCY_MISMATCH);
}
