package io.billing.ledger;

/**
 * The accounts of a tenant's ledger, one set per currency. Assets and expenses grow with debits; revenue
 * (and the liabilities, none yet) with credits. The normal side only matters for showing a balance as a
 * positive figure; the ledger itself stores debits and credits.
 */
public enum LedgerAccount {
    /** Money Stripe holds for the merchant on this tenant's behalf. */
    STRIPE_BALANCE(Side.DEBIT),
    /** Invoiced and not yet paid. */
    RECEIVABLES(Side.DEBIT),
    /** What the tenant's purchases earned. */
    REVENUE(Side.CREDIT),
    /** Money given back: refunds reduce revenue through this contra account. */
    REFUNDS(Side.DEBIT),
    /** Amounts lost to disputes. */
    DISPUTES(Side.DEBIT),
    /** Stripe's dispute fees. */
    DISPUTE_FEES(Side.DEBIT),
    /** Receivables written off (uncollectible invoices). */
    BAD_DEBT(Side.DEBIT);

    /** The side on which the account's balance is normally positive. */
    public enum Side { DEBIT, CREDIT }

    private final Side normalSide;

    LedgerAccount(Side normalSide) {
        this.normalSide = normalSide;
    }

    public Side normalSide() {
        return normalSide;
    }
}
