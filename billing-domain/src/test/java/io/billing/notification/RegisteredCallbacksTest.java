package io.billing.notification;

import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.platform.persistence.DataAccess;
import io.billing.tenant.TenantId;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants' callbacks on PostgreSQL: each found by its own tenant only, registered and removed by operators with
 * the secret shown once and never audited, and what was sent remembered only for the callback it was sent to.
 */
class RegisteredCallbacksTest {

    private static final TenantId A = TenantId.of("tenant_a");
    private static final TenantId B = TenantId.of("tenant_b");
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static TestDatabase database;
    private static DataAccess data;
    private static TenantCallbacks callbacks;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
        data = database.dataAccess();
        callbacks = new TenantCallbacks(data, new MutableClock(T0), false, SecretBox.none(), Destinations.anyAddress());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void aTenantsCallbackIsFoundByItsTenantOnly() throws Exception {
        data.inTransaction(unit -> {
            RegisteredCallbacks.of(unit.entityManager()).add(new TenantCallback(A,
                    URI.create("https://a.example/billing"), "tcbsec_a", T0));
            return null;
        });
        data.inTransaction(unit -> {
            RegisteredCallbacks registered = RegisteredCallbacks.of(unit.entityManager());
            assertEquals("https://a.example/billing", registered.find(A).orElseThrow().url());
            assertTrue(registered.find(B).isEmpty());
            assertTrue(registered.lock(B).isEmpty());
            assertEquals(A, registered.lock(A).orElseThrow().tenant());
            return null;
        });
        assertTrue(callbacks.find("tenant_b").isEmpty());
        assertFalse(callbacks.remove("tenant_b", "ops", "not B's"));
        assertEquals(1, database.count("SELECT COUNT(*) FROM tenant_callback WHERE tenant_id = 'tenant_a'"));
    }

    @Test
    void operatorsRegisterChangeAndRemoveACallbackAndNeverSeeTheSecretAgain() throws Exception {
        String secret = callbacks.register("tenant_c", "https://c.example/hook", "ops", "onboarding");
        assertTrue(secret.startsWith("tcbsec_"));
        TenantCallbacks.Callback shown = callbacks.find("tenant_c").orElseThrow();
        assertEquals(new TenantCallbacks.Callback("tenant_c", "https://c.example/hook", T0), shown);
        assertFalse(shown.toString().contains(secret));

        String changed = callbacks.register("tenant_c", "https://c.example/hook2", "ops", "moved");
        assertNotEquals(secret, changed, "every change comes with a new secret");
        assertEquals(List.of(changed), database.rows("SELECT secret FROM tenant_callback WHERE tenant_id = 'tenant_c'"));
        data.read(entityManager -> {
            TenantCallback callback = RegisteredCallbacks.of(entityManager).find(TenantId.of("tenant_c")).orElseThrow();
            assertFalse(callback.toString().contains(changed));
            return null;
        });

        assertTrue(callbacks.remove("tenant_c", "ops", "offboarding"));
        assertTrue(callbacks.find("tenant_c").isEmpty());
        List<String> audit = database.rows("SELECT action || ' ' || COALESCE(before_value, '-') || ' '"
                + " || COALESCE(after_value, '-') FROM audit_log WHERE target_id = 'tenant_c' ORDER BY audit_id");
        assertEquals(List.of("SET_TENANT_CALLBACK - https://c.example/hook (new secret)",
                "SET_TENANT_CALLBACK https://c.example/hook https://c.example/hook2 (new secret)",
                "REMOVE_TENANT_CALLBACK https://c.example/hook2 -"), audit);
        assertTrue(audit.stream().noneMatch(line -> line.contains(secret) || line.contains(changed)));
    }

    @Test
    void onlyHttpsCallbacksOfAKnownTenantAreRegistered() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> callbacks.register("tenant_d", "http://d.example/", "ops",
                "plain http"));
        assertThrows(IllegalArgumentException.class, () -> callbacks.register("tenant_d", "ftp://d.example/", "ops",
                "not a web hook"));
        assertThrows(IllegalArgumentException.class, () -> callbacks.register(" ", "https://d.example/", "ops", "none"));
        assertTrue(callbacks.find("tenant_d").isEmpty());
    }

    @Test
    void whatWasSentIsRememberedOnlyForTheCallbackItWasSentTo() throws Exception {
        callbacks.register("tenant_e", "https://e.example/hook", "ops", "onboarding");
        long sentTo = data.read(entityManager -> RegisteredCallbacks.of(entityManager).find(TenantId.of("tenant_e"))
                .orElseThrow().version());
        assertTrue(TenantCallbacks.rememberSent(data, TenantId.of("tenant_e"), sentTo, "[\"pro\"]"));
        assertEquals(List.of("[\"pro\"]"), database.rows(
                "SELECT last_entitlements FROM tenant_callback WHERE tenant_id = 'tenant_e'"));

        long before = data.read(entityManager -> RegisteredCallbacks.of(entityManager).find(TenantId.of("tenant_e"))
                .orElseThrow().version());
        callbacks.register("tenant_e", "https://e.example/new", "ops", "moved");
        assertFalse(TenantCallbacks.rememberSent(data, TenantId.of("tenant_e"), before, "[\"pro\",\"team\"]"),
                "sent to the old endpoint while it was changed");
        data.read(entityManager -> {
            assertNull(RegisteredCallbacks.of(entityManager).find(TenantId.of("tenant_e")).orElseThrow()
                    .lastEntitlements(), "the new endpoint has been sent nothing");
            return null;
        });
        assertFalse(TenantCallbacks.rememberSent(data, TenantId.of("tenant_f"), 1, "[]"), "no callback, nothing kept");
    }
}
