package io.billing.processing;

import io.billing.composition.EventHandlers;
import io.billing.entitlement.LicenceKeys;
import io.billing.entitlement.Licences;
import io.billing.platform.queue.RetryPolicy;
import io.billing.tenant.TenantId;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.testsupport.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Licences issued while keys were an unkeyed SHA-256 of their ids keep those keys, in the built-in licences and at
 * the licence service, once the first start kept them; licences issued afterwards get HMAC keys.
 */
class LicenceKeyContinuityTest {

    private static final TenantId ACME = TenantId.of("tenant_acme");

    private EngineHarness harness;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** The key as it was issued before: the first 80 bits of the SHA-256 of the ids. */
    private static String issuedBefore(String tenant, String source, String subject) throws Exception {
        String hex = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((tenant + "|" + source + "|" + subject).getBytes(StandardCharsets.UTF_8)), 0, 10);
        return "LIC-" + hex.substring(0, 5) + "-" + hex.substring(5, 10) + "-" + hex.substring(10, 15) + "-"
                + hex.substring(15, 20);
    }

    private void deliverAcmeUpTo(ProcessingEngine engine, int first, int last) throws Exception {
        for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
            if (fixture.name().startsWith("acme/")) {
                int number = Integer.parseInt(fixture.name().substring(5, 7));
                if (number >= first && number <= last) {
                    harness.deliver(fixture);
                }
            }
        }
        engine.drain();
    }

    private String keyOf(Licences licences, String product) throws Exception {
        return licences.of(ACME).stream().filter(l -> product.equals(l.product())).findFirst().orElseThrow().key();
    }

    @Test
    void licencesIssuedBeforeKeepTheirKeysAndNewOnesAreKeyed() throws Exception {
        LicenceKeys keys = TestSecrets.licenceKeys();
        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 2, RetryPolicy.DEFAULT),
                EventHandlers.all(EventHandlers.Switches.none().withEveryConnector(keys)));
        Licences licences = new Licences(harness.database.dataAccess(), harness.clock, Duration.ofDays(3), keys);
        deliverAcmeUpTo(engine, 0, 13); // the Pro subscription and the paid order ord_1002: issued before
        String pro = issuedBefore("tenant_acme", "sub_TEST1", "prod_PRO");
        String order = issuedBefore("tenant_acme", "pi_TEST1_ORD1002", "ord_1002");
        assertEquals(keys.hmac("tenant_acme", "sub_TEST1", "prod_PRO"), keyOf(licences, "prod_PRO"),
                "not kept yet: nothing says the licence was issued before");

        assertEquals(2, licences.keepIssuedKeys(), "the Pro licence and the order's");
        assertEquals(0, licences.keepIssuedKeys(), "kept once");
        assertEquals(pro, keyOf(licences, "prod_PRO"));
        assertEquals(order, keyOf(licences, "ord_1002"));
        assertEquals(1, harness.count("SELECT COUNT(*) FROM licence_key WHERE tenant_id = 'tenant_acme'"
                + " AND source = 'pi_TEST1_ORD1002' AND subject = 'ord_1002' AND licence_key = '" + order + "'"));

        deliverAcmeUpTo(engine, 14, 29); // the Pro renewal (#27), then the upgrade to Business (#29)
        assertEquals(1, harness.count("SELECT COUNT(*) FROM outbox_message WHERE idempotency_key = 'licence-renew:"
                + pro + ":in_TEST1_SUB0002'"), "the licence service renews the key it was given");
        String business = keyOf(licences, "prod_BUSINESS");
        assertEquals(keys.hmac("tenant_acme", "sub_TEST1", "prod_BUSINESS"), business, "issued after: keyed");
        assertNotEquals(issuedBefore("tenant_acme", "sub_TEST1", "prod_BUSINESS"), business);

        deliverAcmeUpTo(engine, 30, 99); // among them the payment of the order ord_1003: issued after
        String laterOrder = keyOf(licences, "ord_1003");
        assertEquals(keys.hmac("tenant_acme", "pi_TEST1_ORD1003", "ord_1003"), laterOrder);
        List<String> created = harness.rows("SELECT idempotency_key FROM outbox_message"
                + " WHERE destination = 'licence' AND idempotency_key LIKE 'licence-create:%'");
        assertTrue(created.contains("licence-create:" + laterOrder), "the licence service gets the keyed one: "
                + created);
        assertEquals(order, keyOf(licences, "ord_1002"), "and the order issued before keeps its key");
    }

    @Test
    void rotatingTheSecretKeepsTheKeysIssuedUnderThePreviousOne() throws Exception {
        LicenceKeys before = TestSecrets.licenceKeys();
        Licences licencesBefore = new Licences(harness.database.dataAccess(), harness.clock, Duration.ofDays(3),
                before);
        assertEquals(0, licencesBefore.keepIssuedKeys(), "the first start: nothing issued yet");
        ProcessingEngine engineBefore = harness.engine(EngineHarness.settings("node-a", 2, RetryPolicy.DEFAULT),
                EventHandlers.all(EventHandlers.Switches.none().withEveryConnector(before)));
        deliverAcmeUpTo(engineBefore, 0, 13);
        String pro = keyOf(licencesBefore, "prod_PRO");
        String order = keyOf(licencesBefore, "ord_1002");
        assertEquals(before.hmac("tenant_acme", "sub_TEST1", "prod_PRO"), pro);
        engineBefore.close();

        String newSecret = "the-new-licence-key-secret-0123456789abcdef";
        LicenceKeys rotated = new LicenceKeys(newSecret.getBytes(StandardCharsets.UTF_8))
                .withPrevious(TestSecrets.LICENCE_KEY_SECRET.getBytes(StandardCharsets.UTF_8));
        Licences licences = new Licences(harness.database.dataAccess(), harness.clock, Duration.ofDays(3), rotated);
        assertEquals(2, licences.keepIssuedKeys(), "the start after the rotation keeps what was issued");
        assertEquals(0, licences.keepIssuedKeys(), "once: licences issued from now on are the new secret's");
        assertEquals(pro, keyOf(licences, "prod_PRO"));
        assertEquals(order, keyOf(licences, "ord_1002"));
        assertFalse(harness.rows("SELECT scheme FROM licence_key_kept").toString().contains(newSecret));

        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-b", 2, RetryPolicy.DEFAULT),
                EventHandlers.all(EventHandlers.Switches.none().withEveryConnector(rotated)));
        deliverAcmeUpTo(engine, 14, 99);
        assertEquals(1, harness.count("SELECT COUNT(*) FROM outbox_message WHERE idempotency_key = 'licence-renew:"
                + pro + ":in_TEST1_SUB0002'"), "renewed under the key it was issued with");
        LicenceKeys newOnly = new LicenceKeys(newSecret.getBytes(StandardCharsets.UTF_8));
        assertEquals(newOnly.hmac("tenant_acme", "pi_TEST1_ORD1003", "ord_1003"), keyOf(licences, "ord_1003"),
                "issued after the rotation: the new secret's");
        assertEquals(newOnly.hmac("tenant_acme", "pi_TEST1_ORD1003", "ord_1003"), keyOf(new Licences(
                harness.database.dataAccess(), harness.clock, Duration.ofDays(3), newOnly), "ord_1003"),
                "and stays so once the previous secret is no longer configured");
        assertEquals(newOnly.hmac("tenant_acme", "sub_TEST1", "prod_BUSINESS"), keyOf(licences, "prod_BUSINESS"),
                "the upgrade's licence is issued after the rotation too");
    }
}
