package io.billing.processing;

import io.billing.notification.TenantCallbacks;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events that may change a tenant's entitlements queue its callback, only when it registered one. */
class TenantCallbackTriggersTest {

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
    void aTenantWithACallbackIsToldOfEachEventThatMayChangeItsEntitlementsAndOthersAreNot() throws Exception {
        new TenantCallbacks(harness.database.dataAccess(), harness.clock, false, SecretBox.none(), Destinations.anyAddress())
                .register("tenant_acme", "https://acme.example/billing", "ops", "onboarding");
        for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
            if (fixture.name().startsWith("acme/") || fixture.name().startsWith("globex/")) {
                harness.deliver(fixture);
            }
        }
        harness.engine("node-a").drain();

        List<String> callbacks = harness.rows("SELECT DISTINCT tenant_id FROM outbox_message"
                + " WHERE destination = '" + TenantCallbacks.DESTINATION + "'");
        assertEquals(List.of("tenant_acme"), callbacks);
        String paid = StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").eventId();
        assertEquals(1, harness.count("SELECT COUNT(*) FROM outbox_message WHERE idempotency_key = 'callback:"
                + paid + "'"));
        assertTrue(harness.rows("SELECT payload FROM outbox_message WHERE idempotency_key = 'callback:" + paid + "'")
                .get(0).contains("\"cause_event_type\":\"invoice.paid\""));
    }
}
