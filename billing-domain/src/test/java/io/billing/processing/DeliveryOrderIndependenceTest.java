package io.billing.processing;

import io.billing.testsupport.Deliveries;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acme story, delivered in order, in reverse and in 20 random orders with 30% duplicates, each
 * time with the engine draining at random points between deliveries (as it would run beside the
 * intake), ends in one and the same state: event statuses and everything the handlers wrote.
 *
 * <p>So do snapshots of one object created in the same second (the resolution of Stripe's {@code created}):
 * they end in the state the version rule picks, the status further along the object's life cycle, then the
 * greater event id.
 */
class DeliveryOrderIndependenceTest {

    /** The second of the acme story's subscription update, when every same-second snapshot below is created. */
    private static final long SECOND = 1789466402L;
    private static final String CUSTOMER = "acme/03_customer.created.json";

    private static EngineHarness harness;
    private static ProcessingEngine engine;
    private static List<Fixture> story;

    @BeforeAll
    static void start() {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine("node-a");
        story = StripeFixtures.all().stream().filter(f -> f.name().startsWith("acme/")).toList();
        assertEquals(34, story.size(), "the acme story has 34 events");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void everyDeliveryOrderEndsInTheInOrderState() throws Exception {
        assertStoryOutcome(orderIndependentState(story, new Random(20261122), 20,
                DeliveryOrderIndependenceTest::canonicalState));
    }

    @Test
    void twoSnapshotsOfTheSameSecondEndInTheSameStateWhateverTheirOrder() throws Exception {
        // past_due is further along than active: it wins though its event id is the smaller one.
        assertEquals(subscriptionEndsAs("past_due", 2, "evt_1ACME0028tieA"), orderIndependentState(List.of(
                subscription("evt_1ACME0028tieB", "active", 1), subscription("evt_1ACME0028tieA", "past_due", 2)),
                new Random(1), 8, DeliveryOrderIndependenceTest::sameSecondState));
    }

    @Test
    void twoSnapshotsOfTheSameSecondAndStatusEndWithTheGreaterEventIdWhateverTheirOrder() throws Exception {
        assertEquals(subscriptionEndsAs("active", 3, "evt_1ACME0028tieB"), orderIndependentState(List.of(
                subscription("evt_1ACME0028tieA", "active", 1), subscription("evt_1ACME0028tieB", "active", 3)),
                new Random(2), 8, DeliveryOrderIndependenceTest::sameSecondState));
    }

    @Test
    void twoInvoiceSnapshotsOfTheSameSecondAndStatusEndWithTheGreaterEventIdWhateverTheirOrder() throws Exception {
        // Both open; the payment failure's id (evt_1ACME0023…) is the greater.
        assertEquals(List.of("object in_TEST1_SUB0002 open invoice.payment_failed evt_1ACME0023hGsqlRWHJC"),
                orderIndependentState(List.of(StripeFixtures.get(CUSTOMER), sameSecond("acme/21_invoice.finalized.json"),
                        sameSecond("acme/23_invoice.payment_failed.json")), new Random(3), 8,
                        DeliveryOrderIndependenceTest::sameSecondState));
    }

    @Test
    void theEventsOfOneActionInOneSecondEndInTheStateTheRulePicksWhateverTheirOrder() throws Exception {
        // One second, as Stripe often has it: the subscription created (ranked below every status), updated to
        // active twice and to past_due; its invoice finalized (open), its payment failed (open again) and paid.
        String paid = "acme/27_invoice.paid.subscription_cycle.json";
        List<Fixture> events = List.of(StripeFixtures.get(CUSTOMER),
                sameSecond("acme/04_customer.subscription.created.json").withEventId("evt_1ACME0028tieZ"),
                subscription("evt_1ACME0028tieC", "active", 1),
                subscription("evt_1ACME0028tieB", "active", 3),
                subscription("evt_1ACME0028tieA", "past_due", 2),
                sameSecond("acme/21_invoice.finalized.json"),
                sameSecond("acme/23_invoice.payment_failed.json"),
                sameSecond(paid));
        List<String> expected = new ArrayList<>();
        expected.add("object in_TEST1_SUB0002 paid invoice.paid " + StripeFixtures.get(paid).eventId());
        expected.addAll(subscriptionEndsAs("past_due", 2, "evt_1ACME0028tieA"));
        assertEquals(expected, orderIndependentState(events, new Random(4), 12,
                DeliveryOrderIndependenceTest::sameSecondState));
    }

    /** A state of the database, read after a replay. */
    @FunctionalInterface
    private interface State {
        List<String> read() throws Exception;
    }

    /**
     * The state the deliveries end in, in order; fails unless they end in it too reversed and in {@code runs} random
     * orders with 30% duplicates, the engine draining at random points between deliveries.
     */
    private static List<String> orderIndependentState(List<Fixture> deliveries, Random random, int runs, State state)
            throws Exception {
        List<String> inOrder = replay(deliveries, random, state);
        List<Fixture> reversed = new ArrayList<>(deliveries);
        Collections.reverse(reversed);
        assertEquals(inOrder, replay(reversed, random, state), "reverse order");
        for (int run = 0; run < runs; run++) {
            assertEquals(inOrder, replay(Deliveries.shuffledWithDuplicates(deliveries, random, 0.3), random, state),
                    "random order " + run + " with duplicates");
        }
        return inOrder;
    }

    /** sub_TEST1 as the story's update has it, with another status and quantity, created in {@link #SECOND}. */
    private static Fixture subscription(String eventId, String status, int quantity) {
        return StripeFixtures.get("acme/28_customer.subscription.updated.json").withObjectChanged(eventId, subscription -> {
            subscription.addProperty("status", status);
            subscription.getAsJsonObject("items").getAsJsonArray("data").get(0).getAsJsonObject()
                    .addProperty("quantity", quantity);
        }).createdAt(SECOND);
    }

    private static Fixture sameSecond(String fixture) {
        return StripeFixtures.get(fixture).createdAt(SECOND);
    }

    /** What {@link #sameSecondState} shows of sub_TEST1 when the snapshot of {@code eventId} won. */
    private static List<String> subscriptionEndsAs(String status, int quantity, String eventId) {
        return List.of("object sub_TEST1 " + status + " customer.subscription.updated " + eventId,
                "subscription sub_TEST1 " + status + " " + eventId,
                "item si_TEST1_PRO price_BUSINESS_MONTHLY x" + quantity);
    }

    /** What the handlers keep of invoices and subscriptions: status, items, and the version that put it there. */
    private static List<String> sameSecondState() throws Exception {
        List<String> state = new ArrayList<>();
        state.addAll(harness.rows("SELECT 'object ' || object_id || ' ' || status || ' ' || version_type || ' '"
                + " || version_event_id FROM stripe_object WHERE object_type <> 'customer' ORDER BY object_id"));
        state.addAll(harness.rows("SELECT 'subscription ' || subscription_id || ' ' || status || ' ' || version_event_id"
                + " FROM subscription"));
        state.addAll(harness.rows("SELECT 'item ' || item_id || ' ' || price_id || ' x' || quantity FROM subscription_item"));
        return state;
    }

    /** What the story must end in, whatever the order: the facts from the fixtures' README. */
    private static void assertStoryOutcome(List<String> state) {
        String all = String.join("\n", state);
        assertHas(state, "object sub_TEST1 | subscription | tenant_acme | cus_TEST1 | canceled | true"
                + " | customer.subscription.deleted");
        assertHas(state, "object in_TEST1_SUB0002 | invoice | tenant_acme | cus_TEST1 | paid | false | invoice.paid");
        assertHas(state, "object in_TEST1_ONB0001 | invoice | tenant_acme | cus_TEST1 | void | false");
        assertHas(state, "object cus_TEST1 | customer | tenant_acme | cus_TEST1 | null | true | customer.deleted");
        assertHas(state, "mapping cus_TEST1 | tenant_acme");
        // The subscription ends canceled on the Business plan it was upgraded to, its period from the items.
        assertHas(state, "subscription sub_TEST1 | tenant_acme | cus_TEST1 | canceled | 2026-10-03 14:02:31.0"
                + " | 2026-11-03 14:02:31.0 | null | false | 2026-10-06 09:15:00.0 | 2026-10-06 09:15:00.0 | ord_1001");
        assertHas(state, "item sub_TEST1 | si_TEST1_PRO | tenant_acme | price_BUSINESS_MONTHLY | prod_BUSINESS | 1");
        assertHas(state, "subscription sub_TEST1_ADDON | tenant_acme | cus_TEST1 | trialing");
        // The ledger: two subscription invoices paid, one invoice voided, one written off, two one-time orders
        // paid (the unpaid, failed and expired ones not), one partial refund; the dispute is parked.
        assertHas(state, "balance tenant_acme | USD | BAD_DEBT | 20000");
        assertHas(state, "balance tenant_acme | USD | RECEIVABLES | 0");
        assertHas(state, "balance tenant_acme | USD | REFUNDS | 1500");
        assertHas(state, "balance tenant_acme | USD | REVENUE | -40500");
        assertHas(state, "balance tenant_acme | USD | STRIPE_BALANCE | 19000");
        assertEquals(5, state.stream().filter(line -> line.startsWith("balance ")).count(), all);
        assertHas(state, "ledger tenant_acme | USD | payment:pi_TEST1_ORD1003 | 1 | STRIPE_BALANCE | 9800 | 0");
        // One reconciliation record per payment, every id and event linked.
        assertHas(state, "payment invoice:in_TEST1_SUB0001 | tenant_acme | in_TEST1_SUB0001 | null | null"
                + " | cs_test_a1ACMEsub1001lt8Ig89xn3MMV3HxQW4SxPBeYdEOQ0PlOvnMcXvr | sub_TEST1 | cus_TEST1 | ord_1001 | PAID");
        assertHas(state, "payment payment:pi_TEST1_ORD1002 | tenant_acme | null | pi_TEST1_ORD1002 | ch_TEST1_ORD1002"
                + " | cs_test_a1ACMEpay10023vDLkBcCn5iNoxNbaYsu8iE5ADzEXjYGjeX4yRui | null | cus_TEST1 | ord_1002"
                + " | PARTIALLY_REFUNDED");
        assertHas(state, "payment payment:pi_TEST1_ORD1004 | tenant_acme | null | pi_TEST1_ORD1004");
        assertTrue(state.stream().anyMatch(l -> l.startsWith("payment payment:pi_TEST1_ORD1004") && l.endsWith("FAILED")), all);
        assertEquals(3, state.stream().filter(l -> l.startsWith("payment-event invoice:in_TEST1_SUB0001 ")).count(),
                "invoice.paid, invoice.payment_succeeded and the Checkout Session");
        // Account-level events update the catalogue and never wait for a tenant.
        assertTrue(state.stream().anyMatch(line -> line.matches("event evt_\\w+ \\| product.created \\| PROCESSED \\| null \\| null")), all);
        assertHas(state, "product prod_PRO | Pro | true | false | pro");
        assertHas(state, "price price_PRO_MONTHLY | prod_PRO | usd | 2900 | month | 1 | true");
        assertHas(state, "tenant tenant_acme | tenant_acme | ACTIVE");
        // The dispute names a charge that no event of the story carries: parked, never guessed.
        assertTrue(state.stream().anyMatch(line -> line.matches(
                "event evt_\\w+ \\| charge.dispute.created \\| UNMAPPED \\| null \\| no tenant metadata.*")), all);
        // Notifications: payment failed, action required, trial ending (the dispute's is parked with it).
        assertEquals(3, state.stream().filter(line -> line.startsWith("outbox ")).count(), all);
    }

    private static void assertHas(List<String> state, String prefix) {
        assertTrue(state.stream().anyMatch(line -> line.startsWith(prefix)),
                "expected a line starting with: " + prefix + "\n" + String.join("\n", state));
    }

    private static List<String> replay(List<Fixture> deliveries, Random random, State state) throws Exception {
        harness.replay(engine, deliveries, random);
        return state.read();
    }

    private static void addRows(List<String> state, String prefix, String sql) throws Exception {
        for (String row : harness.rows(sql)) {
            state.add(prefix + " " + row);
        }
    }

    /** Statuses, tenants and everything the handlers wrote, without times and counters that may differ. */
    private static List<String> canonicalState() throws Exception {
        List<String> state = new ArrayList<>();
        addRows(state, "event", "SELECT event_id, event_type, status, tenant_id, status_reason FROM inbox_event"
                + " ORDER BY event_id");
        addRows(state, "object", "SELECT object_id, object_type, tenant_id, customer_id, status, deleted,"
                + " version_type, version_created, version_rank, version_event_id, livemode FROM stripe_object"
                + " ORDER BY object_id");
        addRows(state, "subscription", "SELECT subscription_id, tenant_id, customer_id, status, current_period_start,"
                + " current_period_end, trial_end, cancel_at_period_end, canceled_at, ended_at, order_id, version_event_id"
                + " FROM subscription ORDER BY subscription_id");
        addRows(state, "item", "SELECT subscription_id, item_id, tenant_id, price_id, product_id, quantity"
                + " FROM subscription_item ORDER BY subscription_id, item_id");
        addRows(state, "ledger", "SELECT e.tenant_id, e.currency, e.business_key, l.line_no, l.account, l.debit,"
                + " l.credit FROM journal_entry e JOIN journal_line l ON l.entry_id = e.entry_id"
                + " ORDER BY e.tenant_id, e.business_key, l.line_no");
        addRows(state, "balance", "SELECT tenant_id, currency, account, SUM(debit) - SUM(credit) FROM journal_line"
                + " GROUP BY tenant_id, currency, account ORDER BY tenant_id, currency, account");
        addRows(state, "product", "SELECT product_id, name, active, deleted, plan_code, version_event_id"
                + " FROM catalogue_product ORDER BY product_id");
        addRows(state, "price", "SELECT price_id, product_id, currency, unit_amount, billing_interval, interval_count,"
                + " active, deleted, version_event_id FROM catalogue_price ORDER BY price_id");
        addRows(state, "tenant", "SELECT tenant_id, name, status FROM tenant ORDER BY tenant_id");
        addRows(state, "payment", "SELECT payment_key, tenant_id, invoice_id, payment_intent_id, charge_id,"
                + " checkout_session_id, subscription_id, customer_id, order_id, status FROM reconciliation_record"
                + " ORDER BY payment_key");
        addRows(state, "payment-event", "SELECT payment_key, event_id FROM reconciliation_event"
                + " ORDER BY payment_key, event_id");
        addRows(state, "mapping", "SELECT customer_id, tenant_id FROM tenant_mapping ORDER BY customer_id");
        addRows(state, "outbox", "SELECT idempotency_key, destination, tenant_id, payload FROM outbox_message"
                + " ORDER BY idempotency_key");
        return state;
    }
}
