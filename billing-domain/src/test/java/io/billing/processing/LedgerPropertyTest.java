package io.billing.processing;

import com.google.gson.JsonObject;
import io.billing.testsupport.Deliveries;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random stories (several tenants, USD, JPY and BHD, invoices paid, voided or written off, one-time orders
 * reported by three events each, partial refunds) delivered in random orders with duplicates give the
 * same ledger as in-order delivery; every entry balances; revenue is what the generator says it is.
 */
class LedgerPropertyTest {

    private static final String[] CURRENCIES = {"usd", "jpy", "bhd"};
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

    /** A generated story: the events in Stripe's order, and the revenue each tenant must end with. */
    private record Story(List<byte[]> events, Map<String, Long> expectedRevenue) {
    }

    @Test
    void randomStoriesInRandomOrdersPostTheSameBalancedLedger() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            Story story = generate(random, seed);
            List<String> inOrder = replay(story.events(), random);
            assertBalancedAndExpected(story, seed);
            for (int run = 0; run < 4; run++) {
                assertEquals(inOrder, replay(Deliveries.shuffledWithDuplicates(story.events(), random, 0.3), random),
                        "seed " + seed + ", run " + run);
            }
        }
    }

    private static void assertBalancedAndExpected(Story story, long seed) throws Exception {
        assertEquals(0, harness.count("SELECT COUNT(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id"
                + " HAVING SUM(debit) <> SUM(credit)) unbalanced"), "every entry balances, seed " + seed);
        assertEquals(List.of(), harness.rows("SELECT tenant_id, currency FROM journal_line GROUP BY tenant_id, currency"
                + " HAVING SUM(debit) <> SUM(credit)"), "every trial balance is zero, seed " + seed);
        for (Map.Entry<String, Long> tenant : story.expectedRevenue().entrySet()) {
            assertEquals(tenant.getValue(), harness.count("SELECT COALESCE(SUM(credit) - SUM(debit), 0) FROM journal_line"
                    + " WHERE tenant_id = '" + tenant.getKey() + "' AND account = 'REVENUE'"),
                    "revenue of " + tenant.getKey() + ", seed " + seed);
        }
    }

    private static List<String> replay(List<byte[]> deliveries, Random random) throws Exception {
        harness.reset();
        for (byte[] delivery : deliveries) {
            harness.deliver(delivery);
            harness.clock.advance(Duration.ofSeconds(1));
            if (random.nextInt(4) == 0) {
                engine.drain();
            }
        }
        engine.drain();
        assertEquals(0, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status NOT IN ('PROCESSED', 'IGNORED')"),
                harness.rows("SELECT event_id, status, status_reason FROM inbox_event WHERE status NOT IN"
                        + " ('PROCESSED', 'IGNORED')").toString());
        return harness.rows("SELECT e.tenant_id, e.currency, e.business_key, l.account, l.debit, l.credit"
                + " FROM journal_entry e JOIN journal_line l ON l.entry_id = e.entry_id"
                + " ORDER BY e.tenant_id, e.business_key, l.line_no");
    }

    private static Story generate(Random random, long seed) {
        List<byte[]> events = new ArrayList<>();
        Map<String, Long> revenue = new HashMap<>();
        long[] clock = {1785000000L};
        int tenants = 2 + random.nextInt(3);
        for (int t = 0; t < tenants; t++) {
            String tenant = "tenant_p" + seed + "_" + t;
            String customer = "cus_p" + seed + "_" + t;
            String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
            long earned = 0;
            JsonObject customerObject = object(customer, "customer", null, currency);
            JsonObject metadata = new JsonObject();
            metadata.addProperty("tenant_id", tenant);
            customerObject.add("metadata", metadata);
            events.add(event("customer.created", customerObject, clock));
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                String id = "in_p" + seed + "_" + t + "_" + i;
                long total = 100 + random.nextInt(100_000);
                JsonObject open = invoice(id, customer, currency, "open", total, 0, total);
                events.add(event("invoice.finalized", open, clock));
                switch (random.nextInt(3)) {
                    case 0 -> {
                        JsonObject paid = invoice(id, customer, currency, "paid", total, total, 0);
                        events.add(event("invoice.paid", paid, clock));
                        events.add(event("invoice.payment_succeeded", paid, clock));
                        earned += total;
                    }
                    case 1 -> events.add(event("invoice.voided", invoice(id, customer, currency, "void", total, 0, total),
                            clock));
                    default -> {
                        events.add(event("invoice.marked_uncollectible",
                                invoice(id, customer, currency, "uncollectible", total, 0, total), clock));
                        earned += total;
                    }
                }
            }
            for (int o = 0; o < random.nextInt(3); o++) {
                String suffix = seed + "_" + t + "_" + o;
                long amount = 50 + random.nextInt(50_000);
                JsonObject order = new JsonObject();
                order.addProperty("order_id", "ord_p" + suffix);
                order.addProperty("tenant_id", tenant);
                JsonObject charge = object("ch_p" + suffix, "charge", customer, currency);
                charge.addProperty("payment_intent", "pi_p" + suffix);
                charge.addProperty("amount", amount);
                charge.addProperty("status", "succeeded");
                charge.add("metadata", order);
                JsonObject intent = object("pi_p" + suffix, "payment_intent", customer, currency);
                intent.addProperty("amount_received", amount);
                intent.addProperty("status", "succeeded");
                intent.add("metadata", order);
                JsonObject session = object("cs_p" + suffix, "checkout.session", customer, currency);
                session.addProperty("mode", "payment");
                session.addProperty("payment_status", "paid");
                session.addProperty("status", "complete");
                session.addProperty("payment_intent", "pi_p" + suffix);
                session.addProperty("amount_total", amount);
                session.add("metadata", order);
                events.add(event("charge.succeeded", charge, clock));
                events.add(event("payment_intent.succeeded", intent, clock));
                events.add(event("checkout.session.completed", session, clock));
                earned += amount;
                if (random.nextBoolean()) {
                    JsonObject refund = object("re_p" + suffix, "refund", customer, currency);
                    refund.addProperty("amount", 1 + random.nextInt((int) amount));
                    refund.addProperty("status", "succeeded");
                    refund.addProperty("charge", "ch_p" + suffix);
                    refund.addProperty("payment_intent", "pi_p" + suffix);
                    events.add(event("refund.created", refund, clock));
                }
            }
            revenue.put(tenant, earned);
        }
        return new Story(events, revenue);
    }

    private static JsonObject invoice(String id, String customer, String currency, String status, long total,
                                      long paid, long remaining) {
        JsonObject invoice = object(id, "invoice", customer, currency);
        invoice.addProperty("status", status);
        invoice.addProperty("total", total);
        invoice.addProperty("amount_due", total);
        invoice.addProperty("amount_paid", paid);
        invoice.addProperty("amount_remaining", remaining);
        return invoice;
    }

    private static JsonObject object(String id, String type, String customer, String currency) {
        JsonObject object = new JsonObject();
        object.addProperty("id", id);
        object.addProperty("object", type);
        if (customer != null) {
            object.addProperty("customer", customer);
        }
        object.addProperty("currency", currency);
        object.add("metadata", new JsonObject());
        return object;
    }

    private static byte[] event(String type, JsonObject object, long[] clock) {
        JsonObject event = new JsonObject();
        event.addProperty("id", "evt_" + type.replace('.', '_') + "_" + object.get("id").getAsString());
        event.addProperty("object", "event");
        event.addProperty("api_version", "2026-07-29.dahlia");
        event.addProperty("created", clock[0]++);
        event.addProperty("livemode", false);
        event.addProperty("type", type);
        JsonObject data = new JsonObject();
        data.add("object", object.deepCopy());
        event.add("data", data);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }
}
