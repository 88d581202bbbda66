package io.billing.processing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.composition.EventHandlers;
import io.billing.connector.LicenceUserSync;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.platform.queue.RetryPolicy;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.testsupport.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The licence service's user of each customer: the newest details whatever the delivery order, found by e-mail
 * address the first time (an existing user reused), updated (not duplicated) when the address changes, and named by
 * the licences created for the customer.
 */
class LicenceUserSyncTest {

    private static final String CREATED = "acme/03_customer.created.json";
    private static final String UPDATED = "acme/14_customer.updated.json";
    private static final String FIRST_INVOICE = "acme/05_invoice.paid.subscription_create.json";

    private EngineHarness harness;
    private ProcessingEngine engine;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine(EngineHarness.settings("node-a", 1, RetryPolicy.DEFAULT),
                EventHandlers.all(EventHandlers.Switches.none().withEveryConnector(TestSecrets.licenceKeys())));
    }

    @AfterEach
    void stop() {
        engine.close();
        harness.close();
    }

    @Test
    void theCustomersDetailsAreTheNewestWhateverTheOrderAndDuplicates() throws Exception {
        for (List<String> order : List.of(List.of(CREATED, UPDATED, CREATED), List.of(UPDATED, CREATED, UPDATED))) {
            harness.reset();
            for (String name : order) {
                harness.deliver(StripeFixtures.get(name));
                engine.drain();
            }
            assertEquals(List.of("cus_TEST1 tenant_acme finance@acme.example Acme Corp"),
                    harness.rows("SELECT customer_id || ' ' || tenant_id || ' ' || email || ' ' || name"
                            + " FROM licence_user"), "delivered " + order);
        }
    }

    @Test
    void aUserWithTheAddressIsReusedAndAChangedAddressUpdatesThatUser() throws Exception {
        FakeLicenceUsers service = new FakeLicenceUsers();
        service.users.put("billing@acme.example", "user_existing");

        harness.deliver(StripeFixtures.get(CREATED));
        engine.drain();
        assertEquals(OutboxTransport.Result.delivered(200), deliverPending(service).get(0));
        assertEquals(1, service.users.size(), "found by e-mail, not created again: " + service.users);
        assertEquals(List.of("user_existing billing@acme.example"),
                harness.rows("SELECT user_id || ' ' || synced_email FROM licence_user"));

        harness.deliver(StripeFixtures.get(UPDATED));
        engine.drain();
        deliverPending(service);
        assertEquals(Map.of("finance@acme.example", "user_existing"), service.users,
                "the same user, under its new address");
        assertEquals(List.of("update user_existing finance@acme.example"), service.calls.subList(1, 2));
        assertEquals(List.of("user_existing finance@acme.example"),
                harness.rows("SELECT user_id || ' ' || synced_email FROM licence_user"));

        int calls = service.calls.size();
        harness.deliver(StripeFixtures.get(UPDATED).withFreshEventId("evt_again_"));
        engine.drain();
        deliverPending(service);
        assertEquals(calls, service.calls.size(), "nothing changed, nothing sent: " + service.calls);
    }

    @Test
    void aLicenceNamesItsCustomerWhoseDetailsComeFromThePaymentWhenNoCustomerEventWasSeen() throws Exception {
        harness.deliver(StripeFixtures.get(FIRST_INVOICE));
        engine.drain();
        assertEquals(List.of("cus_TEST1 billing@acme.example Acme Corp"),
                harness.rows("SELECT customer_id || ' ' || email || ' ' || name FROM licence_user"));
        List<String> creations = harness.rows("SELECT payload FROM outbox_message"
                + " WHERE idempotency_key LIKE 'licence-create:%'");
        assertEquals(1, creations.size(), creations.toString());
        assertEquals("cus_TEST1", JsonParser.parseString(creations.get(0)).getAsJsonObject()
                .get("customer_id").getAsString());

        // A customer event after the payment: its details are newer and replace the invoice's.
        harness.deliver(StripeFixtures.get(UPDATED));
        engine.drain();
        assertEquals(List.of("finance@acme.example"), harness.rows("SELECT email FROM licence_user"));
    }

    @Test
    void aLicenceServiceThatFailsLeavesTheUserUnknownForTheNextAttempt() throws Exception {
        FakeLicenceUsers service = new FakeLicenceUsers();
        service.failuresLeft.set(1);
        harness.deliver(StripeFixtures.get(CREATED));
        engine.drain();
        OutboxTransport.Result failed = deliverPending(service).get(0);
        assertEquals(503, failed.httpStatus());
        assertEquals(List.of("-"), harness.rows("SELECT COALESCE(user_id, '-') FROM licence_user"));
        assertEquals(OutboxTransport.Result.delivered(200), deliverPending(service).get(0));
        assertEquals(1, service.users.size());
    }

    /** Delivers every {@code licence-user:} message of the outbox to the fake, in key order. */
    private List<OutboxTransport.Result> deliverPending(FakeLicenceUsers service) throws Exception {
        List<OutboxTransport.Result> results = new ArrayList<>();
        for (String row : harness.rows("SELECT idempotency_key || '|' || tenant_id || '|' || payload FROM outbox_message"
                + " WHERE idempotency_key LIKE 'licence-user:%' ORDER BY created_at, idempotency_key")) {
            String[] parts = row.split("\\|", 3);
            OutboxMessage message = new OutboxMessage(parts[0], "licence", parts[1], null, parts[2], 1, 1, null);
            results.add(LicenceUserSync.deliver(harness.database.dataAccess(), harness.clock, service, message));
        }
        assertTrue(!results.isEmpty(), "a licence-user message was written");
        return results;
    }

    /** The licence service's users, as the integration's licence service keeps them: one per e-mail address. */
    private static final class FakeLicenceUsers implements LicenceUserSync.UserCalls {
        final Map<String, String> users = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public RestClientCalls.Answer create(String idempotencyKey, String body) {
            if (failuresLeft.getAndDecrement() > 0) {
                return new RestClientCalls.Answer(503, null);
            }
            String email = field(body, "email");
            calls.add("create " + email);
            String id = users.computeIfAbsent(email, e -> "user_" + (users.size() + 1));
            return new RestClientCalls.Answer(201, "{\"id\":\"" + id + "\",\"email\":\"" + email + "\"}");
        }

        @Override
        public RestClientCalls.Answer update(String idempotencyKey, String userId, String body) {
            String email = field(body, "email");
            calls.add("update " + userId + " " + email);
            users.values().removeIf(userId::equals);
            users.put(email, userId);
            return new RestClientCalls.Answer(200, "{\"id\":\"" + userId + "\"}");
        }

        private static String field(String body, String name) {
            JsonObject json = JsonParser.parseString(body).getAsJsonObject();
            return json.get(name).getAsString();
        }
    }
}
