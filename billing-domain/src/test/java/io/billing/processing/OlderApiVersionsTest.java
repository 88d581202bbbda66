package io.billing.processing;

import io.billing.entitlement.Entitlements;
import io.billing.entitlement.Licences;
import io.billing.entitlement.PlanCatalogue;
import io.billing.tenant.TenantId;
import io.billing.testsupport.StripeObjects;
import io.billing.testsupport.TestDatabase;
import io.billing.testsupport.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The story's subscription and its first invoice as an endpoint pinned to {@code 2024-06-20} receives them
 * (before {@code 2025-03-31.basil}: the period at the subscription's top level, the invoice's subscription and
 * payment at its top level), through the whole engine.
 */
class OlderApiVersionsTest {

    private static final String VERSION = "2024-06-20";

    private EngineHarness harness;
    private ProcessingEngine engine;

    @BeforeEach
    void start() throws Exception {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine("node-a");
        PlanCatalogue.parse(EntitlementsTest.CATALOGUE).seedIfEmpty(harness.database.dataAccess());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private void deliverSubscriptionCreated() throws Exception {
        harness.deliver(StripeObjects.event("evt_2024_sub_created", "customer.subscription.created", VERSION,
                1785765754L, StripeObjects.get(VERSION, "subscription.json")));
        engine.drain();
    }

    @Test
    void aSubscriptionOfThe2024ShapeIsStoredWithItsPeriod() throws Exception {
        deliverSubscriptionCreated();
        assertEquals(List.of("sub_TEST1 | tenant_acme | active | 2026-08-03 14:02:31.0 | 2026-09-03 14:02:31.0"),
                harness.rows("SELECT subscription_id, tenant_id, status, current_period_start, current_period_end"
                        + " FROM subscription"));
        assertEquals(List.of("si_TEST1_PRO | price_PRO_MONTHLY | prod_PRO | 1"),
                harness.rows("SELECT item_id, price_id, product_id, quantity FROM subscription_item"));
    }

    @Test
    void itsFeaturesAndLicenceLastUntilThePeriodEndPlusTheGrace() throws Exception {
        deliverSubscriptionCreated();
        harness.clock.advance(Duration.between(harness.clock.instant(), Instant.parse("2026-08-20T00:00:00Z")));
        Duration grace = Duration.ofDays(3);
        TenantId acme = TenantId.of("tenant_acme");
        List<String> features = new Entitlements(harness.database.dataAccess(), harness.clock, grace)
                .current(acme).stream().map(f -> f.feature() + " until " + f.until()).toList();
        assertEquals(List.of("advanced_reports until 2026-09-06T14:02:31Z", "api_access until 2026-09-06T14:02:31Z"),
                features, "Pro until the period end (2026-09-03T14:02:31Z) plus 3 days");
        List<String> licences = new Licences(harness.database.dataAccess(), harness.clock, grace,
                TestSecrets.licenceKeys()).of(acme)
                .stream().map(l -> l.product() + " " + l.status() + " until " + l.validUntil()).toList();
        assertEquals(List.of("prod_PRO ACTIVE until 2026-09-06T14:02:31Z"), licences);
    }

    @Test
    void anInvoiceOfThe2024ShapeRecordsItsPaidPeriodPaymentAndOrder() throws Exception {
        harness.deliver(StripeObjects.event("evt_2024_invoice_paid", "invoice.paid", VERSION, 1785765755L,
                StripeObjects.get(VERSION, "invoice.json")));
        harness.deliver(StripeObjects.event("evt_2024_charge_succeeded", "charge.succeeded", VERSION, 1785765756L,
                StripeObjects.get(VERSION, "charge.json")));
        engine.drain();
        assertEquals(List.of("sub_TEST1 | in_TEST1_SUB0001 | tenant_acme | 2026-09-03 14:02:31.0"),
                harness.rows("SELECT subscription_id, invoice_id, tenant_id, period_end FROM subscription_paid_period"));
        assertEquals(List.of("invoice:in_TEST1_SUB0001 | in_TEST1_SUB0001 | pi_TEST1_SUB0001 | ch_TEST1_SUB0001"
                        + " | sub_TEST1 | ord_1001 | PAID",
                        "payment:pi_TEST1_SUB0001 | in_TEST1_SUB0001 | pi_TEST1_SUB0001 | ch_TEST1_SUB0001"
                        + " | null | null | PAID"),
                harness.rows("SELECT payment_key, invoice_id, payment_intent_id, charge_id, subscription_id, order_id,"
                        + " status FROM reconciliation_record ORDER BY payment_key"));
    }
}
