package io.billing.processing;

import io.billing.processing.operator.EventOperations;
import io.billing.testsupport.Deliveries;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import io.billing.trace.PaymentTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A payment's history (each state once, at the earliest Stripe time an event reported it) and its mode, Connect
 * account and store end the same however the payment's events arrive: in order, reversed, shuffled with duplicates,
 * the engine draining at random points between deliveries, and with events run again by an operator. On PostgreSQL
 * and on the embedded H2, whose statements differ.
 */
class ReconciliationHistoryTest {

    private EngineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void theHistoryIsTheSameWhateverTheOrderAndHowOftenEventsArrive(String kind) throws Exception {
        harness = new EngineHarness(kind.equals("postgres") ? TestDatabase.postgres() : TestDatabase.h2());
        ProcessingEngine engine = harness.engine("node-a");
        List<Fixture> story = PaymentStories.all();
        Random random = new Random(20261122);

        harness.replay(engine, story, random);
        List<String> inOrder = state();
        assertExpectedHistories();

        // An operator runs processed events again (a handler fixed, say): nothing of the history changes.
        EventOperations operations = new EventOperations(harness.database.dataSource(), harness.clock);
        for (String type : List.of("invoice.paid", "charge.succeeded", "charge.dispute.closed", "refund.created")) {
            operations.rerunProcessed(type, null, "ops", "handler fixed");
        }
        engine.drain();
        assertEquals(inOrder, state(), "events run again");

        List<Fixture> reversed = new ArrayList<>(story);
        Collections.reverse(reversed);
        harness.replay(engine, reversed, random);
        assertEquals(inOrder, state(), "reverse order");
        for (int run = 0; run < 6; run++) {
            harness.replay(engine, Deliveries.shuffledWithDuplicates(story, random, 0.3), random);
            assertEquals(inOrder, state(), "random order " + run + " with duplicates");
        }
        assertExpectedHistories();
    }

    /** The histories, from the fixtures' times: what Stripe says happened when, whatever the delivery order. */
    private void assertExpectedHistories() throws Exception {
        PaymentTrace traces = new PaymentTrace(harness.database.dataAccess());
        String charge = StripeFixtures.get("acme/09_charge.succeeded.json").eventId();
        String refund = StripeFixtures.get("acme/18_refund.created.json").eventId();
        assertEquals(List.of(state("CREATED", 1786378800L, charge), state("PAID", 1786378800L, charge),
                        state("PARTIALLY_REFUNDED", 1787324401L, refund)),
                history(traces, "payment:pi_TEST1_ORD1002"), "a one-time order, partly refunded");

        String finalized = StripeFixtures.get("acme/21_invoice.finalized.json").eventId();
        assertEquals(List.of(state("CREATED", 1788447766L, finalized), state("PAYMENT_PENDING", 1788447766L, finalized),
                        state("PAYMENT_FAILED", 1788447770L, StripeFixtures.get("acme/23_invoice.payment_failed.json")
                                .eventId()),
                        state("PAID", 1788720311L, StripeFixtures.get("acme/27_invoice.paid.subscription_cycle.json")
                                .eventId())),
                history(traces, "invoice:in_TEST1_SUB0002"),
                "a renewal that failed, needed 3D Secure (pending again, later: not a new state) and was paid");

        String paid = PaymentStories.disputedCharge().eventId();
        assertEquals(List.of(state("CREATED", 1785765755L, paid), state("PAID", 1785765755L, paid),
                        state("DISPUTED", 1791187203L, StripeFixtures.get("acme/30_charge.dispute.created.json")
                                .eventId()),
                        state("DISPUTE_LOST", 1793644200L, StripeFixtures.get("acme/33_charge.dispute.closed.json")
                                .eventId())),
                history(traces, "payment:pi_TEST1_SUB0001"), "a payment disputed and lost");

        // invoice.paid and invoice.payment_succeeded a second apart, and the session a second later: the earliest.
        String invoicePaid = StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").eventId();
        assertEquals(List.of(state("CREATED", 1785765755L, invoicePaid), state("PAID", 1785765755L, invoicePaid)),
                history(traces, "invoice:in_TEST1_SUB0001"));

        PaymentTrace.Payment shop = traces.payment(PaymentStories.SHOP_KEY).orElseThrow();
        assertEquals(List.of("live", PaymentStories.SHOP_ACCOUNT, PaymentStories.SHOP_STORE, PaymentStories.SHOP_ORDER,
                        PaymentStories.SHOP_ATTEMPT),
                List.of(shop.mode(), shop.accountId(), shop.storeId(), shop.orderId(), shop.checkoutAttemptId()));
        PaymentTrace.Payment acme = traces.payment("invoice:in_TEST1_SUB0001").orElseThrow();
        assertEquals("test", acme.mode());
        assertEquals(null, acme.accountId(), "the platform's own payment");
        assertEquals("ACMETEST-0001", acme.invoiceNumber());
    }

    private static List<PaymentTrace.State> history(PaymentTrace traces, String paymentKey) throws Exception {
        return traces.payment(paymentKey).orElseThrow().history();
    }

    private static PaymentTrace.State state(String state, long created, String eventId) {
        return new PaymentTrace.State(state, Instant.ofEpochSecond(created), eventId);
    }

    /** Every history row and what the records keep of the payments' origin, as text. */
    private List<String> state() throws Exception {
        List<String> state = new ArrayList<>(harness.rows("SELECT payment_key, state, reached_at, event_id"
                + " FROM reconciliation_history ORDER BY payment_key, state"));
        state.addAll(harness.rows("SELECT payment_key, livemode, account_id, store_id, invoice_number, status"
                + " FROM reconciliation_record ORDER BY payment_key"));
        return state;
    }
}
