package io.billing.processing;

import io.billing.entitlement.Entitlements;
import io.billing.entitlement.Licences;
import io.billing.entitlement.PlanCatalogue;
import io.billing.tenant.TenantId;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.testsupport.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What acme may use at points of its story, whatever order the story arrived in. */
class EntitlementsTest {

    static final String CATALOGUE = "prod_PRO=api_access,advanced_reports;"
            + "prod_BUSINESS=api_access,advanced_reports,sso,priority_support;prod_ANALYTICS=analytics";

    private static final TenantId ACME = TenantId.of("tenant_acme");

    private EngineHarness harness;
    private ProcessingEngine engine;
    private Entitlements entitlements;

    @BeforeEach
    void start() throws Exception {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine("node-a");
        assertEquals(7, PlanCatalogue.parse(CATALOGUE).seedIfEmpty(harness.database.dataAccess()));
        assertEquals(0, PlanCatalogue.parse("prod_PRO=other").seedIfEmpty(harness.database.dataAccess()),
                "seeded once: later configuration does not overwrite what is in the table");
        entitlements = new Entitlements(harness.database.dataAccess(), harness.clock, Duration.ofDays(3));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<String> featuresAt(String instant) throws Exception {
        harness.clock.advance(Duration.between(harness.clock.instant(), Instant.parse(instant)));
        return entitlements.current(ACME).stream().map(f -> f.feature() + " until " + f.until()).toList();
    }

    private void deliver(List<Fixture> events) throws Exception {
        for (Fixture event : events) {
            harness.deliver(event);
        }
        engine.drain();
    }

    private static List<Fixture> acmeUpTo(int last) {
        return StripeFixtures.all().stream().filter(f -> f.name().startsWith("acme/"))
                .filter(f -> Integer.parseInt(f.name().substring(5, 7)) <= last).toList();
    }

    @Test
    void proThenBusinessThenNothingAfterTheCancellation() throws Exception {
        harness.clock.advance(Duration.between(harness.clock.instant(), Instant.parse("2026-08-01T00:00:00Z")));
        deliver(acmeUpTo(13));
        assertEquals(List.of("advanced_reports until 2026-09-06T14:02:31Z", "api_access until 2026-09-06T14:02:31Z"),
                featuresAt("2026-08-20T00:00:00Z"), "Pro until the period end plus 3 days; unpaid orders grant nothing");

        deliver(acmeUpTo(27));
        assertEquals(List.of("advanced_reports until 2026-10-06T14:02:31Z", "api_access until 2026-10-06T14:02:31Z"),
                featuresAt("2026-09-16T00:00:00Z"), "the paid renewal (#27) extends Pro to its period's end");

        deliver(acmeUpTo(29));
        assertEquals(List.of("advanced_reports until 2026-10-06T14:02:31Z", "api_access until 2026-10-06T14:02:31Z",
                        "priority_support until 2026-10-06T14:02:31Z", "sso until 2026-10-06T14:02:31Z"),
                featuresAt("2026-09-16T00:00:00Z"), "upgraded to Business at once; the add-on's trial is over");

        deliver(acmeUpTo(34));
        assertEquals(List.of(), featuresAt("2026-10-07T00:00:00Z"), "canceled: revoked");
    }

    @Test
    void licencesAreIssuedOnGrantExtendedOnRenewalRevokedOnCancellationAndOneTimeOrdersNeverExpire()
            throws Exception {
        Licences licences = new Licences(harness.database.dataAccess(), harness.clock, Duration.ofDays(3),
                TestSecrets.licenceKeys());
        harness.clock.advance(Duration.between(harness.clock.instant(), Instant.parse("2026-08-20T00:00:00Z")));
        deliver(acmeUpTo(13));
        List<Licences.Licence> issued = licences.of(ACME);
        Licences.Licence pro = issued.stream().filter(l -> "sub_TEST1".equals(l.subscriptionId())).findFirst().orElseThrow();
        assertEquals("prod_PRO", pro.product());
        assertEquals(Instant.parse("2026-09-06T14:02:31Z"), pro.validUntil());
        assertEquals(Licences.Status.ACTIVE, pro.status());
        assertEquals(List.of("ord_1002 no expiry"), issued.stream().filter(l -> l.orderId() != null)
                .map(l -> l.orderId() + (l.validUntil() == null ? " no expiry" : "")).toList(),
                "the paid one-time order; ord_1003 is still unpaid at #13");

        deliver(acmeUpTo(27));
        Licences.Licence sameLicence = licences.of(ACME).stream()
                .filter(l -> "sub_TEST1".equals(l.subscriptionId())).findFirst().orElseThrow();
        assertEquals(pro.key(), sameLicence.key(), "the same licence all along, never re-issued");

        deliver(acmeUpTo(29));
        Licences.Licence business = licences.of(ACME).stream()
                .filter(l -> "sub_TEST1".equals(l.subscriptionId())).findFirst().orElseThrow();
        assertEquals("prod_BUSINESS", business.product(), "the plan change switches the licence's product");
        assertEquals(Instant.parse("2026-10-06T14:02:31Z"), business.validUntil(), "extended by the renewal");

        deliver(acmeUpTo(34));
        Licences.Licence revoked = licences.of(ACME).stream()
                .filter(l -> "sub_TEST1".equals(l.subscriptionId())).findFirst().orElseThrow();
        assertEquals(Licences.Status.REVOKED, revoked.status());
        assertEquals(Instant.parse("2026-10-06T09:15:00Z"), revoked.validUntil());
        assertEquals(2, licences.of(ACME).stream().filter(l -> l.orderId() != null).count(),
                "ord_1002 and ord_1003 (paid later); the failed and expired orders got none");
    }

    @Test
    void theSameAnswerWhateverTheDeliveryOrder() throws Exception {
        List<Fixture> reversed = new ArrayList<>(acmeUpTo(29));
        Collections.reverse(reversed);
        deliver(reversed);
        assertEquals(4, featuresAt("2026-09-16T00:00:00Z").size());
        List<Fixture> rest = new ArrayList<>(acmeUpTo(34).subList(29, 34));
        Collections.shuffle(rest, new Random(3));
        deliver(rest);
        assertEquals(List.of(), featuresAt("2026-10-07T00:00:00Z"));
    }

    @Test
    void pastDueKeepsAccessUntilTheGraceEndsAndATrialLastsUntilItEnds() throws Exception {
        Fixture updated = StripeFixtures.get("acme/28_customer.subscription.updated.json");
        byte[] pastDue = new String(updated.body(), StandardCharsets.UTF_8)
                .replaceFirst("\"status\": \"active\"", "\"status\": \"past_due\"").getBytes(StandardCharsets.UTF_8);
        harness.deliver(StripeFixtures.get("acme/03_customer.created.json"));
        harness.deliver(pastDue);
        harness.deliver(StripeFixtures.get("acme/24_customer.subscription.trial_will_end.json"));
        engine.drain();
        assertEquals(List.of("sub_TEST1 | past_due", "sub_TEST1_ADDON | trialing"),
                harness.rows("SELECT subscription_id, status FROM subscription ORDER BY subscription_id"));
        assertEquals(List.of("advanced_reports", "analytics", "api_access", "priority_support", "sso"),
                featuresAt("2026-09-05T00:00:00Z").stream().map(f -> f.split(" ")[0]).toList(),
                "past due within its period, and the add-on in its trial");
        assertEquals(4, featuresAt("2026-10-05T00:00:00Z").size(), "past due, inside the 3-day grace");
        assertEquals(List.of(), featuresAt("2026-10-06T14:02:32Z"), "grace over");
    }
}
