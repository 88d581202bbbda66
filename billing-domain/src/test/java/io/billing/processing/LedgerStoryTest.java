package io.billing.processing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.ledger.LedgerAccount;
import io.billing.ledger.LedgerQueries;
import io.billing.ledger.LedgerQueries.AccountBalance;
import io.billing.ledger.Money;
import io.billing.outbox.OutboxDispatcher;
import io.billing.platform.queue.RetryPolicy;
import io.billing.processing.operator.EventOperations;
import io.billing.stripe.api.ObjectReads;
import io.billing.stripe.api.StripeApiSettings;
import io.billing.stripe.api.StripeJavaGateway;
import io.billing.testsupport.FakeStripeApi;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The acme and globex stories through one endpoint, as the ledger reads them afterwards. */
class LedgerStoryTest {

    private EngineHarness harness;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void eachTenantsLedgerShowsItsOwnStoryAndBalances() throws Exception {
        List<Fixture> interleaved = StripeFixtures.all().stream()
                .filter(f -> f.name().startsWith("acme/") || f.name().startsWith("globex/"))
                .sorted(Comparator.comparingLong(LedgerStoryTest::created)).toList();
        ProcessingEngine engine = harness.engine("node-a");
        for (Fixture event : interleaved) {
            harness.deliver(event);
        }
        engine.drain();

        LedgerQueries ledger = new LedgerQueries(harness.database.dataAccess());
        assertEquals(Map.of(
                "BAD_DEBT", "200.00 USD", "RECEIVABLES", "0.00 USD", "REFUNDS", "15.00 USD",
                "REVENUE", "405.00 USD", "STRIPE_BALANCE", "190.00 USD"), normalBalances(ledger, "tenant_acme"));
        assertEquals(Map.of("RECEIVABLES", "0.00 USD", "REVENUE", "29.00 USD", "STRIPE_BALANCE", "29.00 USD"),
                normalBalances(ledger, "tenant_globex"), "globex's one paid invoice, nothing of acme's");
        assertEquals(List.of(Money.ofStripe(0, "usd")), ledger.trialBalance("tenant_acme"));
        assertEquals(List.of(Money.ofStripe(0, "usd")), ledger.trialBalance("tenant_globex"));
        assertEquals(Map.of(), normalBalances(ledger, "tenant_nobody"));

        // The dispute names a charge no event carried: parked. Support assigns it to acme by hand; both
        // dispute events then post the loss and Stripe's fee, once.
        EventOperations operations = new EventOperations(harness.database.dataSource(), harness.clock);
        String disputeOpened = StripeFixtures.get("acme/30_charge.dispute.created.json").eventId();
        assertEquals(2, operations.assignTenant(disputeOpened, "tenant_acme", "carol",
                "chargeback on acme's first subscription payment, confirmed in the Stripe dashboard"));
        engine.drain();
        assertEquals(0, harness.count("SELECT COUNT(*) FROM inbox_event WHERE object_id = 'du_TEST1_0001'"
                + " AND (status <> 'PROCESSED' OR tenant_id <> 'tenant_acme')"));
        Map<String, String> after = normalBalances(ledger, "tenant_acme");
        assertEquals("29.00 USD", after.get("DISPUTES"));
        assertEquals("15.00 USD", after.get("DISPUTE_FEES"));
        assertEquals("146.00 USD", after.get("STRIPE_BALANCE"), "190 less the 29 lost and the 15 fee");
        assertEquals(List.of(Money.ofStripe(0, "usd")), ledger.trialBalance("tenant_acme"));
        assertEquals(2, harness.count("SELECT COUNT(*) FROM audit_log WHERE action = 'ASSIGN_TENANT'"));
    }

    @Test
    void aDisputeOnAChargeNoEventCarriedFindsItsTenantThroughTheStripeApi() throws Exception {
        // The charge as Stripe's API returns it: a subscription payment, so no metadata; only its customer.
        JsonObject charge = StripeFixtures.get("acme/09_charge.succeeded.json").dataObject();
        charge.addProperty("id", "ch_TEST1_SUB0001");
        charge.addProperty("payment_intent", "pi_TEST1_SUB0001");
        charge.addProperty("amount", 2900);
        charge.add("metadata", new JsonObject());
        try (FakeStripeApi stripe = new FakeStripeApi("sk_test_story")) {
            stripe.putObject(charge.toString());
            ObjectReads reads = new ObjectReads(harness.database.dataSource(), harness.clock,
                    new StripeJavaGateway(new StripeApiSettings("sk_test_story", stripe.baseUrl(),
                            Duration.ofSeconds(2), Duration.ofSeconds(5), 0)), () -> { });
            harness.paymentLookup = reads;
            ProcessingEngine engine = harness.engine("node-a");
            for (Fixture event : StripeFixtures.all().stream().filter(f -> f.name().startsWith("acme/"))
                    .sorted(Comparator.comparingLong(LedgerStoryTest::created)).toList()) {
                harness.deliver(event);
            }
            engine.drain();
            assertEquals(2, harness.count("SELECT COUNT(*) FROM inbox_event WHERE object_id = 'du_TEST1_0001'"
                    + " AND status = 'UNMAPPED' AND awaiting_id = 'ch_TEST1_SUB0001'"), "parked, waiting for the charge");
            assertEquals(1, harness.count("SELECT COUNT(*) FROM outbox_message WHERE destination = '"
                    + ObjectReads.DESTINATION + "'"), "both dispute events ask for the charge once");

            try (OutboxDispatcher dispatcher = new OutboxDispatcher(harness.database.dataSource(), harness.clock,
                    harness.databaseClock, "node-a", Map.of(ObjectReads.DESTINATION, reads.transport()), RetryPolicy.DEFAULT,
                    OutboxDispatcher.Settings.DEFAULT, Thread::new)) {
                dispatcher.drain(); // (the harness's tenant notifications have no transport: they wait)
            }
            engine.drain();

            assertEquals(List.of("DELIVERED"), harness.rows("SELECT status FROM outbox_message WHERE destination = '"
                    + ObjectReads.DESTINATION + "'"));
            assertEquals(1, stripe.requests("GET", "/v1/charges/ch_TEST1_SUB0001").size());
            assertEquals(List.of("charge.fetched|OBJECT_READ|PROCESSED|tenant_acme"), harness.rows(
                    "SELECT event_type || '|' || source || '|' || status || '|' || tenant_id FROM inbox_event"
                            + " WHERE object_id = 'ch_TEST1_SUB0001'"));
            assertEquals(0, harness.count("SELECT COUNT(*) FROM inbox_event WHERE object_id = 'du_TEST1_0001'"
                    + " AND (status <> 'PROCESSED' OR tenant_id <> 'tenant_acme')"));
            assertEquals(List.of("tenant tenant_acme from its payment ch_TEST1_SUB0001"), harness.rows(
                    "SELECT DISTINCT status_reason FROM inbox_event WHERE object_id = 'du_TEST1_0001'"), "and why");
            LedgerQueries ledger = new LedgerQueries(harness.database.dataAccess());
            Map<String, String> acme = normalBalances(ledger, "tenant_acme");
            assertEquals("29.00 USD", acme.get("DISPUTES"));
            assertEquals("15.00 USD", acme.get("DISPUTE_FEES"));
            assertEquals("146.00 USD", acme.get("STRIPE_BALANCE"), "the read charge posts nothing of its own");
            assertEquals("405.00 USD", acme.get("REVENUE"));
            assertEquals(List.of(Money.ofStripe(0, "usd")), ledger.trialBalance("tenant_acme"));
        }
    }

    private static Map<String, String> normalBalances(LedgerQueries ledger, String tenant) throws Exception {
        Map<String, String> shown = new TreeMap<>();
        for (Map<LedgerAccount, AccountBalance> perCurrency : ledger.balances(tenant).values()) {
            perCurrency.forEach((account, balance) -> shown.put(account.name(), balance.normalBalance().toString()));
        }
        return shown;
    }

    /** Stripe's created time of a fixture, read from its body: the order one shared endpoint sees. */
    private static long created(Fixture fixture) {
        return JsonParser.parseString(new String(fixture.body(), StandardCharsets.UTF_8))
                .getAsJsonObject().get("created").getAsLong();
    }
}
