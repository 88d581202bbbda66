package io.billing.ledger;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.billing.inbox.EventEnvelope;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.ledger.PaymentPostings.RecordedPayment;
import io.billing.outbox.Outbox;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.StripeEventJson;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The posting rules, one Stripe event at a time through the handler, in the event's transaction as the engine
 * runs it. On an in-memory H2 in PostgreSQL mode, so that the mutation run needs no database server; the
 * engine tests replay the same events on PostgreSQL.
 */
class PaymentPostingsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final String TENANT = "tenant_acme";
    private static final String OPENED = "acme/30_charge.dispute.created.json";
    private static final String CLOSED = "acme/33_charge.dispute.closed.json";

    private static TestDatabase database;
    private final List<RecordedPayment> recorded = new ArrayList<>();
    private final PaymentPostings postings = new PaymentPostings(List.of((context, payment) -> recorded.add(payment)));

    @BeforeAll
    static void open() {
        database = TestDatabase.h2();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void emptyLedger() throws Exception {
        database.emptyLedger();
    }

    private void handle(Fixture fixture) throws Exception {
        handle(fixture, TENANT);
    }

    private void handle(Fixture fixture, String tenant) throws Exception {
        EventEnvelope e = new EventEnvelopeParser().parse(fixture.body());
        InboxWorkItem event = new InboxWorkItem(e.eventId(), e.type(), e.apiVersion(), e.livemode(), e.account(),
                e.created(), e.objectType(), e.objectId(), e.customerId(), e.rawBody(), NOW, 1, 1, null, null);
        database.dataAccess().inTransaction(unit -> {
            postings.handle(new HandlingContext(event, StripeEventJson.parse(e.rawBody()), tenant,
                    unit.entityManager(), unit.connection(), NOW, new Outbox()));
            return null;
        });
    }

    private void handle(String fixture) throws Exception {
        handle(StripeFixtures.get(fixture));
    }

    /** Every line posted: business key, line number, account, debit, credit. */
    private static List<String> ledger() throws Exception {
        return database.rows("SELECT e.business_key, l.line_no, l.account, l.debit, l.credit FROM journal_entry e"
                + " JOIN journal_line l ON l.entry_id = e.entry_id ORDER BY e.business_key, l.line_no");
    }

    /** The fixture's invoice under another event id, with other amounts. */
    private static Fixture invoice(String fixture, String newEventId, Map<String, Long> amounts) {
        return StripeFixtures.get(fixture).withObjectChanged(newEventId, invoice -> amounts.forEach(invoice::addProperty));
    }

    /** A dispute as the fixture's closing event has it, changed: its status, amount and balance transactions. */
    private static Fixture dispute(String newEventId, String status, long amount, long[]... amountAndFee) {
        return StripeFixtures.get(CLOSED).withObjectChanged(newEventId, dispute -> {
            dispute.addProperty("status", status);
            dispute.addProperty("amount", amount);
            JsonObject withdrawal = dispute.getAsJsonArray("balance_transactions").get(0).getAsJsonObject();
            JsonArray transactions = new JsonArray();
            for (long[] transaction : amountAndFee) {
                JsonObject copy = withdrawal.deepCopy();
                copy.addProperty("amount", transaction[0]);
                copy.addProperty("fee", transaction[1]);
                copy.addProperty("net", transaction[0] - transaction[1]);
                transactions.add(copy);
            }
            dispute.add("balance_transactions", transactions);
        });
    }

    @Test
    void aPaymentInOneTenantsLedgerIsRefusedInAnothersWithNothingWritten() throws Exception {
        handle(StripeFixtures.get("acme/05_invoice.paid.subscription_create.json"));
        List<String> posted = ledger();
        CrossTenantPostingException refused = assertThrows(CrossTenantPostingException.class,
                () -> handle(StripeFixtures.get("acme/06_invoice.payment_succeeded.json"), "tenant_globex"));
        assertTrue(refused.getMessage().startsWith("invoice_issued:in_TEST1_SUB0001 is already in the ledger of "
                + TENANT + "; not posted for tenant_globex"), refused.getMessage());
        assertEquals(posted, ledger());
        assertEquals(1, recorded.size(), "recorded once, for its own tenant");
    }

    @Test
    void aDisputeTakesItsAmountAndTheWithdrawalsFeeOnceFromWhicheverEventComesFirst() throws Exception {
        handle(CLOSED);
        handle(OPENED);
        handle(CLOSED);
        assertEquals(List.of(
                "dispute_opened:du_TEST1_0001 | 1 | DISPUTES | 2900 | 0",
                "dispute_opened:du_TEST1_0001 | 2 | DISPUTE_FEES | 1500 | 0",
                "dispute_opened:du_TEST1_0001 | 3 | STRIPE_BALANCE | 0 | 4400"), ledger(), "a lost dispute needs nothing more");
        assertEquals(List.of("du_TEST1_0001 | " + StripeFixtures.get(CLOSED).eventId() + " | dispute du_TEST1_0001 opened"
                        + " | USD | " + TENANT),
                database.rows("SELECT object_id, source_event_id, description, currency, tenant_id"
                        + " FROM journal_entry"), "the entry names its object and the event that caused it");
        assertEquals(List.of(), recorded, "a dispute is no payment");
    }

    @Test
    void aDisputeWonGivesTheAmountBackButNotTheFee() throws Exception {
        // Won: Stripe reinstates the amount in a second balance transaction, with no fee of its own.
        handle(dispute("evt_won", "won", 2900, new long[] {-2900, 1500}, new long[] {2900, 0}));
        handle(dispute("evt_won_again", "won", 2900, new long[] {-2900, 1500}, new long[] {2900, 0}));
        assertEquals(List.of(
                "dispute_opened:du_TEST1_0001 | 1 | DISPUTES | 2900 | 0",
                "dispute_opened:du_TEST1_0001 | 2 | DISPUTE_FEES | 1500 | 0",
                "dispute_opened:du_TEST1_0001 | 3 | STRIPE_BALANCE | 0 | 4400",
                "dispute_won:du_TEST1_0001 | 1 | STRIPE_BALANCE | 2900 | 0",
                "dispute_won:du_TEST1_0001 | 2 | DISPUTES | 0 | 2900"), ledger());
    }

    static Stream<Arguments> withdrawals() {
        return Stream.of(
                arguments("no fee, no fee line", new long[][] {{-2900, 0}}, List.of(
                        "dispute_opened:du_TEST1_0001 | 1 | DISPUTES | 2900 | 0",
                        "dispute_opened:du_TEST1_0001 | 2 | STRIPE_BALANCE | 0 | 2900")),
                arguments("a fee of one cent", new long[][] {{-2900, 1}}, List.of(
                        "dispute_opened:du_TEST1_0001 | 1 | DISPUTES | 2900 | 0",
                        "dispute_opened:du_TEST1_0001 | 2 | DISPUTE_FEES | 1 | 0",
                        "dispute_opened:du_TEST1_0001 | 3 | STRIPE_BALANCE | 0 | 2901")),
                arguments("the fees of two withdrawals add up", new long[][] {{-2000, 1500}, {-900, 500}}, List.of(
                        "dispute_opened:du_TEST1_0001 | 1 | DISPUTES | 2900 | 0",
                        "dispute_opened:du_TEST1_0001 | 2 | DISPUTE_FEES | 2000 | 0",
                        "dispute_opened:du_TEST1_0001 | 3 | STRIPE_BALANCE | 0 | 4900")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withdrawals")
    void aDisputesFeeIsWhatItsWithdrawalsCost(String story, long[][] withdrawals, List<String> posted) throws Exception {
        handle(dispute("evt_withdrawn", "lost", 2900, withdrawals));
        assertEquals(posted, ledger());
    }

    @Test
    void aDisputeOfNothingPostsNothing() throws Exception {
        handle(dispute("evt_zero", "lost", 0));
        assertEquals(List.of(), ledger());
    }

    @Test
    void aDisputeOfOneCentPosts() throws Exception {
        handle(dispute("evt_one", "won", 1));
        assertEquals(List.of(
                "dispute_opened:du_TEST1_0001 | 1 | DISPUTES | 1 | 0",
                "dispute_opened:du_TEST1_0001 | 2 | STRIPE_BALANCE | 0 | 1",
                "dispute_won:du_TEST1_0001 | 1 | STRIPE_BALANCE | 1 | 0",
                "dispute_won:du_TEST1_0001 | 2 | DISPUTES | 0 | 1"), ledger());
    }

    @Test
    void anInvoiceIsIssuedAndPaidOnceWhicheverOfItsEventsReportIt() throws Exception {
        handle("acme/06_invoice.payment_succeeded.json");
        handle("acme/05_invoice.paid.subscription_create.json");
        handle("acme/06_invoice.payment_succeeded.json");
        assertEquals(List.of(
                "invoice_issued:in_TEST1_SUB0001 | 1 | RECEIVABLES | 2900 | 0",
                "invoice_issued:in_TEST1_SUB0001 | 2 | REVENUE | 0 | 2900",
                "invoice_paid:in_TEST1_SUB0001 | 1 | STRIPE_BALANCE | 2900 | 0",
                "invoice_paid:in_TEST1_SUB0001 | 2 | RECEIVABLES | 0 | 2900"), ledger());
        assertEquals(1, recorded.size(), "the payment is told once");
        RecordedPayment payment = recorded.get(0);
        assertEquals("invoice:in_TEST1_SUB0001", payment.reconciliationKey());
        assertEquals("in_TEST1_SUB0001", payment.externalPaymentId());
        assertEquals("ord_1001", payment.orderId(), "from the subscription the invoice belongs to");
        assertEquals("subscription_create", payment.billingReason());
        assertEquals(Money.ofStripe(2900, "usd"), payment.amount());
        assertEquals("in_TEST1_SUB0001", payment.object().id());
    }

    @Test
    void anOpenInvoiceIsIssuedAndNotYetSettled() throws Exception {
        handle("acme/21_invoice.finalized.json");
        assertEquals(List.of(
                "invoice_issued:in_TEST1_SUB0002 | 1 | RECEIVABLES | 2900 | 0",
                "invoice_issued:in_TEST1_SUB0002 | 2 | REVENUE | 0 | 2900"), ledger());
        assertEquals(List.of(), recorded);
    }

    @Test
    void anInvoiceOfNothingPostsNothing() throws Exception {
        // A trial's first invoice: paid, for nothing.
        handle(invoice("acme/05_invoice.paid.subscription_create.json", "evt_trial_invoice",
                Map.of("total", 0L, "amount_due", 0L, "amount_paid", 0L)));
        assertEquals(List.of(), ledger());
        assertEquals(List.of(), recorded, "no payment to report");
    }

    @Test
    void aVoidedInvoiceUndoesItsIssue() throws Exception {
        handle("acme/08_invoice.voided.json");
        assertEquals(List.of(
                "invoice_issued:in_TEST1_ONB0001 | 1 | RECEIVABLES | 25000 | 0",
                "invoice_issued:in_TEST1_ONB0001 | 2 | REVENUE | 0 | 25000",
                "invoice_voided:in_TEST1_ONB0001 | 1 | REVENUE | 25000 | 0",
                "invoice_voided:in_TEST1_ONB0001 | 2 | RECEIVABLES | 0 | 25000"), ledger());
    }

    @Test
    void anUncollectibleInvoiceWritesOffWhatRemains() throws Exception {
        handle(invoice("acme/32_invoice.marked_uncollectible.json", "evt_partly_paid",
                Map.of("amount_paid", 5000L, "amount_remaining", 15000L)));
        assertEquals(List.of(
                "invoice_issued:in_TEST1_ONB0002 | 1 | RECEIVABLES | 20000 | 0",
                "invoice_issued:in_TEST1_ONB0002 | 2 | REVENUE | 0 | 20000",
                "invoice_uncollectible:in_TEST1_ONB0002 | 1 | BAD_DEBT | 15000 | 0",
                "invoice_uncollectible:in_TEST1_ONB0002 | 2 | RECEIVABLES | 0 | 15000"), ledger());
    }

    @Test
    void aOneTimeOrderIsRevenueOnceWhicheverOfItsThreeEventsComesFirst() throws Exception {
        List<String> events = List.of("acme/09_charge.succeeded.json", "acme/10_payment_intent.succeeded.json",
                "acme/11_checkout.session.completed.payment.json");
        for (String first : events) {
            emptyLedger();
            recorded.clear();
            handle(first);
            for (String event : events) {
                handle(event);
            }
            assertEquals(List.of(
                    "payment:pi_TEST1_ORD1002 | 1 | STRIPE_BALANCE | 4900 | 0",
                    "payment:pi_TEST1_ORD1002 | 2 | REVENUE | 0 | 4900"), ledger(), first + " first");
            assertEquals(List.of("order ord_1002 paid"), database.rows("SELECT description FROM journal_entry"));
            assertEquals(1, recorded.size(), first + " first");
            RecordedPayment payment = recorded.get(0);
            assertEquals("payment:pi_TEST1_ORD1002", payment.reconciliationKey());
            assertEquals("pi_TEST1_ORD1002", payment.externalPaymentId());
            assertEquals("ord_1002", payment.orderId());
            assertNull(payment.billingReason());
            assertEquals(Money.ofStripe(4900, "usd"), payment.amount());
            assertEquals(StripeFixtures.get(first).dataObject().get("id").getAsString(), payment.object().id(),
                    "the object that reported it");
        }
    }

    @Test
    void aCheckoutSessionPaysOnlyWhenItIsAPaidOneTimeOrder() throws Exception {
        handle("acme/13_checkout.session.completed.payment_unpaid_async.json");
        handle("acme/07_checkout.session.completed.subscription.json");
        assertEquals(List.of(), ledger(), "unpaid yet, and a subscription's (paid through its invoice)");
        handle("acme/16_checkout.session.async_payment_succeeded.json");
        assertEquals(List.of(
                "payment:pi_TEST1_ORD1003 | 1 | STRIPE_BALANCE | 9800 | 0",
                "payment:pi_TEST1_ORD1003 | 2 | REVENUE | 0 | 9800"), ledger());
    }

    @Test
    void aPaymentWithoutAnOrderIdBelongsToAnInvoice() throws Exception {
        handle(StripeFixtures.get("acme/09_charge.succeeded.json").withObjectChanged("evt_subscription_charge",
                charge -> charge.add("metadata", new JsonObject())));
        assertEquals(List.of(), ledger());
    }

    @Test
    void aRefundPostsWhenItHasSucceeded() throws Exception {
        Fixture created = StripeFixtures.get("acme/18_refund.created.json");
        handle(created.withObjectChanged("evt_refund_pending", refund -> refund.addProperty("status", "pending")));
        assertEquals(List.of(), ledger());
        handle(created);
        handle(created);
        assertEquals(List.of(
                "refund:re_TEST1_0001 | 1 | REFUNDS | 1500 | 0",
                "refund:re_TEST1_0001 | 2 | STRIPE_BALANCE | 0 | 1500"), ledger());
    }

    @Test
    void eachFactIsFiledUnderThePaymentItBelongsToWhicheverEventPostedIt() throws Exception {
        database.execute("DELETE FROM journal_entry_payment");
        handle("acme/11_checkout.session.completed.payment.json");
        handle("acme/09_charge.succeeded.json");
        handle("acme/18_refund.created.json");
        handle(OPENED);
        handle("acme/08_invoice.voided.json");
        assertEquals(List.of(
                "dispute_opened:du_TEST1_0001 | payment:pi_TEST1_SUB0001",
                "invoice_issued:in_TEST1_ONB0001 | invoice:in_TEST1_ONB0001",
                "invoice_voided:in_TEST1_ONB0001 | invoice:in_TEST1_ONB0001",
                "payment:pi_TEST1_ORD1002 | payment:pi_TEST1_ORD1002",
                "refund:re_TEST1_0001 | payment:pi_TEST1_ORD1002"), database.rows("SELECT business_key, payment_key"
                + " FROM journal_entry_payment WHERE tenant_id = '" + TENANT + "' ORDER BY business_key"),
                "the session posted the order's payment; the refund and the dispute name only their payment");

        // A fact posted before it could be filed is filed by the next event that reports it.
        database.execute("DELETE FROM journal_entry_payment WHERE business_key = 'refund:re_TEST1_0001'");
        handle("acme/18_refund.created.json");
        assertEquals(List.of("payment:pi_TEST1_ORD1002"), database.rows("SELECT payment_key FROM journal_entry_payment"
                + " WHERE business_key = 'refund:re_TEST1_0001'"));
        // A session that also created an invoice pays its payment intent: the fact is that payment's.
        handle(StripeFixtures.get("acme/11_checkout.session.completed.payment.json").withObjectChanged("evt_invoiced",
                session -> {
                    session.addProperty("id", "cs_invoiced");
                    session.addProperty("payment_intent", "pi_invoiced");
                    session.addProperty("invoice", "in_invoiced");
                }));
        assertEquals(List.of("payment:pi_invoiced"), database.rows("SELECT payment_key FROM journal_entry_payment"
                + " WHERE business_key = 'payment:pi_invoiced'"));
    }

    @Test
    void aOneTimeOrdersEntryKeepsItsOrderId() {
        assertEquals("order ord_1002 paid", PaymentPostings.orderPaid("ord_1002"));
        assertEquals("ord_1002", PaymentPostings.orderIn(PaymentPostings.orderPaid("ord_1002")));
        assertNull(PaymentPostings.orderIn("invoice in_TEST1_SUB0001 paid"));
        assertNull(PaymentPostings.orderIn("order ord_1002 refunded"));
        assertNull(PaymentPostings.orderIn(null));
    }

    @Test
    void theHandlerTakesEveryEventItHasARuleFor() {
        assertEquals(19, postings.eventTypes().size());
        assertTrue(postings.eventTypes().containsAll(List.of("invoice.paid", "invoice.marked_uncollectible",
                "checkout.session.async_payment_succeeded", "refund.updated", "charge.dispute.funds_reinstated")));
    }
}
