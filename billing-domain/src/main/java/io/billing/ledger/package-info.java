/**
 * The per-tenant double-entry ledger.
 * <ul>
 *   <li>Values: {@link io.billing.ledger.Money} (minor units plus currency, the exponent Stripe's for the currency:
 *       {@link io.billing.ledger.StripeCurrencies}) and
 *       {@link io.billing.ledger.JournalEntry}, a posting that balances by construction (debits equal credits,
 *       each line on one side, at least two lines). {@link io.billing.ledger.MoneyFormat} writes money for people,
 *       the one way every page and event line shows it.</li>
 *   <li>The aggregate: {@link io.billing.ledger.PostedEntry} with its {@link io.billing.ledger.PostedLine lines},
 *       JPA entities on {@code journal_entry} and {@code journal_line}, immutable (no setters, columns not
 *       updatable, an update or removal through JPA fails at the flush).</li>
 *   <li>The repository: {@link io.billing.ledger.Ledger} and {@link io.billing.ledger.JpaLedger}, in the caller's
 *       unit of work. A posting stays SQL on the unit's connection: the header's
 *       {@code INSERT … ON CONFLICT DO NOTHING}, which JPA cannot say, makes a fact post once per tenant and
 *       business key; the lines go as one statement of several rows (on PostgreSQL in the same statement as the
 *       header, and an event's several entries in one statement), because persisting them as entities made the
 *       engine 20 to 30% slower (the reasons are at {@code JpaLedger}). Reads are JPQL.</li>
 *   <li>{@link io.billing.ledger.LedgerQueries}: the admin's and the operator API's reads (balances, trial
 *       balance, the journal), JPQL named queries, each with the tenant.</li>
 *   <li>{@link io.billing.ledger.PaymentPostings}: the handler that posts Stripe's payments, refunds and disputes
 *       through the ledger, in the event's unit of work, and files each fact under the payment it belongs to
 *       ({@link io.billing.ledger.JournalPayments}, {@code journal_entry_payment}: one SQL insert beside the
 *       journal, whose rows are never changed, batched with the unit of work's other deferred writes).</li>
 * </ul>
 * The database holds the ledger to its rules too, whoever writes to it: journal rows are never updated or deleted,
 * every entry balances, and a fact is in one tenant's ledger only (migrations {@code V41} and {@code V42}; H2's
 * balance check is {@code io.billing.ledger.database}). A posting of a fact another tenant holds is refused with
 * {@link io.billing.ledger.CrossTenantPostingException}, which dead-letters its event.
 */
package io.billing.ledger;
