package io.billing.outbox;

import com.sun.net.httpserver.HttpServer;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.operator.OutboxOperations;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The dispatcher against a local HTTP receiver that honours idempotency keys the way Stripe's own API
 * does: a repeated key is answered with success and not applied again.
 */
class OutboxDispatcherTest {

    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5), 3, 0.2);
    private static final Duration LEASE = Duration.ofSeconds(60);

    private TestDatabase database;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private HttpServer receiver;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> applied = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private URI receiverUri;

    @BeforeEach
    void start() throws IOException {
        database = TestDatabase.postgres();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/notify", exchange -> {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(key);
            int status;
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            } else if (key == null) {
                status = 400;
            } else {
                applied.putIfAbsent(key, body);
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        receiverUri = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify");
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        database.close();
    }

    private OutboxDispatcher dispatcher(String node, OutboxTransport transport) {
        return dispatcher(node, clock, DatabaseClock.following(clock), transport);
    }

    private OutboxDispatcher dispatcher(String node, Clock nodeClock, DatabaseClock databaseClock,
                                        OutboxTransport transport) {
        return new OutboxDispatcher(database.dataSource(), nodeClock, databaseClock, node,
                Map.of("tenant-notifications", transport), RETRY, LEASE, 10);
    }

    private void enqueue(String key) throws SQLException {
        Transactions.inTransaction(database.dataSource(), connection -> new Outbox().enqueue(connection,
                "tenant-notifications", key, "tenant_acme", "evt_1", "{\"kind\":\"payment_failed\"}", clock.instant()));
    }

    @Test
    void deliversWithItsKeyAndRetriesAReceiverThatIsDown() throws Exception {
        enqueue("note-1");
        OutboxDispatcher dispatcher = dispatcher("node-a", new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5)));
        failNext.set(1);
        assertEquals(1, dispatcher.drain());
        assertEquals(List.of("RETRY_SCHEDULED"), database.rows("SELECT status FROM outbox_message"));
        clock.advance(Duration.ofSeconds(23));
        assertEquals(0, dispatcher.drain(), "not due before the backoff (30 s, less at most 20% jitter)");
        clock.advance(Duration.ofSeconds(13));
        assertEquals(1, dispatcher.drain());
        assertEquals(List.of("DELIVERED"), database.rows("SELECT status FROM outbox_message"));
        assertEquals(List.of("1 | RETRY_SCHEDULED | 503", "2 | DELIVERED | 200"),
                database.rows("SELECT attempt_no, outcome, http_status FROM outbox_attempt ORDER BY attempt_no"));
        assertEquals(List.of("note-1", "note-1"), requests);
        assertEquals(Map.of("note-1", "{\"kind\":\"payment_failed\"}"), applied);
    }

    @Test
    void aCrashBetweenDeliveryAndBookkeepingRedeliversWithTheSameKeyAndTheReceiverAppliesItOnce() throws Exception {
        enqueue("note-2");
        OutboxTransport http = new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5));
        OutboxTransport crashesAfterSending = message -> {
            http.deliver(message);
            throw new IllegalStateException("node killed after the receiver answered");
        };
        assertThrows(IllegalStateException.class, () -> dispatcher("node-a", crashesAfterSending).drain());
        assertEquals(List.of("SENDING"), database.rows("SELECT status FROM outbox_message"));

        OutboxDispatcher survivor = dispatcher("node-b", http);
        assertEquals(0, survivor.drain(), "leased until the dead node's lease runs out");
        clock.advance(LEASE);
        assertEquals(1, survivor.drain());
        assertEquals(List.of("DELIVERED"), database.rows("SELECT status FROM outbox_message"));
        assertEquals(List.of("note-2", "note-2"), requests, "sent twice, with one key");
        assertEquals(1, applied.size(), "applied once");
    }

    @Test
    void aDispatcherWhoseClockRunsAheadTakesNeitherALiveLeaseNorARetryBeforeItsTime() throws Exception {
        OutboxTransport http = new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5));
        OutboxTransport crashesAfterSending = message -> {
            http.deliver(message);
            throw new IllegalStateException("node stalled after the receiver answered");
        };
        DatabaseClock databaseClock = DatabaseClock.database();
        enqueue("note-5");
        assertThrows(IllegalStateException.class, () -> dispatcher("node-a", clock, databaseClock, crashesAfterSending)
                .drain());
        enqueue("note-6");
        failNext.set(1);
        assertEquals(1, dispatcher("node-a", clock, databaseClock, http).drain());
        assertEquals(List.of("note-5 | SENDING", "note-6 | RETRY_SCHEDULED"),
                database.rows("SELECT idempotency_key, status FROM outbox_message ORDER BY idempotency_key"));

        // Node B's clock runs 3 minutes ahead: past node A's 60 s lease and the 30 s backoff by its own reckoning.
        OutboxDispatcher ahead = dispatcher("node-b", Clock.offset(clock, Duration.ofMinutes(3)), databaseClock, http);
        assertEquals(0, ahead.drain(), "the lease and the backoff run on the database's clock");
        assertEquals(List.of("note-5", "note-6"), requests);
    }

    @Test
    void aPermanentRefusalIsNotRetriedAndExhaustedRetriesDeadLetter() throws Exception {
        enqueue("note-3");
        OutboxDispatcher refused = dispatcher("node-a",
                message -> new OutboxTransport.Result(false, true, 422, "HTTP 422"));
        assertEquals(1, refused.drain());
        assertEquals(List.of("FAILED | HTTP 422"), database.rows("SELECT status, status_reason FROM outbox_message"));

        enqueue("note-4");
        failNext.set(100);
        OutboxDispatcher down = dispatcher("node-a", new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5)));
        for (int attempt = 0; attempt < RETRY.maxAttempts(); attempt++) {
            down.drain();
            clock.advance(RETRY.cap());
        }
        assertEquals(List.of("FAILED | 3"),
                database.rows("SELECT status, attempt_count FROM outbox_message WHERE idempotency_key = 'note-4'"));

        // The receiver is back: an operator retries the failed message; a fresh cycle, the same key.
        OutboxOperations operations = new OutboxOperations(database.dataSource(), clock);
        assertThrows(IllegalArgumentException.class, () -> operations.retry("note-4", "dana", " "));
        assertThrows(OutboxOperations.NotRetryableException.class, () -> {
            enqueue("note-5");
            down.drain();
            failNext.set(0);
            clock.advance(RETRY.cap());
            down.drain();
            operations.retry("note-5", "dana", "delivered already");
        });
        assertEquals(false, operations.retry("note-nowhere", "dana", "typo"));
        failNext.set(1); // and it fails once more: the new cycle retries it instead of failing at once
        assertEquals(true, operations.retry("note-4", "dana", "receiver fixed, ticket 7"));
        down.drain();
        assertEquals(List.of("RETRY_SCHEDULED | 4"),
                database.rows("SELECT status, attempt_count FROM outbox_message WHERE idempotency_key = 'note-4'"));
        clock.advance(RETRY.cap());
        down.drain();
        assertEquals(List.of("DELIVERED | 5"),
                database.rows("SELECT status, attempt_count FROM outbox_message WHERE idempotency_key = 'note-4'"));
        assertEquals(List.of("note-4"), requests.stream().filter("note-4"::equals).distinct().toList());
        assertEquals(1, applied.keySet().stream().filter("note-4"::equals).count());
        assertEquals(List.of("dana | RETRY_OUTBOX | FAILED | receiver fixed, ticket 7"), database.rows(
                "SELECT actor, action, before_value, reason FROM audit_log WHERE target_id = 'note-4'"));
        assertEquals("DELIVERED", operations.find("note-4").orElseThrow().status());
    }
}
