package io.billing.processing;

import io.billing.notification.TenantCallbacks;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events that may change a tenant's entitlements queue its callback, only when it registered one. */
class TenantCallbackTriggersTest {

    private EngineHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    /** On both databases: the message is an insert that selects the tenant's callback, at the unit's commit. */
    @ParameterizedTest(name = "on PostgreSQL: {0}")
    @ValueSource(booleans = {true, false})
    void aTenantWithACallbackIsToldOfEachEventThatMayChangeItsEntitlementsAndOthersAreNot(boolean onPostgres)
            throws Exception {
        harness = new EngineHarness(onPostgres ? TestDatabase.postgres() : TestDatabase.h2());
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
