/**
 * The per-tenant double-entry ledger: {@link io.billing.ledger.Money} (minor units plus currency, the
 * exponent from the currency), balanced and append-only {@link io.billing.ledger.JournalEntry journal
 * entries} posted once per business fact ({@link io.billing.ledger.LedgerPosting}), and balances read per
 * tenant ({@link io.billing.ledger.LedgerQueries}). The handlers that post Stripe's payments, refunds and
 * disputes come with the billing domain's event handlers.
 */
package io.billing.ledger;
