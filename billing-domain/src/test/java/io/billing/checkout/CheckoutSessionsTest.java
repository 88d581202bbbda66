package io.billing.checkout;

import io.billing.catalogue.CataloguePrice;
import io.billing.catalogue.CatalogueProduct;
import io.billing.catalogue.JpaCataloguePriceRepository;
import io.billing.catalogue.JpaCatalogueProductRepository;
import io.billing.stripe.api.StripeApiException;
import io.billing.stripe.api.StripeGateway;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.tenant.JpaTenantRepository;
import io.billing.tenant.TenantId;
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

/**
 * Checkouts on PostgreSQL against a scripted gateway: one attempt and one Stripe session per tenant and order; only
 * the catalogue's active prices, for registered tenants (or ones the request registers); portal sessions audited.
 */
class CheckoutSessionsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final String ACTOR = "api-key:ak_test";

    /** Records every call; fails the next session creations when told to. */
    private static final class ScriptedGateway implements StripeGateway {
        final List<String> sessionKeys = new ArrayList<>();
        final List<CheckoutRequest> sessionRequests = new ArrayList<>();
        int customersCreated;
        int failures;
        StripeApiException.Kind failureKind = StripeApiException.Kind.API_ERROR;

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
                throw failureKind == StripeApiException.Kind.CONNECTION
                        ? new StripeApiException(StripeApiException.Kind.CONNECTION, null, null, null,
                                "Read timed out", null)
                        : new StripeApiException(StripeApiException.Kind.API_ERROR, 500, null, "req_1", "Stripe failed",
                                null);
            }
            String id = "cs_" + idempotencyKey.substring("checkout-".length()).replace('-', '_');
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
    static void open() throws Exception {
        database = TestDatabase.postgres();
        checkouts = checkouts(new MutableClock(T0));
        database.dataAccess().inTransaction(unit -> {
            JpaCatalogueProductRepository products = new JpaCatalogueProductRepository(unit.entityManager());
            products.add(product("prod_1", true));
            products.add(product("prod_ARCHIVED", false));
            JpaCataloguePriceRepository prices = new JpaCataloguePriceRepository(unit.entityManager());
            prices.add(price("price_1", "prod_1", "usd", null, true));
            prices.add(price("price_MONTHLY", "prod_1", "usd", "month", true));
            prices.add(price("price_OLD", "prod_1", "usd", null, false));
            prices.add(price("price_OF_ARCHIVED", "prod_ARCHIVED", "usd", null, true));
            prices.add(price("price_MULTI_USD", "prod_MULTI", "usd", null, true));
            prices.add(price("price_MULTI_EUR", "prod_MULTI", "eur", null, true));
            JpaTenantRepository tenants = new JpaTenantRepository(unit.entityManager());
            for (String tenant : List.of("tenant_a", "tenant_b", "tenant_c", "tenant_d")) {
                tenants.register(TenantId.of(tenant), T0);
            }
            return null;
        });
    }

    private static CatalogueProduct product(String id, boolean active) {
        return CatalogueProduct.of(id, new CatalogueProduct.Snapshot(id, active, false, null, false),
                new SnapshotVersion(T0, 0, "evt_" + id));
    }

    private static CataloguePrice price(String id, String product, String currency, String interval, boolean active) {
        return CataloguePrice.of(id, new CataloguePrice.Snapshot(product, currency, 4900L, interval,
                interval == null ? null : 1, active, false, false), new SnapshotVersion(T0, 0, "evt_" + id));
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
        return new CheckoutSessions.Request(tenant, order, price, null, quantity, CheckoutSessions.Mode.PAYMENT, null,
                false);
    }

    @Test
    void aRepeatedRequestGetsTheSameSessionWithoutAskingStripeAgain() throws Exception {
        CheckoutSessions.Started first = checkouts.start(request("tenant_a", "ord_1", "price_1", 2), ACTOR);
        int calls = GATEWAY.sessionKeys.size();
        assertFalse(first.reused());
        assertEquals("checkout-" + first.attemptId(), GATEWAY.sessionKeys.get(calls - 1));
        assertEquals(first.attemptId(), GATEWAY.sessionRequests.get(calls - 1).metadata().get("checkout_attempt_id"));
        assertEquals("cus_tenant_a", first.customerId());

        CheckoutSessions.Started again = checkouts.start(request("tenant_a", "ord_1", "price_1", 2), ACTOR);
        assertTrue(again.reused());
        assertEquals(first.sessionId(), again.sessionId());
        assertEquals(first.url(), again.url());
        assertEquals(calls, GATEWAY.sessionKeys.size(), "no second call");
        assertEquals(List.of("OPEN | " + first.sessionId() + " | cus_tenant_a"), database.rows(
                "SELECT status, session_id, customer_id FROM checkout_attempt WHERE order_id = 'ord_1'"));

        assertThrows(CheckoutSessions.OrderConflictException.class,
                () -> checkouts.start(request("tenant_a", "ord_1", "price_1", 3), ACTOR), "other terms, same order");
        CheckoutSessions.Started ofB = checkouts.start(request("tenant_b", "ord_1", "price_1", 3), ACTOR);
        assertNotEquals(first.attemptId(), ofB.attemptId(), "another tenant's order of the same id is its own");
    }

    @Test
    void aRequestRetriedAfterStripesErrorAsksUnderANewKeyForStripeKeepsItsErrorUnderTheOld() throws Exception {
        GATEWAY.failures = 1;
        GATEWAY.failureKind = StripeApiException.Kind.API_ERROR;
        assertThrows(StripeApiException.class, () -> checkouts.start(request("tenant_a", "ord_2", "price_1", 1),
                ACTOR));
        assertEquals(List.of("FAILED | API_ERROR | 1"), database.rows(
                "SELECT status, error_code, key_generation FROM checkout_attempt WHERE order_id = 'ord_2'"));
        String failedKey = GATEWAY.sessionKeys.get(GATEWAY.sessionKeys.size() - 1);

        CheckoutSessions.Started started = checkouts.start(request("tenant_a", "ord_2", "price_1", 1), ACTOR);
        assertEquals(failedKey + "-1", GATEWAY.sessionKeys.get(GATEWAY.sessionKeys.size() - 1));
        assertEquals(List.of("OPEN | null | " + started.sessionId()), database.rows(
                "SELECT status, error_code, session_id FROM checkout_attempt WHERE order_id = 'ord_2'"));
    }

    @Test
    void aRequestRetriedAfterNoAnswerAsksUnderTheSameKeySoThatStripeReturnsASessionItMadeMeanwhile()
            throws Exception {
        GATEWAY.failures = 1;
        GATEWAY.failureKind = StripeApiException.Kind.CONNECTION;
        assertThrows(StripeApiException.class, () -> checkouts.start(request("tenant_a", "ord_6", "price_1", 1),
                ACTOR));
        assertEquals(List.of("FAILED | CONNECTION | 0"), database.rows(
                "SELECT status, error_code, key_generation FROM checkout_attempt WHERE order_id = 'ord_6'"));
        String unansweredKey = GATEWAY.sessionKeys.get(GATEWAY.sessionKeys.size() - 1);

        checkouts.start(request("tenant_a", "ord_6", "price_1", 1), ACTOR);
        assertEquals(unansweredKey, GATEWAY.sessionKeys.get(GATEWAY.sessionKeys.size() - 1));
    }

    @Test
    void anExpiredSessionIsNotHandedOutAgain() throws Exception {
        MutableClock clock = new MutableClock(T0);
        CheckoutSessions later = checkouts(clock);
        later.start(request("tenant_c", "ord_3", "price_1", 1), ACTOR);
        clock.advance(Duration.ofHours(25));
        assertThrows(CheckoutSessions.OrderConflictException.class,
                () -> later.start(request("tenant_c", "ord_3", "price_1", 1), ACTOR));
    }

    @Test
    void requestsAreCheckedBeforeAnythingIsRecorded() {
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(request(" ", "ord_4", "price_1", 1),
                ACTOR));
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(request("tenant_a", "ord_4", "price_1", 0),
                ACTOR));
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(request("tenant_a", "o".repeat(256),
                "price_1", 1), ACTOR));
    }

    /** The refusal's code; fails if the request was not refused. */
    private static String refusal(CheckoutSessions.Request request) {
        return assertThrows(CheckoutSessions.RefusedException.class, () -> checkouts.start(request, ACTOR)).code();
    }

    private static CheckoutSessions.Request sale(String order, String price, String plan, CheckoutSessions.Mode mode,
                                                 String currency) {
        return new CheckoutSessions.Request("tenant_d", order, price, plan, 1, mode, currency, false);
    }

    @Test
    void onlyTheCataloguesActivePricesOfTheModeAndCurrencyAreSoldAndARefusalRecordsNothing() throws Exception {
        int calls = GATEWAY.sessionKeys.size();
        CheckoutSessions.Mode payment = CheckoutSessions.Mode.PAYMENT;
        assertEquals("price_not_in_catalogue", refusal(sale("ord_forged", "price_FORGED", null, payment, null)));
        assertEquals("price_inactive", refusal(sale("ord_old", "price_OLD", null, payment, null)));
        assertEquals("price_inactive", refusal(sale("ord_archived", "price_OF_ARCHIVED", null, payment, null)),
                "an active price of an archived product");
        assertEquals("price_not_for_mode", refusal(sale("ord_mode", "price_MONTHLY", null, payment, null)));
        assertEquals("price_not_for_mode", refusal(sale("ord_mode2", "price_1", null,
                CheckoutSessions.Mode.SUBSCRIPTION, null)));
        assertEquals("currency_not_offered", refusal(sale("ord_eur", "price_1", null, payment, "EUR")));
        assertEquals("plan_price_ambiguous", refusal(sale("ord_multi", null, "prod_MULTI", payment, null)));
        assertEquals("currency_not_offered", refusal(sale("ord_gbp", null, "prod_MULTI", payment, "gbp")));
        assertEquals("plan_not_offered", refusal(sale("ord_none", null, "prod_NOTHING", payment, null)));
        assertEquals("price_inactive", refusal(sale("ord_arch_plan", null, "prod_ARCHIVED", payment, null)));
        assertThrows(IllegalArgumentException.class, () -> checkouts.start(sale("ord_bad", "price_1", null, payment,
                "dollars"), ACTOR));
        assertEquals(calls, GATEWAY.sessionKeys.size(), "Stripe was never asked");
        assertEquals(0, database.count("SELECT COUNT(*) FROM checkout_attempt WHERE tenant_id = 'tenant_d'"));

        CheckoutSessions.Started inEuros = checkouts.start(sale("ord_multi_eur", null, "prod_MULTI", payment, "EUR"),
                ACTOR);
        assertEquals("price_MULTI_EUR", GATEWAY.sessionRequests.get(GATEWAY.sessionRequests.size() - 1).priceId());
        assertEquals(List.of("price_MULTI_EUR"), database.rows("SELECT price_id FROM checkout_attempt"
                + " WHERE attempt_id = '" + inEuros.attemptId() + "'"));
        checkouts.start(sale("ord_monthly", "price_MONTHLY", null, CheckoutSessions.Mode.SUBSCRIPTION, "usd"), ACTOR);
        assertEquals(calls + 2, GATEWAY.sessionKeys.size());
    }

    @Test
    void anUnknownTenantIsRefusedUnlessTheRequestRegistersItWhichIsAudited() throws Exception {
        int calls = GATEWAY.sessionKeys.size();
        CheckoutSessions.Request unknown = request("tenant_new", "ord_n1", "price_1", 1);
        assertEquals("tenant_not_found", refusal(unknown));
        assertEquals(calls, GATEWAY.sessionKeys.size());
        assertEquals(0, database.count("SELECT COUNT(*) FROM tenant WHERE tenant_id = 'tenant_new'"));

        CheckoutSessions.Request registering = new CheckoutSessions.Request("tenant_new", "ord_n1", "price_1", null, 1,
                CheckoutSessions.Mode.PAYMENT, null, true);
        // A forged price in a registering request registers nothing either.
        assertEquals("price_not_in_catalogue", refusal(new CheckoutSessions.Request("tenant_new", "ord_n0",
                "price_FORGED", null, 1, CheckoutSessions.Mode.PAYMENT, null, true)));
        assertEquals(0, database.count("SELECT COUNT(*) FROM tenant WHERE tenant_id = 'tenant_new'"));

        checkouts.start(registering, ACTOR);
        checkouts.start(new CheckoutSessions.Request("tenant_new", "ord_n2", "price_1", null, 1,
                CheckoutSessions.Mode.PAYMENT, null, true), ACTOR);
        assertEquals(List.of("ACTIVE"), database.rows("SELECT status FROM tenant WHERE tenant_id = 'tenant_new'"));
        assertEquals(List.of(ACTOR + " | tenant | null | ACTIVE | registered by a checkout of order ord_n1"),
                database.rows("SELECT actor, target_type, before_value, after_value, reason FROM audit_log"
                        + " WHERE action = 'REGISTER_TENANT' AND target_id = 'tenant_new'"),
                "registered once, audited once");
    }

    @Test
    void everyPortalSessionHandedOutIsAuditedWithItsCustomer() throws Exception {
        assertTrue(checkouts.portal("tenant_b_without_customer", ACTOR).isEmpty());
        checkouts.start(request("tenant_c", "ord_portal", "price_1", 1), ACTOR);
        assertEquals("https://billing.stripe.com/p/cus_tenant_c", checkouts.portal("tenant_c", ACTOR).orElseThrow());
        assertEquals(List.of(ACTOR + " | tenant_c | cus_tenant_c"), database.rows("SELECT actor, target_id, after_value"
                + " FROM audit_log WHERE action = 'ISSUE_PORTAL_SESSION'"));
    }
}
