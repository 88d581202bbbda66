package io.billing.processing;

import io.billing.testsupport.Deliveries;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import io.billing.trace.PaymentTrace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A payment's trace shows every posting of the payment (its payment, its refund, its dispute) from any of its Stripe
 * ids, whichever of its events posted each: a one-time order is posted by whichever of its charge, payment intent and
 * Checkout Session comes first, and its refund and dispute by their own events, which name none of the others. The
 * acme story and the events around it, delivered in order, with each of the order's three events first, reversed and
 * shuffled with duplicates.
 */
class PaymentPostingsTraceTest {

    private static final String SESSION = "cs_test_a1ACMEpay10023vDLkBcCn5iNoxNbaYsu8iE5ADzEXjYGjeX4yRui";
    private static final List<String> ORDER = List.of("payment:pi_TEST1_ORD1002", "refund:re_TEST1_0001");
    private static final List<String> DISPUTE = List.of("dispute_opened:du_TEST1_0001");
    private static final List<String> ACH = List.of("payment:pi_TEST1_ORD1003");
    private static final List<String> INVOICE = List.of("invoice_issued:in_TEST1_SUB0001",
            "invoice_paid:in_TEST1_SUB0001");

    private static EngineHarness harness;
    private static ProcessingEngine engine;

    @BeforeAll
    static void start() {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine("node-a");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void everyStripeIdOfAPaymentShowsAllItsPostingsWhateverEventPostedThem() throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (String id : List.of("ch_TEST1_ORD1002", "pi_TEST1_ORD1002", SESSION, "re_TEST1_0001", "ord_1002")) {
            expected.put(id, ORDER);
        }
        for (String id : List.of("du_TEST1_0001", PaymentStories.DISPUTED_CHARGE, "pi_TEST1_SUB0001")) {
            expected.put(id, DISPUTE);
        }
        for (String id : List.of(PaymentStories.ACH_CHARGE, "pi_TEST1_ORD1003", "ord_1003")) {
            expected.put(id, ACH);
        }
        expected.put("in_TEST1_SUB0001", INVOICE);

        List<Fixture> story = PaymentStories.all();
        List<List<Fixture>> orders = new ArrayList<>();
        orders.add(story);
        for (String first : List.of("acme/11_checkout.session.completed.payment.json",
                "acme/10_payment_intent.succeeded.json")) {
            List<Fixture> firstOfAll = new ArrayList<>(story);
            Fixture moved = StripeFixtures.get(first);
            firstOfAll.removeIf(f -> f.eventId().equals(moved.eventId()));
            firstOfAll.add(0, moved);
            orders.add(firstOfAll);
        }
        List<Fixture> reversed = new ArrayList<>(story);
        Collections.reverse(reversed);
        orders.add(reversed);
        Random random = new Random(42);
        for (int run = 0; run < 6; run++) {
            orders.add(Deliveries.shuffledWithDuplicates(story, random, 0.3));
        }

        Set<String> orderPostedBy = new TreeSet<>();
        List<String> links = null;
        for (int run = 0; run < orders.size(); run++) {
            harness.replay(engine, orders.get(run), random);
            PaymentTrace traces = new PaymentTrace(harness.database.dataAccess());
            for (Map.Entry<String, List<String>> id : expected.entrySet()) {
                assertEquals(id.getValue(), traces.trace(id.getKey()).postings().stream()
                        .map(PaymentTrace.Posting::businessKey).sorted().toList(), id.getKey() + ", run " + run);
            }
            assertEquals(List.of(), harness.rows("SELECT e.business_key FROM journal_entry e WHERE NOT EXISTS (SELECT 1"
                    + " FROM journal_entry_payment p WHERE p.tenant_id = e.tenant_id"
                    + " AND p.business_key = e.business_key)"), "every posting is filed under its payment, run " + run);
            List<String> linked = harness.rows("SELECT tenant_id, business_key, payment_key FROM journal_entry_payment"
                    + " ORDER BY tenant_id, business_key");
            if (links == null) {
                links = linked;
            }
            assertEquals(links, linked, "the same payments whatever the order, run " + run);
            orderPostedBy.addAll(harness.rows("SELECT i.event_type FROM journal_entry e JOIN inbox_event i"
                    + " ON i.event_id = e.source_event_id WHERE e.business_key = 'payment:pi_TEST1_ORD1002'"));
        }
        assertEquals(Set.of("charge.succeeded", "checkout.session.completed", "payment_intent.succeeded"),
                orderPostedBy, "each of the order's three events posted its payment in one of the runs");
    }

    @Test
    void anInvoiceThatNamesItsPaymentIntentLeadsToTheDisputeOfItsCharge() throws Exception {
        // Before 2025-03-31.basil an invoice named its payment intent and charge; the dispute names only those.
        List<Fixture> story = new ArrayList<>(PaymentStories.all());
        story.add(StripeFixtures.get("legacy/invoice.payment_succeeded.2020-08-27.json"));
        harness.replay(engine, story, new Random(7));
        PaymentTrace.Trace trace = new PaymentTrace(harness.database.dataAccess()).trace("in_TEST1_SUB0001");
        assertEquals(List.of("invoice:in_TEST1_SUB0001", "payment:pi_TEST1_SUB0001"),
                trace.payments().stream().map(PaymentTrace.Payment::paymentKey).sorted().toList());
        assertEquals(List.of("dispute_opened:du_TEST1_0001", "invoice_issued:in_TEST1_SUB0001",
                "invoice_paid:in_TEST1_SUB0001"), trace.postings().stream().map(PaymentTrace.Posting::businessKey)
                .sorted().toList());
    }
}
