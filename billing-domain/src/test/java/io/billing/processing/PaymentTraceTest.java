package io.billing.processing;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.trace.PaymentTrace;
import io.billing.trace.PaymentTrace.Trace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Support's view of the acme story: from any id to the events, object states and postings. */
class PaymentTraceTest {

    private static EngineHarness harness;
    private static PaymentTrace traces;

    @BeforeAll
    static void playTheStory() throws Exception {
        harness = new EngineHarness(TestDatabase.postgres());
        for (StripeFixtures.Fixture event : StripeFixtures.all()) {
            if (event.name().startsWith("acme/")) {
                harness.deliver(event);
            }
        }
        harness.engine("node-a").drain();
        traces = new PaymentTrace(harness.database.dataAccess());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void anInvoiceShowsBothEventsOfItsOnePaymentAndItsPostings() throws Exception {
        Trace trace = traces.trace("in_TEST1_SUB0001");
        assertEquals("object", trace.resolvedAs());
        assertEquals(List.of("invoice.paid PROCESSED", "invoice.payment_succeeded PROCESSED"),
                trace.events().stream().map(e -> e.type() + " " + e.status()).toList());
        assertEquals("paid", trace.objects().get(0).status());
        assertEquals(List.of("invoice_issued:in_TEST1_SUB0001", "invoice_paid:in_TEST1_SUB0001"),
                trace.postings().stream().map(PaymentTrace.Posting::businessKey).sorted().toList());
        PaymentTrace.Payment payment = trace.payments().get(0);
        assertEquals("invoice:in_TEST1_SUB0001", payment.paymentKey());
        assertEquals("PAID", payment.status());
        assertEquals("ord_1001", payment.orderId());
        assertEquals("sub_TEST1", payment.subscriptionId());
        assertEquals(3, payment.eventIds().size(), "both invoice events and the Checkout Session's");
    }

    @Test
    void aFailedRenewalShowsTheNotificationItCaused() throws Exception {
        String failed = StripeFixtures.get("acme/23_invoice.payment_failed.json").eventId();
        List<PaymentTrace.Message> messages = traces.trace("in_TEST1_SUB0002").messages();
        assertEquals(List.of("tenant-notifications tenant-notification:" + failed + " " + failed),
                messages.stream().filter(m -> m.sourceEventId().equals(failed))
                        .map(m -> m.destination() + " " + m.idempotencyKey() + " " + m.sourceEventId()).toList());
    }

    @Test
    void anEventLeadsToItsObjectsWholeTimeline() throws Exception {
        Trace trace = traces.trace(StripeFixtures.get("acme/06_invoice.payment_succeeded.json").eventId());
        assertEquals("event", trace.resolvedAs());
        assertEquals(2, trace.events().size());
    }

    @Test
    void anOrderIdFindsItsPaymentWithEveryEventAndPosting() throws Exception {
        Trace trace = traces.trace("ord_1002");
        assertEquals("order", trace.resolvedAs());
        assertEquals(List.of("charge.succeeded", "payment_intent.succeeded", "checkout.session.completed",
                "refund.created", "charge.refunded"), trace.events().stream().map(PaymentTrace.Event::type).toList());
        assertEquals(List.of("payment:pi_TEST1_ORD1002", "refund:re_TEST1_0001"),
                trace.postings().stream().map(PaymentTrace.Posting::businessKey).toList());
        assertEquals("PARTIALLY_REFUNDED", trace.payments().get(0).status());
        assertEquals(5, trace.payments().get(0).eventIds().size(), "charge, intent, session, refund, charge.refunded");
        List<String> subscription = traces.trace("ord_1001").events().stream().map(PaymentTrace.Event::type).toList();
        assertTrue(subscription.containsAll(List.of("customer.subscription.created", "customer.subscription.updated",
                "customer.subscription.deleted", "invoice.paid", "checkout.session.completed")),
                "a subscription's order id is in its metadata and its invoices': " + subscription);
    }

    @Test
    void aParkedDisputeShowsWhyAndTenantsAndCustomersShowEverything() throws Exception {
        Trace dispute = traces.trace("du_TEST1_0001");
        assertEquals(2, dispute.events().size());
        assertTrue(dispute.events().stream().allMatch(e -> e.status().equals("UNMAPPED")
                && e.statusReason().startsWith("no tenant metadata")));
        assertEquals("customer", traces.trace("cus_TEST1").resolvedAs());
        assertTrue(traces.trace("cus_TEST1").events().size() > 20);
        assertEquals("tenant", traces.trace("tenant_acme").resolvedAs());
        assertFalse(traces.trace("in_nothing").found());
    }

    @Test
    void aLongHistoryShowsItsNewestEventsInStripesOrder() throws Exception {
        try (EngineHarness many = new EngineHarness(TestDatabase.postgres())) {
            StripeFixtures.Fixture update = StripeFixtures.get("acme/14_customer.updated.json");
            int delivered = PaymentTrace.MAX_EVENTS + 20;
            for (int i = 0; i < delivered; i++) {
                many.deliver(update.withEventId("evt_history_" + (1000 + i)).createdAt(1_750_000_000L + i));
            }
            Trace trace = new PaymentTrace(many.database.dataAccess()).trace(update.dataObject().get("id").getAsString());
            List<String> shown = trace.events().stream().map(PaymentTrace.Event::eventId).toList();
            List<String> newest = new ArrayList<>();
            for (int i = delivered - PaymentTrace.MAX_EVENTS; i < delivered; i++) {
                newest.add("evt_history_" + (1000 + i));
            }
            assertEquals(newest, shown, "the newest " + PaymentTrace.MAX_EVENTS + " of " + delivered + ", oldest first");
        }
    }
}
