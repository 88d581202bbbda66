package io.billing.processing;

import io.billing.inbox.InboxStatus;
import io.billing.ledger.JournalEntry;
import io.billing.ledger.JpaLedger;
import io.billing.ledger.LedgerAccount;
import io.billing.ledger.Money;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.trace.PaymentTrace;
import io.billing.trace.PaymentTrace.Line;
import io.billing.trace.PaymentTrace.Payment;
import io.billing.trace.PaymentTrace.Posting;
import io.billing.trace.PaymentTrace.Totals;
import io.billing.trace.PaymentTrace.Trace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The money of the acme story (and the events around it) as support sees it on PostgreSQL: each payment's amount and
 * what its postings add up to, each posting's amount and lines, and each event's line in the trace, the events list
 * and an event's page. The amounts each payment keeps are the same in whatever order its events come, on H2 too.
 */
class PaymentTraceMoneyTest {

    private static final String REFUND_EVENT = StripeFixtures.get("acme/18_refund.created.json").eventId();

    private static EngineHarness harness;
    private static PaymentTrace traces;

    @BeforeAll
    static void playTheStories() throws Exception {
        harness = new EngineHarness(TestDatabase.postgres());
        for (StripeFixtures.Fixture event : PaymentStories.all()) {
            harness.deliver(event);
        }
        harness.engine("node-a").drain();
        traces = new PaymentTrace(harness.database.dataAccess());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aPaidInvoiceShowsItsAmountAndThePostingsOfItsIssueAndPayment() throws Exception {
        Trace trace = traces.trace("in_TEST1_SUB0001");
        Payment invoice = payment(trace, "invoice:in_TEST1_SUB0001");
        assertEquals(2900L, invoice.amount());
        assertEquals("usd", invoice.currency());
        assertEquals(new Totals("usd", 2900, 0, 0, 0, 0, 2900), invoice.totals());
        Posting paid = posting(trace, "invoice_paid:in_TEST1_SUB0001");
        assertEquals(2900, paid.amount());
        assertEquals("usd", paid.currency());
        assertEquals(List.of(new Line("STRIPE_BALANCE", 2900, 0), new Line("RECEIVABLES", 0, 2900)), paid.lines());
        assertEquals(List.of("Invoice ACMETEST-0001 for $29.00 paid by Acme Corp",
                "Invoice ACMETEST-0001 for $29.00 paid by Acme Corp"), trace.events().stream()
                .filter(e -> e.type().startsWith("invoice.")).map(PaymentTrace.Event::summary).toList());
    }

    @Test
    void aRefundedOrderSumsItsPaymentAndRefundAndARefundReversedCountsNoMore() throws Exception {
        Trace trace = traces.trace("ord_1002");
        Payment order = payment(trace, "payment:pi_TEST1_ORD1002");
        assertEquals(4900L, order.amount());
        assertEquals(new Totals("usd", 4900, 1500, 0, 0, 0, 3400), order.totals());
        assertEquals(List.of(new Line("REFUNDS", 1500, 0), new Line("STRIPE_BALANCE", 0, 1500)),
                posting(trace, "refund:re_TEST1_0001").lines());
        assertEquals("Refund of $15.00 on order ord_1002", trace.events().stream()
                .filter(e -> e.eventId().equals(REFUND_EVENT)).findFirst().orElseThrow().summary(),
                "the refund's payment named by its record");
        assertEquals(order, traces.payment("payment:pi_TEST1_ORD1002").orElseThrow(), "the same record by its key");

        // An operator's correction of the refund: a reversing entry, filed under the refund's payment.
        harness.database.dataAccess().inTransaction(unit -> new JpaLedger(unit.entityManager()).post(
                JournalEntry.transfer("tenant_acme", "refund:re_TEST1_0001", null, "refund re_TEST1_0001",
                        LedgerAccount.REFUNDS, LedgerAccount.STRIPE_BALANCE, Money.ofStripe(1500, "usd"))
                        .reversal(null, "refund booked twice by the bank"), harness.clock.instant()));
        harness.database.execute("INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)"
                + " VALUES ('tenant_acme', 'reversal:refund:re_TEST1_0001', 'payment:pi_TEST1_ORD1002')");
        assertEquals(new Totals("usd", 4900, 0, 0, 0, 0, 4900),
                traces.payment("payment:pi_TEST1_ORD1002").orElseThrow().totals());
        harness.database.execute("DELETE FROM journal_entry_payment WHERE business_key = 'reversal:refund:re_TEST1_0001'");
    }

    @Test
    void aDisputeShowsWhatItTookAndStripesFee() throws Exception {
        Trace trace = traces.trace("du_TEST1_0001");
        Payment disputed = payment(trace, "payment:pi_TEST1_SUB0001");
        assertEquals(2900L, disputed.amount(), "the charge's amount");
        assertEquals(new Totals("usd", 0, 0, 2900, 0, 1500, -4400), disputed.totals(),
                "the dispute's amount and fee left Stripe's balance");
        assertEquals(List.of(new Line("DISPUTES", 2900, 0), new Line("DISPUTE_FEES", 1500, 0),
                new Line("STRIPE_BALANCE", 0, 4400)), posting(trace, "dispute_opened:du_TEST1_0001").lines());
        assertEquals(4400, posting(trace, "dispute_opened:du_TEST1_0001").amount());
    }

    @Test
    void aPaymentNothingPostedShowsItsAmountWithoutTotals() throws Exception {
        Payment failed = payment(traces.trace("ord_1004"), "payment:pi_TEST1_ORD1004");
        assertEquals(14700L, failed.amount(), "what its session asked");
        assertNull(failed.totals());
        Payment expired = traces.payment("session:cs_test_a1ACMEexp1005TzbT7rh5rAersQqesRdOsW0xL68D29eblE7n2EUM")
                .orElseThrow();
        assertEquals(4900L, expired.amount());
    }

    @Test
    void aRecordKeptFromBeforeAmountsShowsWhatItsIssuePosted() throws Exception {
        harness.database.execute("UPDATE reconciliation_record SET amount = NULL, currency = NULL"
                + " WHERE payment_key = 'invoice:in_TEST1_ONB0002'");
        Payment written = traces.payment("invoice:in_TEST1_ONB0002").orElseThrow();
        assertEquals(20000L, written.amount(), "the uncollectible invoice's issue");
        assertEquals("usd", written.currency());
        assertEquals(new Totals("usd", 0, 0, 0, 0, 0, 0), written.totals(), "invoiced and written off: no money moved");
    }

    @Test
    void theEventsListAndAnEventsPageShowEachEventsLine() throws Exception {
        EventQueries queries = new EventQueries(harness.database.dataSource());
        EventViews.Slice refunds = queries.slice(new EventFilter(InboxStatus.PROCESSED, "refund.created", null, null,
                null, null, 0, 1), null, null, true, 50);
        assertEquals(List.of("Refund of $15.00 on order ord_1002"),
                refunds.events().stream().map(EventViews.Summary::summary).toList());
        assertEquals("Invoice ACMETEST-0001 for $29.00 paid by Acme Corp", queries.detail(
                StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").eventId()).orElseThrow()
                .summary().summary());
        EventViews.Page page = queries.list(new EventFilter(null, "customer.created", "tenant_acme", null, null, null, 0,
                50));
        assertEquals(List.of("Customer Acme Corp created"), page.events().stream().map(EventViews.Summary::summary)
                .toList());
    }

    @Test
    void eachPaymentKeepsItsAmountInEveryDeliveryOrderOnH2Too() throws Exception {
        Map<String, String> inOrder = amounts(harness);
        try (EngineHarness reversed = new EngineHarness(TestDatabase.h2())) {
            List<StripeFixtures.Fixture> events = new ArrayList<>(PaymentStories.all());
            Collections.reverse(events);
            for (StripeFixtures.Fixture event : events) {
                reversed.deliver(event);
            }
            reversed.engine("node-a").drain();
            assertEquals(inOrder, amounts(reversed));
        }
        assertEquals("14700 usd", inOrder.get("payment:pi_TEST1_ORD1004"));
        assertEquals("2900 usd", inOrder.get("invoice:in_TEST1_SUB0002"));
    }

    private static Map<String, String> amounts(EngineHarness on) throws Exception {
        Map<String, String> amounts = new TreeMap<>();
        for (String row : on.rows("SELECT payment_key, amount, currency FROM reconciliation_record"
                + " WHERE payment_key <> 'invoice:in_TEST1_ONB0002'")) {
            String[] columns = row.split(" \\| ", 2);
            amounts.put(columns[0], columns[1].replace(" | ", " "));
        }
        return amounts;
    }

    private static Payment payment(Trace trace, String key) {
        return trace.payments().stream().filter(p -> p.paymentKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no payment " + key + " in " + trace.payments()));
    }

    private static Posting posting(Trace trace, String key) {
        return trace.postings().stream().filter(p -> p.businessKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no posting " + key + " in " + trace.postings()));
    }
}
