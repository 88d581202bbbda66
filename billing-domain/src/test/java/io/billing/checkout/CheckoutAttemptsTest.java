package io.billing.checkout;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.tenant.TenantId;
import io.billing.testsupport.TestDatabase;
import jakarta.persistence.OptimisticLockException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkout attempts' repository on PostgreSQL: one attempt per tenant and order, another tenant's never found,
 * and the first of two concurrent settlements kept.
 */
class CheckoutAttemptsTest {

    private static final TenantId A = TenantId.of("tenant_a");
    private static final TenantId B = TenantId.of("tenant_b");
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static TestDatabase database;
    private static DataAccess data;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
        data = database.dataAccess();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static CheckoutAttempt addOrFind(TenantId tenant, String order, String price) throws Exception {
        return data.inTransaction(unit -> CheckoutAttempts.of(unit.entityManager()).addOrFindForOrder(
                CheckoutAttempt.start(tenant, order, price, 1, CheckoutSessions.Mode.PAYMENT, T0)));
    }

    @Test
    void anOrderHasOneAttemptPerTenant() throws Exception {
        CheckoutAttempt first = addOrFind(A, "ord_1", "price_1");
        assertEquals(CheckoutAttempt.Status.CREATING, first.status());
        CheckoutAttempt again = addOrFind(A, "ord_1", "price_other");
        assertEquals(first.attemptId(), again.attemptId());
        assertEquals("price_1", again.priceId(), "the first request's terms stand");
        CheckoutAttempt ofB = addOrFind(B, "ord_1", "price_2");
        assertNotEquals(first.attemptId(), ofB.attemptId());
        assertEquals(List.of("tenant_a | ord_1 | price_1", "tenant_b | ord_1 | price_2"), database.rows(
                "SELECT tenant_id, order_id, price_id FROM checkout_attempt WHERE order_id = 'ord_1' ORDER BY tenant_id"));
    }

    @Test
    void aTenantNeverFindsAnothersAttempt() throws Exception {
        CheckoutAttempt ofA = addOrFind(A, "ord_only_a", "price_1");
        data.read(entityManager -> {
            CheckoutAttempts attempts = CheckoutAttempts.of(entityManager);
            assertEquals(ofA.attemptId(), attempts.findByOrder(A, "ord_only_a").orElseThrow().attemptId());
            assertTrue(attempts.findByOrder(B, "ord_only_a").isEmpty());
            assertEquals("ord_only_a", attempts.find(A, ofA.attemptId()).orElseThrow().orderId());
            assertTrue(attempts.find(B, ofA.attemptId()).isEmpty());
            return null;
        });
    }

    @Test
    void manyAttemptsAreFoundByIdOrOrderWithinTheirTenantOnly() throws Exception {
        CheckoutAttempt first = addOrFind(A, "ord_many_1", "price_1");
        CheckoutAttempt second = addOrFind(A, "ord_many_2", "price_1");
        CheckoutAttempt ofB = addOrFind(B, "ord_many_3", "price_1");
        data.read(entityManager -> {
            CheckoutAttempts attempts = CheckoutAttempts.of(entityManager);
            List<String> found = attempts.findByIdsOrOrders(A, List.of(first.attemptId(), ofB.attemptId()),
                    List.of("ord_many_2", "ord_many_3", "ord_many_1")).stream().map(CheckoutAttempt::attemptId).toList();
            assertEquals(2, found.size(), "each once: " + found);
            assertEquals(Set.of(first.attemptId(), second.attemptId()), Set.copyOf(found),
                    "by id and by order, none of tenant_b's");
            assertEquals(List.of(ofB.attemptId()), attempts.findByIdsOrOrders(B, List.of(), List.of("ord_many_3",
                    "ord_many_1")).stream().map(CheckoutAttempt::attemptId).toList());
            assertEquals(List.of(), attempts.findByIdsOrOrders(B, List.of(first.attemptId()), List.of()));
            assertEquals(List.of(), attempts.findByIdsOrOrders(A, List.of(), List.of()));
            return null;
        });
    }

    @Test
    void ofTwoRequestsSettlingOneAttemptTheFirstOutcomeStands() throws Exception {
        CheckoutAttempt attempt = addOrFind(A, "ord_race", "price_1");
        try (UnitOfWork opening = data.begin(); UnitOfWork failing = data.begin()) {
            CheckoutAttempts.of(opening.entityManager()).find(A, attempt.attemptId()).orElseThrow()
                    .opened("cs_1", "https://checkout.stripe.com/c/cs_1", T0.plusSeconds(3600), "cus_a", T0);
            CheckoutAttempts.of(failing.entityManager()).find(A, attempt.attemptId()).orElseThrow()
                    .failed("api_error", true, T0);
            opening.commit();
            assertThrows(OptimisticLockException.class, failing::flush);
        }
        assertEquals(List.of("OPEN | cs_1 | null"), database.rows("SELECT status, session_id, error_code"
                + " FROM checkout_attempt WHERE order_id = 'ord_race'"));
    }

    @Test
    void aRetryAfterStripeAnsweredAnErrorAsksUnderANewKeyAndOneAfterNoAnswerUnderTheSame() {
        CheckoutAttempt attempt = CheckoutAttempt.start(A, "ord_k", "price_1", 1, CheckoutSessions.Mode.PAYMENT, T0);
        String first = attempt.idempotencyKey();
        assertEquals("checkout-" + attempt.attemptId(), first);
        attempt.failed("CONNECTION", false, T0);
        assertEquals(first, attempt.idempotencyKey(), "no answer: Stripe may have made the session, ask again");
        attempt.failed("api_error", true, T0);
        assertEquals(first + "-1", attempt.idempotencyKey(), "Stripe keeps its error under the first key");
        attempt.failed("api_error", true, T0);
        assertEquals(first + "-2", attempt.idempotencyKey());
        attempt.opened("cs_k", "https://checkout.stripe.com/c/cs_k", T0.plusSeconds(60), "cus_a", T0);
        attempt.failed("api_error", true, T0);
        assertEquals(first + "-2", attempt.idempotencyKey(), "an opened attempt asks no more");
    }

    @Test
    void aSessionsEventsOnlyMoveItsAttemptForward() {
        CheckoutAttempt attempt = CheckoutAttempt.start(A, "ord_s", "price_1", 1, CheckoutSessions.Mode.PAYMENT, T0);
        attempt.failed("CONNECTION", false, T0);
        // Stripe made the session although its answer never came: the session's event names it.
        assertTrue(attempt.sessionProgressed(CheckoutAttempt.Status.PAYMENT_PENDING, "cs_s", T0.plusSeconds(5), T0));
        assertEquals("cs_s", attempt.sessionId());
        assertTrue(attempt.sessionProgressed(CheckoutAttempt.Status.COMPLETED, "cs_s", T0.plusSeconds(9), T0));
        assertFalse(attempt.sessionProgressed(CheckoutAttempt.Status.PAYMENT_PENDING, "cs_s", T0.plusSeconds(5), T0));
        assertFalse(attempt.sessionProgressed(CheckoutAttempt.Status.EXPIRED, "cs_s", T0.plusSeconds(99), T0));
        assertEquals(CheckoutAttempt.Status.COMPLETED, attempt.status());
        assertEquals(T0.plusSeconds(9), attempt.settledAt());
    }

    @Test
    void anOpenedAttemptIsNotMarkedFailedAfterwards() {
        CheckoutAttempt attempt = CheckoutAttempt.start(A, "ord_x", "price_1", 2, CheckoutSessions.Mode.SUBSCRIPTION,
                T0);
        attempt.opened("cs_x", "https://checkout.stripe.com/c/cs_x", T0.plusSeconds(60), "cus_a", T0);
        attempt.failed("api_error", true, T0.plusSeconds(1));
        assertEquals(CheckoutAttempt.Status.OPEN, attempt.status());
        assertTrue(attempt.expiredAt(T0.plusSeconds(60)));
        assertTrue(attempt.hasTerms("price_1", 2, CheckoutSessions.Mode.SUBSCRIPTION));
        assertThrows(IllegalArgumentException.class, () -> CheckoutAttempt.start(A, "ord_y", "price_1", 0,
                CheckoutSessions.Mode.PAYMENT, T0));
        assertThrows(IllegalArgumentException.class, () -> CheckoutAttempt.start(A, " ", "price_1", 1,
                CheckoutSessions.Mode.PAYMENT, T0));
    }
}
