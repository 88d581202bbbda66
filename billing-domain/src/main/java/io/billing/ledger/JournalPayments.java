package io.billing.ledger;

import io.billing.platform.persistence.DeferredWrites;
import jakarta.persistence.EntityManager;

/**
 * Which payment each posted fact belongs to: the payment's key ({@code invoice:<in>}, {@code payment:<pi>}, as
 * {@link io.billing.stripe.view.PaymentLink} names it, the key of its reconciliation record) beside the entry's
 * tenant and business key, in {@code journal_entry_payment}. So a payment's trace finds every posting of it (the
 * payment, its refunds, its disputes) whichever of its events posted each, in whatever order they came.
 *
 * <p>A table beside the journal rather than a column of it: journal rows are never changed, and the links of entries
 * posted before the table existed were added to it by its migration ({@code V51_9}).
 */
final class JournalPayments {

    /**
     * Plain SQL on the posting's connection, in its transaction: every event that reports a fact files it, so one
     * statement that does nothing when the fact is filed already, rather than a read first.
     */
    private static final String LINK_SQL = """
            INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING""";

    private JournalPayments() {
    }

    /**
     * Files the tenant's fact under its payment unless it is filed; a fact of no known payment stays unfiled. Written
     * with the unit of work's other batched rows at its commit: nothing in the transaction reads the link back.
     */
    static void link(EntityManager entityManager, String tenantId, String businessKey, String paymentKey) {
        if (paymentKey == null) {
            return;
        }
        DeferredWrites.of(entityManager).write(LINK_SQL, tenantId, businessKey, paymentKey);
    }
}
