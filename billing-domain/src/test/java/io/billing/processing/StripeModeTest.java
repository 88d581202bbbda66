package io.billing.processing;

import io.billing.inbox.StoreOutcome;
import io.billing.platform.queue.RetryPolicy;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.stripe.StripeModes;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A service that applies live-mode events only stores a test-mode purchase like any event and then ignores it, with
 * the reason: it grants nothing, posts nothing and maps no customer. The operators' event list shows each event's
 * mode.
 */
class StripeModeTest {

    private static final String CUSTOMER = "acme/03_customer.created.json";
    private static final String PAID = "acme/05_invoice.paid.subscription_create.json";

    private EngineHarness harness;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private ProcessingEngine engine(StripeModes modes) {
        return harness.engine(EngineHarness.settings("node-a", 1, RetryPolicy.DEFAULT, modes),
                harness.productionHandlers());
    }

    /** The fixture as Stripe's live mode would send it: the same object, under an event id of its own. */
    private static byte[] live(Fixture fixture) {
        return new String(fixture.body(), StandardCharsets.UTF_8)
                .replace("\"livemode\": false", "\"livemode\": true")
                .replace(fixture.eventId(), fixture.eventId() + "LIVE")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLiveServiceStoresTestModeEventsAndIgnoresThemWithTheReason() throws Exception {
        ProcessingEngine engine = engine(StripeModes.LIVE);
        assertEquals(StoreOutcome.STORED, harness.deliver(StripeFixtures.get(CUSTOMER)));
        assertEquals(StoreOutcome.STORED, harness.deliver(StripeFixtures.get(PAID)));
        assertEquals(2, engine.drain());

        String ignored = "IGNORED | null | a test-mode event; this service applies live-mode events only"
                + " (BILLING_STRIPE_MODES)";
        assertEquals(List.of(ignored, ignored), harness.rows("SELECT status, tenant_id, status_reason FROM inbox_event"));
        assertEquals(List.of("IGNORED", "IGNORED"), harness.rows("SELECT outcome FROM event_attempt"));
        assertEquals(0, harness.count("SELECT COUNT(*) FROM journal_entry"), "nothing posted");
        assertEquals(0, harness.count("SELECT COUNT(*) FROM subscription_paid_period"), "no period paid");
        assertEquals(0, harness.count("SELECT COUNT(*) FROM tenant_mapping"), "no customer mapped");
        assertEquals(0, harness.count("SELECT COUNT(*) FROM stripe_object"), "no object kept");

        Fixture paid = StripeFixtures.get(PAID);
        assertEquals(StoreOutcome.STORED, harness.deliver(live(paid)));
        assertEquals(1, engine.drain());
        assertEquals(List.of("PROCESSED | tenant_acme"), harness.rows("SELECT status, tenant_id FROM inbox_event"
                + " WHERE event_id = '" + paid.eventId() + "LIVE'"));
        assertEquals(List.of("invoice_issued:in_TEST1_SUB0001", "invoice_paid:in_TEST1_SUB0001"),
                harness.rows("SELECT business_key FROM journal_entry ORDER BY business_key"));

        EventViews.Page page = new EventQueries(harness.database.dataSource()).list(
                new EventFilter(null, "invoice.paid", null, null, null, null, 0, 10));
        assertEquals(List.of(paid.eventId() + "LIVE | true", paid.eventId() + " | false"), page.events().stream()
                .map(e -> e.eventId() + " | " + e.livemode()).toList());
    }

    @Test
    void aTestServiceIgnoresLiveModeEvents() throws Exception {
        ProcessingEngine engine = engine(StripeModes.TEST);
        Fixture paid = StripeFixtures.get(PAID);
        harness.deliver(live(paid));
        harness.deliver(paid);
        assertEquals(2, engine.drain());
        assertEquals(List.of(paid.eventId() + " | PROCESSED", paid.eventId() + "LIVE | IGNORED"), harness.rows(
                "SELECT event_id, status FROM inbox_event ORDER BY event_id"));
        assertEquals(List.of("a live-mode event; this service applies test-mode events only (BILLING_STRIPE_MODES)"),
                harness.rows("SELECT status_reason FROM inbox_event WHERE status = 'IGNORED'"));
    }
}
