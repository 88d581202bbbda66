package io.billing.processing;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.billing.checkout.CheckoutAttempt;
import io.billing.checkout.CheckoutAttempts;
import io.billing.checkout.CheckoutSessions;
import io.billing.tenant.TenantId;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Checkout Session's {@code client_reference_id} names the tenant only where the product set it: on a session this
 * service created (its checkout attempt is known), or anywhere when configured so. A Payment Link's is whatever the
 * link's URL said: it never makes the buyer's customer a tenant's.
 */
class ClientReferenceTrustTest {

    private static final String PAYMENT_LINK = "unmapped/02_checkout.session.completed.payment_link_no_metadata.json";
    private static final String SESSION = "cs_test_a1PLINKunmappedtk7f5Y9WA3b48ZCKZup7u0z2UR5viBPkalz82N";
    private static final String MAPPINGS = "SELECT customer_id, tenant_id FROM tenant_mapping ORDER BY customer_id";

    private EngineHarness harness;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /**
     * The Payment Link sample, bought by a customer of its own, as {@code eventId}: with the given
     * {@code client_reference_id} and metadata, and from the Payment Link or not.
     */
    private static byte[] session(String eventId, String customer, String clientReferenceId, JsonObject metadata,
                                  boolean fromPaymentLink) {
        JsonObject event = JsonParser.parseString(new String(StripeFixtures.get(PAYMENT_LINK).body(),
                StandardCharsets.UTF_8)).getAsJsonObject();
        event.addProperty("id", eventId);
        JsonObject session = event.getAsJsonObject("data").getAsJsonObject("object");
        session.addProperty("customer", customer);
        session.addProperty("client_reference_id", clientReferenceId);
        session.add("metadata", metadata);
        session.add("payment_link", fromPaymentLink ? session.get("payment_link") : JsonNull.INSTANCE);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject metadata(String key, String value) {
        JsonObject metadata = new JsonObject();
        if (key != null) {
            metadata.add(key, new JsonPrimitive(value));
        }
        return metadata;
    }

    private String status(String eventId) throws Exception {
        return harness.rows("SELECT status || ' | ' || COALESCE(tenant_id, '-') || ' | ' || status_reason FROM inbox_event"
                + " WHERE event_id = '" + eventId + "'").get(0);
    }

    @Test
    void aPaymentLinksClientReferenceIdNeitherNamesTheTenantNorMapsTheCustomer() throws Exception {
        ProcessingEngine engine = harness.engine("node-a");
        harness.deliver(session("evt_plink_1", "cus_BUYER1", "tenant_acme", metadata(null, null), true));
        engine.drain();
        assertEquals("UNMAPPED | - | no tenant metadata and no mapping for customer cus_BUYER1 (its client_reference_id"
                + " tenant_acme is not taken: the session is not one this service created for that tenant)",
                status("evt_plink_1"));
        assertEquals(List.of(), harness.rows(MAPPINGS), "the buyer's customer is no tenant's");

        // A customer an operator mapped is that tenant's, whatever the link's URL said.
        harness.mappings.put("cus_BUYER2", "tenant_globex", "bob", "Globex's purchasing account");
        harness.deliver(session("evt_plink_2", "cus_BUYER2", "tenant_acme", metadata(null, null), true));
        engine.drain();
        assertEquals("PROCESSED | tenant_globex | tenant tenant_globex from the mapping of customer cus_BUYER2",
                status("evt_plink_2"));
        assertEquals(List.of("cus_BUYER2 | tenant_globex"), harness.rows(MAPPINGS));
    }

    @Test
    void theClientReferenceIdOfASessionThisServiceCreatedNamesTheTenantAndMapsTheCustomer() throws Exception {
        String attempt = harness.database.dataAccess().inTransaction(unit -> {
            CheckoutAttempt started = CheckoutAttempts.of(unit.entityManager()).addOrFindForOrder(CheckoutAttempt.start(
                    TenantId.of("tenant_acme"), "ord_9", "price_1", 1, CheckoutSessions.Mode.PAYMENT, EngineHarness.START));
            started.opened(SESSION, "https://checkout.stripe.com/c/pay/" + SESSION, EngineHarness.START.plusSeconds(3600),
                    null, EngineHarness.START);
            unit.flush();
            return started.attemptId();
        });
        ProcessingEngine engine = harness.engine("node-a");

        // Another tenant's name on the service's session is not taken: the attempt is Acme's.
        harness.deliver(session("evt_created_0", "cus_NEW", "tenant_globex", metadata("checkout_attempt_id", attempt),
                false));
        engine.drain();
        assertEquals("UNMAPPED | - | no tenant metadata and no mapping for customer cus_NEW (its client_reference_id"
                + " tenant_globex is not taken: the session is not one this service created for that tenant)",
                status("evt_created_0"));

        harness.deliver(session("evt_created_1", "cus_NEW", "tenant_acme", metadata("checkout_attempt_id", attempt),
                false));
        engine.drain();
        assertEquals("PROCESSED | tenant_acme | tenant tenant_acme from the client_reference_id of a session this"
                + " service created", status("evt_created_1"));
        assertEquals(List.of("cus_NEW | tenant_acme"), harness.rows(MAPPINGS));
        assertEquals(List.of("MAPPING_LEARNT | cus_NEW | event evt_created_1"), harness.rows(
                "SELECT action, target_id, reason FROM audit_log"));
        engine.drain(); // the mapping learnt re-queued the customer's parked event
        assertEquals("PROCESSED | tenant_acme | tenant tenant_acme from the mapping of customer cus_NEW",
                status("evt_created_0"), "the parked one resolves by the mapping, not by what it names");
    }

    @Test
    void whenConfiguredTheClientReferenceIdNamesTheTenantButAPaymentLinksMapsNoCustomer() throws Exception {
        harness.trustClientReferenceIds = true;
        ProcessingEngine engine = harness.engine("node-a");
        harness.deliver(session("evt_own_1", "cus_APP", "tenant_acme", metadata(null, null), false));
        harness.deliver(session("evt_plink_1", "cus_BUYER1", "tenant_acme", metadata(null, null), true));
        engine.drain();
        assertEquals("PROCESSED | tenant_acme | tenant tenant_acme from the session's client_reference_id",
                status("evt_own_1"));
        assertEquals("PROCESSED | tenant_acme | tenant tenant_acme from the session's client_reference_id",
                status("evt_plink_1"));
        assertEquals(List.of("cus_APP | tenant_acme"), harness.rows(MAPPINGS),
                "learnt from the application's own session, never from a Payment Link's");
    }
}
