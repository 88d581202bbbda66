package io.billing.checkout;

import io.billing.stripe.api.StripeApiException;
import io.billing.stripe.api.StripeGateway;
import io.billing.tenant.TenantMappings;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkouts on PostgreSQL against a scripted gateway: one attempt and one Stripe session per tenant and order. */
class CheckoutSessionsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    /** Records every call; fails the next session creations when told to. */
    private static final class ScriptedGateway implements StripeGateway {
        final List<String> sessionKeys = new ArrayList<>();
        final List<CheckoutRequest> sessionRequests = new ArrayList<>();
        int customersCreated;
        int failures;

        @Override
        public String retrieve(String objectId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EventPage listEvents(Instant createdFrom, String startingAfter, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String createCustomer(String tenantId, String name, String idempotencyKey) {
            customersCreated++;
            return "cus_" + tenantId;
        }

        @Override
        public CheckoutSession createCheckoutSession(CheckoutRequest request, String idempotencyKey)
                throws StripeApiException {
            sessionKeys.add(idempotencyKey);
            sessionRequests.add(request);
            if (failures > 0) {
                failures--;
                throw new StripeApiException(StripeApiException.Kind.API_ERROR, 500, null, "req_1", "Stripe failed",
                        null);
            }
            String id = "cs_" + idempotencyKey.substring("checkout-".length());
            return new CheckoutSession(id, "https://checkout.stripe.com/c/" + id, T0.plus(Duration.ofHours(24)));
        }

        @Override
        public String createPortalSession(String customerId, String returnUrl) {
            return "https://billing.stripe.com/p/" + customerId;
        }
    }

    private static TestDatabase database;
    private static final ScriptedGateway GATEWAY = new ScriptedGateway();
    private static CheckoutSessions checkouts;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
        checkouts = checkouts(new MutableClock(T0));
    }

    private static CheckoutSessions checkouts(MutableClock clock) {
        return new CheckoutSessions(database.dataAccess(), clock, GATEWAY, new TenantMappings(database.dataAccess(),
                clock), new CheckoutSessions.Urls("https://app.example/ok", "https://app.example/cancel",
                "https://app.example/"));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static CheckoutSessions.Request request(String tenant, String order, String price, long quantity) {
        return new CheckoutSessions.Request(tenant, order, price, null, quantity, CheckoutSessions.Mode.PAYMENT);
    }

    @Test
    void aRepeatedRequestGetsTheSameSessionWithoutAskingStripeAgain() throws Exception {
        CheckoutSessions.Started first = checkouts.start(request("tenant_a", "ord_1", "price_1", 2));
        int calls = GATEWAY.sessionKeys.size();
        assertFalse(first.reused());
        assertEquals("checkout-" + first.attemptId(), GATEWAY.sessionKeys.get(calls - 1));
        assertEquals(first.attemptId(), GATEWAY.sessionRequests.get(calls - 1).metadata().get("checkout_attempt_id"));
        assertEquals("cus_tenant_a", first.customerId());

        CheckoutSessions.Started again = checkouts.start(request("tenant_a", "ord_1", "price_1", 2));
        assertTrue(again.reused());
        assertEquals(first.sessionId(), again.sessionId());
        assertEquals(first.url(), again.url());
        assertEquals(calls, GATEWAY.sessionKeys.size(), "no second call");
        assertEquals(List.of("OPEN | " + first.sessionId() + " | cus_tenant_a"), database.rows(
                "SELECT status, session_id, customer_id FROM checkout_attempt WHERE order_id = 'ord_1'"));

        assertThrows(CheckoutSessions.OrderConflictException.class,
                () -> checkouts.start(request("tenant_a", "ord_1", "price_1", 3)), "other terms, same order");
        CheckoutSessions.Started ofB = checkouts.start(request("tenant_b", "ord_1", "price_1", 3));
        assertNotEquals(first.attemptId(), ofB.attemptId(), "another tenant's order of the same id is its own");
    }

    @Test
    void aStripeFailureIsRecordedAndTheNextRequestAsksAgainUnderTheSameKey() throws Exception {
        GATEWAY.failures = 1;
        assertThrows(StripeApiException.class, () -> checkouts.start(request("tenant_a", "ord_2", "price_1", 1)));
        assertEquals(List.of("FAILED | API_ERROR"), database.rows(
                "SELECT status, error_code FROM checkout_attempt WHERE order_id = 'ord_2'"));
        String failedKey = GATEWAY.sessionKeys.get(GATEWAY.sessionKeys.size() - 1);

        CheckoutSessions.Started started = checkouts.start(request("tenant_a", "ord_2", "price_1", 1));
        assertEquals(failedKey, GATEWAY.sessionKeys.get(GATEWAY.sessionKeys.size() - 1));
        assertEquals(List.of("OPEN | null | " + started.sessionId()), database.rows(
                "SELECT status, error_code, session_id FROM checkout_attempt WHERE order_id = 'ord_2'"));
    }

    @Test
    void anExpiredSessionIsNotHandedOutAgain() throws Exception {
        MutableClock clock = new MutableClock(T0);
        CheckoutSessions later = checkouts(clock);
        later.start(request("tenant_c", "ord_3", "price_1", 1));
        clock.advance(Duration.ofHours(25));
        assertThrows(CheckoutSessions.OrderConflictException.class,
                () -> later.start(request("tenant_c", "ord_3", "price_1", 1)));
    }

    @Test
    void requestsAreCheckedBeforeAnythingIsRecorded() {
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(request(" ", "ord_4", "price_1", 1)));
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(request("tenant_a", "ord_4", "price_1", 0)));
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(request("tenant_a", "o".repeat(256),
                "price_1", 1)));
    }
}
