package io.billing.composition;

import io.billing.entitlement.LicenceKeys;
import io.billing.entitlement.Licences;
import io.billing.notification.TenantCallbacks;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.platform.persistence.DataAccess;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the start does with the stored secrets, on the embedded H2 the service uses by default. */
class StoredSecretsOnH2Test {

    @Test
    void theStartKeepsLicenceKeysAndSealsCallbackSecretsOnH2() throws Exception {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        SecretBox key = SecretBox.of(bytes);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
        try (TestDatabase h2 = TestDatabase.h2()) {
            DataAccess data = h2.dataAccess();
            LicenceKeys nodeA = LicenceKeys.load(data, Optional.empty(), key);
            LicenceKeys nodeB = LicenceKeys.load(data, Optional.empty(), key);
            assertEquals(nodeA.hmac("t", "s", "p"), nodeB.hmac("t", "s", "p"), "generated once");
            assertTrue(h2.rows("SELECT stored_value FROM service_secret").get(0).startsWith("v1:"));

            Licences licences = new Licences(data, clock, Duration.ofDays(3), nodeA);
            assertEquals(0, licences.keepIssuedKeys(), "no licence issued yet");
            assertEquals(1, h2.count("SELECT COUNT(*) FROM licence_key_kept WHERE scheme = 'sha256'"), "and done");
            assertEquals(0, new Licences(data, clock, Duration.ofDays(3),
                    nodeA.withPrevious(new byte[32])).keepIssuedKeys(), "a rotated secret, nothing to keep");
            assertEquals(2, h2.count("SELECT COUNT(*) FROM licence_key_kept"));

            String secret = new TenantCallbacks(data, clock, false, SecretBox.none(), Destinations.anyAddress())
                    .register("tenant_h2", "https://h2.example/hook", "ops", "before the key");
            assertEquals(1, new TenantCallbacks(data, clock, false, key, Destinations.anyAddress()).resealStoredSecrets());
            String stored = h2.rows("SELECT secret FROM tenant_callback").get(0);
            assertTrue(stored.startsWith("v1:"));
            assertFalse(stored.contains(secret));
            assertEquals(secret, key.open(stored));
        }
    }
}
