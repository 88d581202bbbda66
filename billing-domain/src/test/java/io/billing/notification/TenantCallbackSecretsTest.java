package io.billing.notification;

import com.sun.net.httpserver.HttpServer;
import io.billing.entitlement.Entitlements;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.platform.net.PinnedHttpPost;
import io.billing.platform.persistence.DataAccess;
import io.billing.stripe.webhook.WebhookSignatureVerifier;
import io.billing.tenant.TenantId;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.StatusResponse;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants' callback secrets sealed in the database: the column never holds the secret once a key is configured,
 * a secret stored plain before still signs and is sealed at start, and callbacks reach a real HTTP receiver
 * signed with the secret the operator was given, which the receiver verifies as tenants do.
 */
class TenantCallbackSecretsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static TestDatabase database;
    private static DataAccess data;
    private static MutableClock clock;

    private HttpServer receiver;
    private final LinkedBlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
        data = database.dataAccess();
        clock = new MutableClock(T0);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void listen() throws Exception {
        database.execute("DELETE FROM tenant_callback"); // each test's own callbacks, sealed with its own keys
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new String[] {exchange.getRequestHeaders().getFirst("Billing-Signature"),
                    new String(body, StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopListening() {
        receiver.stop(0);
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static SecretBox newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SecretBox.of(key);
    }

    private static String storedSecret(String tenant) throws Exception {
        return database.rows("SELECT secret FROM tenant_callback WHERE tenant_id = '" + tenant + "'").get(0);
    }

    /** The callbacks' sender as the container has it, allowed to reach the receiver on 127.0.0.1. */
    private static final PinnedHttpPost SENDER = new PinnedHttpPost(Destinations.anyAddress(), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    private OutboxTransport.Result deliver(String tenant, SecretBox secrets) {
        OutboxMessage message = new OutboxMessage("callback:evt_" + tenant, TenantCallbacks.DESTINATION, tenant,
                "evt_" + tenant, "{\"tenant_id\":\"" + tenant + "\",\"cause_event_id\":\"evt_" + tenant + "\"}", 1, 1,
                null);
        return TenantCallbacks.transport(data, clock, new Entitlements(data, clock, Duration.ofDays(3)), SENDER,
                secrets).deliver(message);
    }

    /** The receiver's check, as a tenant does it: Stripe's scheme with the secret it was given. */
    private void assertSignedWith(String secret) throws Exception {
        String[] call = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(call, "the receiver was called");
        new WebhookSignatureVerifier(List.of(secret), Duration.ofMinutes(5), clock)
                .verify(call[1].getBytes(StandardCharsets.UTF_8), call[0]);
        assertTrue(call[1].contains("\"type\":\"entitlements.changed\""), call[1]);
    }

    @Test
    void withAKeyTheColumnNeverHoldsTheSecretAndCallbacksAreSignedWithIt() throws Exception {
        SecretBox key = newKey();
        TenantCallbacks callbacks = new TenantCallbacks(data, clock, true, key, Destinations.anyAddress());
        String secret = callbacks.register("tenant_sealed", hook(), "ops", "onboarding");

        String stored = storedSecret("tenant_sealed");
        assertTrue(stored.startsWith("v1:"), stored);
        assertFalse(stored.contains(secret));
        assertFalse(stored.contains(secret.substring("tcbsec_".length())));
        assertEquals(secret, key.open(stored));

        assertTrue(deliver("tenant_sealed", key).delivered());
        assertSignedWith(secret);

        String changed = callbacks.register("tenant_sealed", hook(), "ops", "rotated");
        assertFalse(storedSecret("tenant_sealed").contains(changed), "sealed on every write");
        assertTrue(deliver("tenant_sealed", key).delivered());
        assertSignedWith(changed);
    }

    @Test
    void aSecretStoredPlainStillSignsAndIsSealedAtStartOnceAKeyIsConfigured() throws Exception {
        String secret = new TenantCallbacks(data, clock, true, SecretBox.none(), Destinations.anyAddress())
                .register("tenant_legacy", hook(), "ops", "before the key");
        assertEquals(secret, storedSecret("tenant_legacy"), "no key: stored as it is");

        SecretBox key = newKey();
        assertTrue(deliver("tenant_legacy", key).delivered(), "a plain secret is read as it is");
        assertSignedWith(secret);

        TenantCallbacks callbacks = new TenantCallbacks(data, clock, true, key, Destinations.anyAddress());
        assertEquals(1, callbacks.resealStoredSecrets());
        String stored = storedSecret("tenant_legacy");
        assertTrue(stored.startsWith("v1:"), stored);
        assertFalse(stored.contains(secret));
        assertEquals(0, callbacks.resealStoredSecrets(), "sealed once");
        assertEquals(0, database.count("SELECT COUNT(*) FROM tenant_callback WHERE secret NOT LIKE 'v1:%'"));

        database.execute("UPDATE tenant_callback SET last_entitlements = NULL WHERE tenant_id = 'tenant_legacy'");
        assertTrue(deliver("tenant_legacy", key).delivered());
        assertSignedWith(secret);
    }

    @Test
    void aRotatedKeyStillOpensWhatThePreviousOneSealedUntilEverySecretIsSealedAnew() throws Exception {
        byte[] oldKey = new byte[32];
        byte[] newKey = new byte[32];
        new SecureRandom().nextBytes(oldKey);
        new SecureRandom().nextBytes(newKey);
        String secret = new TenantCallbacks(data, clock, true, SecretBox.of(oldKey), Destinations.anyAddress())
                .register("tenant_rotated", hook(), "ops", "under the old key");
        SecretBox rotating = SecretBox.of(newKey).withPrevious(oldKey);

        assertTrue(deliver("tenant_rotated", rotating).delivered(), "the previous key still opens it");
        assertSignedWith(secret);

        assertEquals(1, new TenantCallbacks(data, clock, true, rotating, Destinations.anyAddress()).resealStoredSecrets());
        String stored = storedSecret("tenant_rotated");
        assertEquals(secret, SecretBox.of(newKey).open(stored), "sealed with the new key alone");
        database.execute("UPDATE tenant_callback SET last_entitlements = NULL"); // something to send again
        assertFalse(deliver("tenant_rotated", SecretBox.of(oldKey)).delivered(), "the old key no longer opens it");
        assertTrue(received.isEmpty());
        assertTrue(deliver("tenant_rotated", SecretBox.of(newKey)).delivered());
        assertSignedWith(secret);

        assertEquals(1, new TenantCallbacks(data, clock, true, SecretBox.none().withPrevious(newKey), Destinations.anyAddress())
                .resealStoredSecrets(), "the key removed: stored plain again");
        assertEquals(secret, storedSecret("tenant_rotated"));
    }

    @Test
    void aSecretThatDoesNotOpenSendsNothingAndNamesNoSecret() throws Exception {
        SecretBox key = newKey();
        String secret = new TenantCallbacks(data, clock, true, key, Destinations.anyAddress()).register("tenant_wrong", hook(), "ops", "x");

        OutboxTransport.Result withAnotherKey = deliver("tenant_wrong", newKey());
        assertFalse(withAnotherKey.delivered());
        assertTrue(withAnotherKey.detail().contains("does not open"), withAnotherKey.detail());
        assertFalse(withAnotherKey.detail().contains(secret));
        assertFalse(deliver("tenant_wrong", SecretBox.none()).delivered(), "no key: a sealed secret cannot sign");

        String stored = storedSecret("tenant_wrong");
        char last = stored.charAt(stored.length() - 2);
        database.execute("UPDATE tenant_callback SET secret = '" + stored.substring(0, stored.length() - 2)
                + (last == 'A' ? 'B' : 'A') + stored.charAt(stored.length() - 1)
                + "' WHERE tenant_id = 'tenant_wrong'");
        assertFalse(deliver("tenant_wrong", key).delivered(), "a changed value is refused");
        assertTrue(received.isEmpty(), "nothing reached the receiver");
    }

    @Test
    void withoutAKeyOneWarningSaysSoAndNeverASecret() throws Exception {
        String secret = new TenantCallbacks(data, clock, true, SecretBox.none(), Destinations.anyAddress())
                .register("tenant_plain", hook(), "ops", "no key");
        List<LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
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
        Logger logger = Logger.getLogger(TenantCallbacks.class.getName());
        logger.addHandler(capture);
        try {
            assertEquals(0, new TenantCallbacks(data, clock, true, SecretBox.none(), Destinations.anyAddress()).resealStoredSecrets());
            assertEquals(1, logged.stream().filter(r -> r.getLevel() == Level.WARNING).count());
            assertTrue(logged.get(0).getMessage().contains("BILLING_ENCRYPTION_KEY"));
            new TenantCallbacks(data, clock, true, newKey(), Destinations.anyAddress()).resealStoredSecrets();
            assertTrue(logged.stream().noneMatch(r -> r.getMessage().contains(secret)));
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(TenantId.of("tenant_plain"), data.read(entityManager -> RegisteredCallbacks.of(entityManager)
                .find(TenantId.of("tenant_plain")).orElseThrow().tenant()));
    }
}
