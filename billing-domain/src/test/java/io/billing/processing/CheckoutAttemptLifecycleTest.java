package io.billing.processing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
 * A checkout attempt follows its session's events to the end, whatever their order: paid, pending then paid,
 * failed to pay, expired; with Stripe's time of the event that ended it. A session of another tenant's attempt
 * changes nothing.
 */
class CheckoutAttemptLifecycleTest {

    private static final String PAID = "acme/11_checkout.session.completed.payment.json";
    private static final String PENDING = "acme/13_checkout.session.completed.payment_unpaid_async.json";
    private static final String ASYNC_PAID = "acme/16_checkout.session.async_payment_succeeded.json";
    private static final String ASYNC_FAILED = "acme/15_checkout.session.async_payment_failed.json";
    private static final String EXPIRED = "acme/17_checkout.session.expired.json";

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
    void eachAttemptEndsAsItsSessionEnded() throws Exception {
        String paid = attempt("tenant_acme", "ord_1002");
        String asyncFailed = attempt("tenant_acme", "ord_1004");
        String expired = attempt("tenant_acme", "ord_1005");
        deliver(PAID, paid);
        deliver(ASYNC_FAILED, asyncFailed);
        deliver(EXPIRED, expired);
        engine.drain();
        assertEquals("COMPLETED 1786378802", state(paid));
        assertEquals("PAYMENT_FAILED 1786959603", state(asyncFailed));
        assertEquals("EXPIRED 1787227207", state(expired));
    }

    @Test
    void aDelayedPaymentEndsPaidWhicheverOfItsEventsComesFirst() throws Exception {
        for (List<String> order : List.of(List.of(PENDING, ASYNC_PAID), List.of(ASYNC_PAID, PENDING))) {
            harness.reset();
            harness.database.execute("DELETE FROM checkout_attempt");
            String pending = attempt("tenant_acme", "ord_1003");
            deliver(order.get(0), pending);
            engine.drain();
            String afterFirst = state(pending);
            deliver(order.get(1), pending);
            engine.drain();
            assertEquals(order.get(0).equals(PENDING) ? "PAYMENT_PENDING -" : "COMPLETED 1787047500",
                    afterFirst, "after " + order.get(0));
            assertEquals("COMPLETED 1787047500", state(pending), "delivered " + order);
        }
    }

    @Test
    void anotherTenantsSessionDoesNotMoveTheAttempt() throws Exception {
        String globex = attempt("tenant_globex", "ord_1002");
        deliver(PAID, globex);
        engine.drain();
        assertEquals("OPEN -", state(globex));
    }

    /** An attempt of the tenant's order whose session Stripe created. */
    private String attempt(String tenant, String order) throws Exception {
        return harness.database.dataAccess().inTransaction(unit -> {
            CheckoutAttempt started = CheckoutAttempts.of(unit.entityManager()).addOrFindForOrder(CheckoutAttempt.start(
                    TenantId.of(tenant), order, "price_1", 1, CheckoutSessions.Mode.PAYMENT, EngineHarness.START));
            started.opened("cs_test_" + order, "https://checkout.stripe.com/c/pay/" + order,
                    EngineHarness.START.plusSeconds(3600), "cus_TEST1", EngineHarness.START);
            unit.flush();
            return started.attemptId();
        });
    }

    /** The fixture's session event, its session made by this service's attempt (the id in its metadata). */
    private void deliver(String fixture, String attemptId) throws Exception {
        JsonObject event = JsonParser.parseString(new String(StripeFixtures.get(fixture).body(), StandardCharsets.UTF_8))
                .getAsJsonObject();
        event.getAsJsonObject("data").getAsJsonObject("object").getAsJsonObject("metadata")
                .addProperty("checkout_attempt_id", attemptId);
        harness.deliver(event.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String state(String attemptId) throws Exception {
        // Stripe's time of the event that ended the session, in epoch seconds as the fixtures give it.
        return harness.rows("SELECT status || ' ' || COALESCE(CAST(CAST(EXTRACT(EPOCH FROM settled_at) AS BIGINT)"
                + " AS VARCHAR), '-')"
                + " FROM checkout_attempt WHERE attempt_id = '" + attemptId + "'").get(0);
    }
}
