package io.billing.processing;

import io.billing.composition.EventHandlers;
import io.billing.connector.StoreOrderChecks;
import io.billing.entitlement.Licences;
import io.billing.platform.queue.RetryPolicy;
import io.billing.tenant.TenantId;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.testsupport.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the connectors are told of the acme story, delivered twice over: one rating message per payment,
 * one store lookup per paid order (not per subscription renewal), whatever the duplicates.
 */
class ConnectorFeedsTest {

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
    void eachPaymentIsReportedOnceAndEachPaidOrderIsLookedUpOnce() throws Exception {
        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 2, RetryPolicy.DEFAULT),
                EventHandlers.all(EventHandlers.Switches.none().withEveryConnector(TestSecrets.licenceKeys())));
        for (int round = 0; round < 2; round++) {
            for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
                if (fixture.name().startsWith("acme/")) {
                    harness.deliver(round == 0 ? fixture : fixture.withFreshEventId("evt_again_"));
                }
            }
            engine.drain();
        }
        assertEquals(0, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status NOT IN ('PROCESSED', 'IGNORED', 'UNMAPPED')"),
                harness.rows("SELECT event_id || ' ' || status || ' ' || COALESCE(status_reason, '') FROM inbox_event"
                        + " WHERE status NOT IN ('PROCESSED', 'IGNORED', 'UNMAPPED')").toString());

        List<String> rated = harness.rows("SELECT idempotency_key FROM outbox_message WHERE destination = 'rating'"
                + " ORDER BY idempotency_key");
        List<String> paid = harness.rows("SELECT business_key FROM journal_entry WHERE business_key LIKE 'invoice_paid:%'"
                + " OR business_key LIKE 'payment:%' ORDER BY business_key");
        assertEquals(paid.size(), rated.size(), "one rating message per payment: " + rated + " for " + paid);
        assertTrue(rated.contains("rating:payment:pi_TEST1_ORD1002"), rated.toString());
        assertTrue(harness.rows("SELECT payload FROM outbox_message WHERE idempotency_key = 'rating:payment:pi_TEST1_ORD1002'")
                .get(0).contains("\"amount\":49.00"));

        List<String> lookups = harness.rows("SELECT idempotency_key FROM outbox_message"
                + " WHERE destination = '" + StoreOrderChecks.DESTINATION + "' ORDER BY idempotency_key");
        assertTrue(lookups.contains("commerce:payment:pi_TEST1_ORD1002"), lookups.toString());
        assertTrue(lookups.contains("commerce:invoice:in_TEST1_SUB0001"), "the subscription's first invoice: " + lookups);
        assertFalse(lookups.contains("commerce:invoice:in_TEST1_SUB0002"), "a renewal is no new store order: " + lookups);

        // The licence service: the subscription's licence created at its first invoice, renewed by the
        // second; one licence per paid one-time order, under the keys the built-in licences show.
        String subscriptionLicence = TestSecrets.licenceKeys().hmac("tenant_acme", "sub_TEST1", "prod_PRO");
        List<String> licenceOrders = new Licences(harness.database.dataAccess(), harness.clock, Duration.ofDays(3),
                        TestSecrets.licenceKeys())
                .of(TenantId.of("tenant_acme")).stream().filter(l -> l.orderId() != null)
                .map(l -> "licence-create:" + l.key()).sorted().toList();
        List<String> licenceMessages = harness.rows("SELECT idempotency_key FROM outbox_message"
                + " WHERE destination = 'licence' AND idempotency_key NOT LIKE 'licence-user:%'"
                + " ORDER BY idempotency_key");
        List<String> expected = new java.util.ArrayList<>(licenceOrders);
        expected.add("licence-create:" + subscriptionLicence);
        expected.add("licence-renew:" + subscriptionLicence + ":in_TEST1_SUB0002");
        assertEquals(expected.stream().sorted().toList(), licenceMessages);
        assertEquals(2, licenceOrders.size(), "ord_1002 and ord_1003: " + licenceOrders);
        String renewal = harness.rows("SELECT payload FROM outbox_message WHERE idempotency_key = 'licence-renew:"
                + subscriptionLicence + ":in_TEST1_SUB0002'").get(0);
        assertTrue(renewal.contains("\"valid_until\":\"" + java.time.Instant.ofEpochSecond(1791036151L)
                .plus(Duration.ofDays(3)) + "\""), renewal);

        // The licence service's user: one for acme's customer, with its newest address; one sync message for each
        // snapshot that changed what is kept (the created customer, its new address), none for the repeats.
        assertEquals(List.of("cus_TEST1 finance@acme.example"),
                harness.rows("SELECT customer_id || ' ' || email FROM licence_user"));
        assertEquals(2, harness.count("SELECT COUNT(*) FROM outbox_message WHERE idempotency_key LIKE 'licence-user:%'"));
    }
}
