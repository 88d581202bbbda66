package io.billing.entitlement;

import io.billing.platform.crypto.SecretBox;
import io.billing.platform.persistence.DataAccess;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Licence keys under the service's secret: configured, or generated once and kept for every node. */
class LicenceKeysTest {

    private static final String SECRET = "configured-licence-secret-0123456789abcdef";

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

    @BeforeEach
    void noGeneratedSecret() throws Exception {
        database.execute("DELETE FROM service_secret");
    }

    private static SecretBox newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SecretBox.of(key);
    }

    @Test
    void aKeyIsAnHmacOfTheIdsNotTheirPlainHash() {
        LicenceKeys keys = new LicenceKeys(SECRET.getBytes(StandardCharsets.UTF_8));
        String key = keys.hmac("tenant_acme", "sub_TEST1", "prod_PRO");
        assertTrue(key.matches("LIC-[0-9A-F]{5}-[0-9A-F]{5}-[0-9A-F]{5}-[0-9A-F]{5}"), key);
        assertNotEquals(LicenceKeys.legacy("tenant_acme", "sub_TEST1", "prod_PRO"), key);
        assertEquals(key, keys.hmac("tenant_acme", "sub_TEST1", "prod_PRO"), "the same licence, the same key");
        assertNotEquals(key, keys.hmac("tenant_acme", "sub_TEST1", "prod_BUSINESS"));
        assertNotEquals(key, new LicenceKeys((SECRET + "x").getBytes(StandardCharsets.UTF_8))
                .hmac("tenant_acme", "sub_TEST1", "prod_PRO"), "another secret, other keys");
        assertFalse(keys.toString().contains(SECRET));
    }

    @Test
    void aPreviousSecretKeepsItsOwnKeysAndOnlyAFingerprintOfIt() throws Exception {
        String previous = "the-previous-licence-key-secret-0123456789";
        LicenceKeys keys = LicenceKeys.load(data, Optional.of(SECRET), Optional.of(previous), SecretBox.none());
        LicenceKeys before = new LicenceKeys(previous.getBytes(StandardCharsets.UTF_8));
        assertEquals(before.hmac("t", "s", "p"), keys.previousHmac("t", "s", "p"));
        assertEquals(new LicenceKeys(SECRET.getBytes(StandardCharsets.UTF_8)).hmac("t", "s", "p"),
                keys.hmac("t", "s", "p"), "new keys are the current secret's");
        String scheme = keys.previousScheme().orElseThrow();
        assertTrue(scheme.matches("hmac:[0-9a-f]{32}"), scheme);
        assertFalse(scheme.contains(previous));
        assertEquals(scheme, LicenceKeys.load(data, Optional.of(SECRET + "2"), Optional.of(previous),
                SecretBox.none()).previousScheme().orElseThrow(), "the same previous secret, the same fingerprint");
        assertTrue(new LicenceKeys(SECRET.getBytes(StandardCharsets.UTF_8)).previousScheme().isEmpty());
        assertFalse(keys.toString().contains(previous));
        assertThrows(IllegalArgumentException.class,
                () -> LicenceKeys.load(data, Optional.of(SECRET), Optional.of("short"), SecretBox.none()));
    }

    @Test
    void aSecretConfiguredWhereOneWasGeneratedReplacesItAsARotationDoes() throws Exception {
        SecretBox key = newKey();
        LicenceKeys generated = LicenceKeys.load(data, Optional.empty(), key);
        LicenceKeys configured = LicenceKeys.load(data, Optional.of(SECRET), Optional.empty(), key);
        assertEquals(generated.hmac("t", "s", "p"), configured.previousHmac("t", "s", "p"), "the generated is kept");
        assertEquals(new LicenceKeys(SECRET.getBytes(StandardCharsets.UTF_8)).hmac("t", "s", "p"),
                configured.hmac("t", "s", "p"));
        assertTrue(LicenceKeys.load(data, Optional.of(SECRET), Optional.empty(), newKey()).previousScheme()
                .isEmpty(), "a generated secret that does not open is not kept, and the start goes on");
    }

    @Test
    void aConfiguredSecretIsUsedAndAShortOneRefused() throws Exception {
        LicenceKeys keys = LicenceKeys.load(data, Optional.of(" " + SECRET + " "), SecretBox.none());
        assertEquals(new LicenceKeys(SECRET.getBytes(StandardCharsets.UTF_8)).hmac("t", "s", "p"),
                keys.hmac("t", "s", "p"));
        assertEquals(0, database.count("SELECT COUNT(*) FROM service_secret"), "nothing generated");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LicenceKeys.load(data, Optional.of("too-short-secret"), SecretBox.none()));
        assertTrue(refused.getMessage().contains("at least 32"));
        assertFalse(refused.getMessage().contains("too-short-secret"));
    }

    @Test
    void withoutOneASecretIsGeneratedOnceSharedByEveryNodeAndSealedWhereAKeyIs() throws Exception {
        SecretBox key = newKey();
        LicenceKeys nodeA = LicenceKeys.load(data, Optional.empty(), key);
        LicenceKeys nodeB = LicenceKeys.load(data, Optional.of(""), key);
        assertEquals(nodeA.hmac("t", "s", "p"), nodeB.hmac("t", "s", "p"));
        List<String> stored = database.rows("SELECT stored_value FROM service_secret");
        assertEquals(1, stored.size());
        assertTrue(stored.get(0).startsWith("v1:"), "sealed with the encryption key");
        assertEquals(nodeA.hmac("t", "s", "p"), new LicenceKeys(key.open(stored.get(0))
                .getBytes(StandardCharsets.UTF_8)).hmac("t", "s", "p"));
    }

    @Test
    void aSecretGeneratedWithoutAKeyIsSealedOnceOneIsConfiguredAndKeysStayTheSame() throws Exception {
        LicenceKeys before = LicenceKeys.load(data, Optional.empty(), SecretBox.none());
        String plain = database.rows("SELECT stored_value FROM service_secret").get(0);
        assertFalse(SecretBox.isSealed(plain));
        SecretBox key = newKey();
        LicenceKeys after = LicenceKeys.load(data, Optional.empty(), key);
        String sealed = database.rows("SELECT stored_value FROM service_secret").get(0);
        assertTrue(sealed.startsWith("v1:"));
        assertFalse(sealed.contains(plain));
        assertEquals(before.hmac("t", "s", "p"), after.hmac("t", "s", "p"));
        assertThrows(IllegalStateException.class, () -> LicenceKeys.load(data, Optional.empty(), newKey()),
                "another encryption key cannot open it: refused rather than keys that change");
    }

    @Test
    void aGeneratedSecretSurvivesTheRotationOfTheEncryptionKey() throws Exception {
        byte[] oldKey = new byte[32];
        byte[] newKey = new byte[32];
        new SecureRandom().nextBytes(oldKey);
        new SecureRandom().nextBytes(newKey);
        LicenceKeys before = LicenceKeys.load(data, Optional.empty(), SecretBox.of(oldKey));
        LicenceKeys rotating = LicenceKeys.load(data, Optional.empty(), SecretBox.of(newKey).withPrevious(oldKey));
        LicenceKeys after = LicenceKeys.load(data, Optional.empty(), SecretBox.of(newKey));
        assertEquals(before.hmac("t", "s", "p"), rotating.hmac("t", "s", "p"));
        assertEquals(before.hmac("t", "s", "p"), after.hmac("t", "s", "p"), "sealed anew with the new key");
    }

    @Test
    void theSecretNeverReachesTheLog() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.billing");
        logger.addHandler(capture);
        try {
            LicenceKeys.load(data, Optional.of(SECRET), SecretBox.none());
            LicenceKeys.load(data, Optional.empty(), SecretBox.none());
        } finally {
            logger.removeHandler(capture);
        }
        String generated = database.rows("SELECT stored_value FROM service_secret").get(0);
        assertEquals(1, logged.stream().filter(r -> r.getMessage().contains("BILLING_LICENCE_KEY_SECRET")).count(),
                "one warning that the secret is generated");
        assertTrue(logged.stream().noneMatch(r -> r.getMessage().contains(SECRET)
                || r.getMessage().contains(generated)));
    }
}
