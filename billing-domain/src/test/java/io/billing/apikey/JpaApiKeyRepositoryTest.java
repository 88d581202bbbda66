package io.billing.apikey;

import io.billing.platform.persistence.DataAccess;
import io.billing.tenant.TenantId;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys on PostgreSQL, through the repository and the service the web and the admin use: only a hash is stored,
 * a key is checked against its row on every request (a revocation holds at once), its last use is written at most
 * once a minute, creation and revocation are audited, and the legacy token is one more key while it is configured.
 * Keys are not tenant data (operators manage every tenant's), so no query here takes a tenant.
 */
class JpaApiKeyRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final Set<ApiScope> READ = EnumSet.of(ApiScope.ENTITLEMENTS_READ);

    private final TestDatabase database = TestDatabase.postgres();
    private final DataAccess data = database.dataAccess();
    private final MutableClock clock = new MutableClock(T0);
    private final ApiKeys keys = new ApiKeys(data, clock, Optional.empty());

    @AfterEach
    void drop() {
        database.close();
    }

    private <T> T read(Function<ApiKeyRepository, T> query) {
        return data.read(entityManager -> query.apply(new JpaApiKeyRepository(entityManager)));
    }

    @Test
    void aKeyIsStoredAsTheHashOfItsSecretAndFoundByTheIdItBeginsWith() throws SQLException {
        ApiKey.Issued issued = ApiKey.issue(" saas-app ", EnumSet.of(ApiScope.SESSIONS_CREATE,
                ApiScope.ENTITLEMENTS_READ), TenantId.of("tenant_a"), "dana", T0);
        data.inTransaction(unit -> {
            new JpaApiKeyRepository(unit.entityManager()).add(issued.key());
            return null;
        });
        String secret = issued.secret();
        assertTrue(secret.startsWith(issued.key().id() + "_"), secret);
        assertEquals(Optional.of(issued.key().id()), ApiKey.idOf(secret));
        assertEquals(List.of(issued.key().id() + " | saas-app | entitlements:read sessions:create | tenant_a | dana"),
                database.rows("SELECT key_id, name, scopes, tenant_id, created_by FROM api_key"));
        String stored = database.rows("SELECT secret_hash FROM api_key").get(0);
        assertEquals(hex(secret), stored, "the SHA-256 of the key, nothing else");
        assertFalse(database.rows("SELECT * FROM api_key").toString().contains(secret.substring(20)),
                "the secret is stored nowhere");

        ApiKey found = read(r -> r.find(issued.key().id())).orElseThrow();
        assertTrue(found.matches(secret));
        assertFalse(found.matches(secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A")));
        assertEquals(EnumSet.of(ApiScope.ENTITLEMENTS_READ, ApiScope.SESSIONS_CREATE), found.scopes());
        assertEquals(TenantId.of("tenant_a"), found.tenant());
        assertEquals(T0, found.createdAt());
        assertNull(found.lastUsedAt());
        assertTrue(read(r -> r.find("ak_0000000000000000")).isEmpty());
        assertTrue(ApiKey.idOf("not-a-key").isEmpty());
        assertTrue(ApiKey.idOf(secret + "x").isEmpty());
    }

    @Test
    void keysAreListedNewestFirstWithoutSecretsAndCreationIsAudited() throws SQLException {
        ApiKeys.Issued first = keys.create("first", READ, null, "dana", "rollout");
        clock.advance(Duration.ofMinutes(1));
        ApiKeys.Issued second = keys.create("second", EnumSet.allOf(ApiScope.class), " tenant_b ", "dana", null);

        List<ApiKeys.KeyView> listed = keys.list();
        assertEquals(List.of(second.key().keyId(), first.key().keyId()), listed.stream().map(ApiKeys.KeyView::keyId)
                .toList());
        assertEquals(List.of("entitlements:read", "sessions:create", "tenants:create"), listed.get(0).scopes());
        assertEquals("tenant_b", listed.get(0).tenantId());
        assertNull(listed.get(1).tenantId(), "every tenant");
        assertFalse(listed.toString().contains(first.secret()) || listed.toString().contains(second.secret()));
        assertEquals(List.of("dana | CREATE_API_KEY | " + first.key().keyId()
                        + " | name=first; scopes=entitlements:read; tenant=every tenant | rollout"),
                database.rows("SELECT actor, action, target_id, after_value, reason FROM audit_log"
                        + " WHERE target_id = '" + first.key().keyId() + "'"));
        assertFalse(database.rows("SELECT * FROM audit_log").toString().contains(first.secret()), "no secret audited");

        assertThrows(IllegalArgumentException.class, () -> keys.create(" ", READ, null, "dana", null));
        assertThrows(IllegalArgumentException.class, () -> keys.create("n".repeat(101), READ, null, "dana", null));
        assertThrows(IllegalArgumentException.class, () -> keys.create("none", Set.of(), null, "dana", null));
        assertThrows(IllegalArgumentException.class, () -> ApiScope.parse("entitlements:read billing:everything"));
        assertEquals(2, database.count("SELECT COUNT(*) FROM api_key"), "nothing half-written");
    }

    @Test
    void aKeyIsCheckedAgainstItsRowOnEveryRequestSoARevocationHoldsAtOnce() throws SQLException {
        ApiKeys.Issued issued = keys.create("saas", EnumSet.of(ApiScope.SESSIONS_CREATE), "tenant_a", "dana", null);
        ApiCaller caller = keys.authenticate(issued.secret()).orElseThrow();
        assertEquals(issued.key().keyId(), caller.keyId());
        assertEquals("api-key:" + issued.key().keyId(), caller.actor());
        assertTrue(caller.may(ApiScope.SESSIONS_CREATE));
        assertFalse(caller.may(ApiScope.ENTITLEMENTS_READ));
        assertTrue(caller.mayActFor(TenantId.of("tenant_a")));
        assertFalse(caller.mayActFor(TenantId.of("tenant_b")));

        String wrongSecret = issued.key().keyId() + "_" + "A".repeat(43);
        assertTrue(keys.authenticate(wrongSecret).isEmpty(), "the right id with another secret");
        assertTrue(keys.authenticate("ak_0123456789abcdef_" + "A".repeat(43)).isEmpty(), "no such key");
        assertTrue(keys.authenticate("Bearer whatever").isEmpty());
        assertTrue(keys.authenticate("").isEmpty());

        assertEquals("dana", keys.revoke(issued.key().keyId(), "dana", "leaked").orElseThrow().revokedBy());
        assertTrue(keys.authenticate(issued.secret()).isEmpty(), "refused from the revocation on");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(T0, keys.revoke(issued.key().keyId(), "erin", "again").orElseThrow().revokedAt(),
                "a second revocation changes nothing");
        assertTrue(keys.revoke("ak_0123456789abcdef", "dana", null).isEmpty());
        assertEquals(List.of("dana | REVOKE_API_KEY | revoked | leaked"), database.rows(
                "SELECT actor, action, after_value, reason FROM audit_log WHERE action = 'REVOKE_API_KEY'"));
    }

    @Test
    void aKeysUseIsRecordedAtMostOnceAMinute() throws SQLException {
        ApiKeys.Issued issued = keys.create("saas", READ, null, "dana", null);
        String keyId = issued.key().keyId();
        keys.authenticate(issued.secret());
        assertEquals(T0, keys.find(keyId).orElseThrow().lastUsedAt());
        clock.advance(Duration.ofSeconds(59));
        keys.authenticate(issued.secret());
        assertEquals(T0, keys.find(keyId).orElseThrow().lastUsedAt(), "a recent use is not written again");
        clock.advance(Duration.ofSeconds(2));
        keys.authenticate(issued.secret());
        assertEquals(T0.plusSeconds(61), keys.find(keyId).orElseThrow().lastUsedAt());

        // Another node recorded a use a moment ago: this node's write, decided on an older read, changes nothing.
        Instant recent = T0.plusSeconds(200);
        assertTrue(recordUse(keyId, recent, recent.minus(ApiKeys.LAST_USE_PRECISION)));
        assertFalse(recordUse(keyId, recent.plusSeconds(1), recent.plusSeconds(1).minus(ApiKeys.LAST_USE_PRECISION)));
        assertEquals(recent, keys.find(keyId).orElseThrow().lastUsedAt());

        // A revocation committed between a use's read and its write stays.
        keys.revoke(keyId, "dana", null);
        assertTrue(recordUse(keyId, recent.plusSeconds(120), recent.plusSeconds(60)));
        assertTrue(keys.find(keyId).orElseThrow().revokedAt() != null);
    }

    @Test
    void theLegacyTokenIsOneMoreKeyWithEveryScopeForEveryTenant() throws SQLException {
        ApiKeys withLegacy = new ApiKeys(data, clock, Optional.of(" legacy-token-of-forty-characters-or-so "));
        assertTrue(withLegacy.legacyTokenConfigured());
        ApiCaller legacy = withLegacy.authenticate("legacy-token-of-forty-characters-or-so").orElseThrow();
        assertEquals(ApiCaller.LEGACY_KEY_ID, legacy.keyId());
        assertEquals(EnumSet.allOf(ApiScope.class), legacy.scopes());
        assertTrue(legacy.mayActFor(TenantId.of("tenant_anyone")));
        assertTrue(withLegacy.authenticate("legacy-token-of-forty-characters-or-s").isEmpty());
        assertTrue(keys.authenticate("legacy-token-of-forty-characters-or-so").isEmpty(), "not without the setting");
        assertFalse(new ApiKeys(data, clock, Optional.of("  ")).legacyTokenConfigured(), "blank is none");
        assertEquals(0, database.count("SELECT COUNT(*) FROM api_key"), "the legacy token is never stored");
    }

    @Test
    void theEmbeddedH2KeepsKeysTheSameWay() throws SQLException {
        try (TestDatabase h2 = TestDatabase.h2()) {
            ApiKeys onH2 = new ApiKeys(h2.dataAccess(), clock, Optional.empty());
            ApiKeys.Issued issued = onH2.create("saas", READ, "tenant_a", "dana", null);
            assertEquals(issued.key().keyId(), onH2.authenticate(issued.secret()).orElseThrow().keyId());
            assertEquals(T0, onH2.find(issued.key().keyId()).orElseThrow().lastUsedAt());
            clock.advance(Duration.ofSeconds(30));
            onH2.authenticate(issued.secret());
            assertEquals(T0, onH2.find(issued.key().keyId()).orElseThrow().lastUsedAt());
            onH2.revoke(issued.key().keyId(), "dana", null);
            assertTrue(onH2.authenticate(issued.secret()).isEmpty());
            assertEquals(List.of("CREATE_API_KEY", "REVOKE_API_KEY"),
                    h2.rows("SELECT action FROM audit_log ORDER BY audit_id"));
        }
    }

    private boolean recordUse(String keyId, Instant now, Instant staleBefore) throws SQLException {
        return data.<Boolean>inTransaction(unit -> new JpaApiKeyRepository(unit.entityManager())
                .recordUse(keyId, now, staleBefore));
    }

    private static String hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
