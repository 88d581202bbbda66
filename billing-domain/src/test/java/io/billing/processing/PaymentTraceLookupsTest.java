package io.billing.processing;

import io.billing.checkout.CheckoutAttempt;
import io.billing.checkout.CheckoutAttempts;
import io.billing.checkout.CheckoutSessions;
import io.billing.composition.EventHandlers;
import io.billing.connector.CommerceApi;
import io.billing.connector.StoreOrderChecks;
import io.billing.ledger.JournalEntry;
import io.billing.ledger.JpaLedger;
import io.billing.ledger.LedgerAccount;
import io.billing.ledger.Money;
import io.billing.outbox.OutboxDispatcher;
import io.billing.platform.queue.RetryPolicy;
import io.billing.tenant.TenantId;
import io.billing.testsupport.StatusResponse;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.testsupport.TestSecrets;
import io.billing.trace.PaymentTrace;
import io.billing.trace.PaymentTrace.Payment;
import io.billing.trace.PaymentTrace.Trace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payment trace from each kind of id support is told, on PostgreSQL and on the embedded H2: every Stripe id of a
 * payment, the invoice number, the customer's e-mail address, an order id of any format, the checkout attempt and
 * the external store order; each answer with the payment's record (mode, account, store, history) and every posting
 * of the payment.
 */
class PaymentTraceLookupsTest {

    private static final String ORDER_SESSION = "cs_test_a1ACMEpay10023vDLkBcCn5iNoxNbaYsu8iE5ADzEXjYGjeX4yRui";
    private static final String EXPIRED_SESSION = "cs_test_a1ACMEexp1005TzbT7rh5rAersQqesRdOsW0xL68D29eblE7n2EUM";
    private static final String STORE_ORDER = "EU-100042";
    private static final String STORE = "store_eu_berlin";
    private static final List<String> ORDER_POSTINGS = List.of("payment:pi_TEST1_ORD1002", "refund:re_TEST1_0001",
            "reversal:refund:re_TEST1_0001");

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgreSQL extends Lookups {
        OnPostgreSQL() {
            super(true);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnH2 extends Lookups {
        OnH2() {
            super(false);
        }
    }

    abstract static class Lookups {

        private final boolean postgres;
        private EngineHarness harness;
        private PaymentTrace traces;
        private String attemptId;

        Lookups(boolean postgres) {
            this.postgres = postgres;
        }

        @BeforeAll
        void playTheStories() throws Exception {
            harness = new EngineHarness(postgres ? TestDatabase.postgres() : TestDatabase.h2());
            ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 1, RetryPolicy.DEFAULT),
                    EventHandlers.all(EventHandlers.Switches.none().withEveryConnector(TestSecrets.licenceKeys())));
            for (StripeFixtures.Fixture event : PaymentStories.all()) {
                harness.deliver(event);
            }
            for (StripeFixtures.Fixture event : StripeFixtures.all()) {
                if (event.name().startsWith("globex/")) {
                    harness.deliver(event);
                }
            }
            engine.drain();
            // The commerce API knows the shop's order under its own id, in one of the shop's stores.
            CommerceApi commerce = orderId -> PaymentStories.SHOP_ORDER.equals(orderId)
                    ? new StatusResponse(200, "{\"order_id\":\"" + STORE_ORDER + "\",\"store_id\":\"" + STORE
                    + "\",\"status\":\"paid\",\"currency\":\"usd\",\"total\":\"49.00\",\"lines\":[]}")
                    : new StatusResponse(404, null);
            try (OutboxDispatcher dispatcher = new OutboxDispatcher(harness.database.dataSource(), harness.clock,
                    harness.databaseClock, "node-a", Map.of(StoreOrderChecks.DESTINATION,
                    StoreOrderChecks.transport(harness.database.dataAccess(), harness.clock, commerce)),
                    RetryPolicy.DEFAULT, OutboxDispatcher.Settings.DEFAULT, Thread::new)) {
                dispatcher.drain();
            }
            // An operator's correction of the refund: a reversing entry, posted by no event.
            harness.database.dataAccess().inTransaction(unit -> new JpaLedger(unit.entityManager()).post(
                    JournalEntry.transfer("tenant_acme", "refund:re_TEST1_0001", null, "refund re_TEST1_0001",
                            LedgerAccount.REFUNDS, LedgerAccount.STRIPE_BALANCE, Money.ofStripe(1500, "usd"))
                            .reversal(null, "refund booked twice by the bank"), harness.clock.instant()));
            // A checkout attempt whose session's events do not name it (started before attempts were recorded).
            attemptId = harness.database.dataAccess().inTransaction(unit -> {
                CheckoutAttempts attempts = CheckoutAttempts.of(unit.entityManager());
                CheckoutAttempt attempt = attempts.addOrFindForOrder(CheckoutAttempt.start(TenantId.of("tenant_acme"),
                        "ord_1005", "price_PRO_MONTHLY", 1, CheckoutSessions.Mode.PAYMENT, harness.clock.instant()));
                attempt.opened(EXPIRED_SESSION, "https://checkout.stripe.com/c/pay/" + EXPIRED_SESSION, null,
                        "cus_TEST1", harness.clock.instant());
                return attempt.attemptId();
            });
            traces = new PaymentTrace(harness.database.dataAccess());
        }

        @AfterAll
        void stop() {
            harness.close();
        }

        private static List<String> keys(Trace trace) {
            return trace.payments().stream().map(Payment::paymentKey).sorted().toList();
        }

        private static List<String> postings(Trace trace) {
            return trace.postings().stream().map(PaymentTrace.Posting::businessKey).sorted().toList();
        }

        private Trace trace(String id, String resolvedAs) throws Exception {
            Trace trace = traces.trace(id);
            assertEquals(resolvedAs, trace.resolvedAs(), id);
            assertTrue(trace.found(), id);
            return trace;
        }

        @Test
        void anInvoiceIdAndItsNumberFindTheInvoicesPayment() throws Exception {
            for (Trace trace : List.of(trace("in_TEST1_SUB0001", "object"), trace("ACMETEST-0001", "invoice_number"))) {
                assertEquals(List.of("invoice:in_TEST1_SUB0001"), keys(trace));
                assertEquals(List.of("invoice_issued:in_TEST1_SUB0001", "invoice_paid:in_TEST1_SUB0001"),
                        postings(trace));
                Payment payment = trace.payments().get(0);
                assertEquals("ACMETEST-0001", payment.invoiceNumber());
                assertEquals(List.of("CREATED", "PAID", "STORE_CHECK_FAILED"), payment.history().stream()
                        .map(PaymentTrace.State::state).toList(), "the commerce API knows no order ord_1001");
            }
            assertEquals(List.of("invoice_issued:in_TEST1_SUB0002", "invoice_paid:in_TEST1_SUB0002"),
                    postings(trace("ACMETEST-0005", "invoice_number")), "the renewal's number");
        }

        @Test
        void everyStripeIdOfAOneTimeOrderShowsEveryPostingOfItsPayment() throws Exception {
            for (String id : List.of("ch_TEST1_ORD1002", "pi_TEST1_ORD1002", ORDER_SESSION, "re_TEST1_0001")) {
                Trace trace = trace(id, "object");
                assertEquals(List.of("payment:pi_TEST1_ORD1002"), keys(trace), id);
                assertEquals(ORDER_POSTINGS, postings(trace), id + ": the payment, its refund and the refund's reversal");
                assertTrue(trace.postings().stream().allMatch(p -> "payment:pi_TEST1_ORD1002".equals(p.paymentKey())),
                        id + ": each posting says which payment it belongs to");
            }
        }

        @Test
        void anAchChargeFindsItsPayment() throws Exception {
            Trace trace = trace(PaymentStories.ACH_CHARGE, "object");
            assertEquals(List.of("payment:pi_TEST1_ORD1003"), keys(trace));
            assertEquals(List.of("payment:pi_TEST1_ORD1003"), postings(trace));
        }

        @Test
        void aDisputeAndItsChargeShowTheDisputesPostings() throws Exception {
            for (String id : List.of("du_TEST1_0001", PaymentStories.DISPUTED_CHARGE)) {
                Trace trace = trace(id, "object");
                assertEquals(List.of("payment:pi_TEST1_SUB0001"), keys(trace), id);
                assertEquals(List.of("dispute_opened:du_TEST1_0001"), postings(trace), id);
                assertEquals("DISPUTE_LOST", trace.payments().get(0).status());
            }
        }

        @Test
        void aSubscriptionAndACreditNoteFindTheirInvoicesPayments() throws Exception {
            assertEquals(List.of("invoice:in_TEST1_SUB0001", "invoice:in_TEST1_SUB0002"),
                    keys(trace("sub_TEST1", "object")));
            Trace note = trace(PaymentStories.CREDIT_NOTE, "object");
            assertEquals(List.of("invoice:in_TEST1_SUB0002"), keys(note));
            assertEquals(List.of("credit_note.created"), note.events().stream().map(PaymentTrace.Event::type).toList());
        }

        @Test
        void aCustomerAndItsEmailAddressesListItsPayments() throws Exception {
            List<String> ofCustomer = keys(trace("cus_TEST1", "customer"));
            assertTrue(ofCustomer.containsAll(List.of("invoice:in_TEST1_SUB0001", "invoice:in_TEST1_SUB0002",
                    "payment:pi_TEST1_ORD1002", "payment:pi_TEST1_ORD1003", PaymentStories.SHOP_KEY)), ofCustomer.toString());
            // The customer's address now, an earlier one its first invoices still carry, as support may type them.
            for (String email : List.of("finance@acme.example", "  Billing@ACME.example ")) {
                Trace trace = trace(email, "email");
                assertEquals(ofCustomer, keys(trace), email);
                assertTrue(postings(trace).containsAll(ORDER_POSTINGS), email);
                assertTrue(trace.events().stream().anyMatch(e -> e.type().equals("customer.updated")), email);
            }
            assertFalse(traces.trace("nobody@acme.example").found());
            assertEquals(List.of("invoice:in_TEST2_SUB0001", "invoice:in_TEST2_SUB0002"),
                    keys(trace("ap@globex.example", "email")), "another tenant's customer: its trial and its first payment");
        }

        @Test
        void anOrderIdOfAnyFormatFindsItsPayments() throws Exception {
            Trace order = trace("ord_1002", "order");
            assertEquals(List.of("payment:pi_TEST1_ORD1002"), keys(order));
            assertEquals(ORDER_POSTINGS, postings(order));
            assertEquals(List.of("charge.succeeded", "payment_intent.succeeded", "checkout.session.completed",
                    "refund.created", "charge.refunded"), order.events().stream().map(PaymentTrace.Event::type).toList());

            Trace subscription = trace("ord_1001", "order");
            assertEquals(List.of("invoice:in_TEST1_SUB0001", "invoice:in_TEST1_SUB0002"), keys(subscription),
                    "the subscription's invoices carry its order id");
            assertTrue(subscription.events().stream().anyMatch(e -> e.type().equals("customer.subscription.deleted")));

            Trace shop = trace(PaymentStories.SHOP_ORDER, "order");
            assertEquals(List.of(PaymentStories.SHOP_KEY), keys(shop));
            assertEquals(List.of(PaymentStories.SHOP_KEY), postings(shop));
        }

        @Test
        void theCheckoutAttemptAndTheStoreOrderFindTheShopsPaymentWithItsOrigin() throws Exception {
            for (Trace trace : List.of(trace(PaymentStories.SHOP_ATTEMPT, "checkout_attempt"),
                    trace(STORE_ORDER, "store_order"))) {
                assertEquals(List.of(PaymentStories.SHOP_KEY), keys(trace));
                Payment payment = trace.payments().get(0);
                assertEquals("live", payment.mode());
                assertEquals(PaymentStories.SHOP_ACCOUNT, payment.accountId());
                assertEquals(STORE, payment.storeId(), "the commerce API's store, over the metadata's");
                assertEquals(STORE_ORDER, payment.storeOrderId());
                assertEquals("MATCHED", payment.storeCheck());
                assertEquals(List.of("CREATED", "PAID", "STORE_CHECK_MATCHED"),
                        payment.history().stream().map(PaymentTrace.State::state).toList());
                assertEquals(harness.clock.instant(), payment.history().get(2).reachedAt(), "when it was checked");
            }
        }

        @Test
        void anAttemptNoEventNamedLeadsToItsSession() throws Exception {
            Trace trace = trace(attemptId, "checkout_attempt");
            assertEquals(List.of("session:" + EXPIRED_SESSION), keys(trace));
            assertEquals("EXPIRED", trace.payments().get(0).status());
            PaymentTrace.Attempt attempt = trace.payments().get(0).checkoutAttempt();
            assertEquals(attemptId, attempt.attemptId(), "the payment shows the attempt of its order");
            assertEquals("ord_1005", attempt.orderId());
            assertEquals(EXPIRED_SESSION, attempt.sessionId());
            assertEquals(attempt, traces.attempt(attemptId).orElseThrow(), "and the attempt is found by its id");
            assertTrue(traces.attempt("chk_nothing").isEmpty());
        }

        @Test
        void eventsTenantsAndNothing() throws Exception {
            Trace event = trace(StripeFixtures.get("acme/06_invoice.payment_succeeded.json").eventId(), "event");
            assertEquals(List.of("invoice:in_TEST1_SUB0001"), keys(event));
            assertEquals(Set.of("invoice_issued:in_TEST1_SUB0001", "invoice_paid:in_TEST1_SUB0001"),
                    Set.copyOf(postings(event)));
            assertEquals("tenant", trace("tenant_globex", "tenant").resolvedAs());
            for (String nothing : List.of("in_nothing", "ord_nothing", "ACMETEST-9999", "chk_nothing", "evt_nothing")) {
                assertFalse(traces.trace(nothing).found(), nothing);
            }
        }
    }

}
