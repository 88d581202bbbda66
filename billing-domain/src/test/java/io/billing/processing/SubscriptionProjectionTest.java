package io.billing.processing;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Local subscriptions from the fixtures: newest snapshot wins, trials and tenants kept apart. */
class SubscriptionProjectionTest {

    private EngineHarness harness;
    private ProcessingEngine engine;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine("node-a");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anOlderSnapshotArrivingLateChangesNothing() throws Exception {
        harness.deliver(StripeFixtures.get("acme/28_customer.subscription.updated.json"));
        engine.drain();
        harness.deliver(StripeFixtures.get("acme/04_customer.subscription.created.json"));
        engine.drain();
        assertEquals(List.of("active | price_BUSINESS_MONTHLY | 2026-10-03 14:02:31.0"), harness.rows(
                "SELECT s.status, i.price_id, s.current_period_end FROM subscription s"
                        + " JOIN subscription_item i ON i.subscription_id = s.subscription_id"));
        assertEquals(2, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PROCESSED'"),
                "the stale one is processed too: applying it is a no-op, not an error");
    }

    @Test
    void aTrialIsKeptWithItsEndAndEachTenantSeesOnlyItsOwn() throws Exception {
        harness.deliver(StripeFixtures.get("globex/02_customer.subscription.created.json"));
        harness.deliver(StripeFixtures.get("acme/04_customer.subscription.created.json"));
        engine.drain();
        assertEquals(List.of("sub_TEST2 | trialing | 2026-08-18 09:06:17.0 | ord_2001"), harness.rows(
                "SELECT subscription_id, status, trial_end, order_id FROM subscription WHERE tenant_id = 'tenant_globex'"));
        assertEquals(List.of("sub_TEST1 | active"), harness.rows(
                "SELECT subscription_id, status FROM subscription WHERE tenant_id = 'tenant_acme'"));
        assertEquals(List.of("tenant_globex"), harness.rows(
                "SELECT DISTINCT tenant_id FROM subscription_item WHERE subscription_id = 'sub_TEST2'"));
    }
}
