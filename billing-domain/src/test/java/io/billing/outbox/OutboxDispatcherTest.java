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
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The dispatcher against a local HTTP receiver that honours idempotency keys the way Stripe's own API
 * does: a repeated key is answered with success and not applied again.
 */
class OutboxDispatcherTest {

    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5), 3, 0.2);
    private static final OutboxDispatcher.Settings SETTINGS = new OutboxDispatcher.Settings(2, 4, 5,
            Duration.ofSeconds(60), Duration.ofSeconds(30), Set.of());

    private TestDatabase database;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private HttpServer receiver;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> applied = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private URI receiverUri;
    private final List<OutboxDispatcher> dispatchers = new ArrayList<>();

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
        dispatchers.forEach(OutboxDispatcher::close);
        receiver.stop(0);
        database.close();
    }

    private OutboxDispatcher dispatcher(String node, OutboxTransport transport) {
        return dispatcher(node, clock, DatabaseClock.following(clock), Map.of("tenant-notifications", transport));
    }

    private OutboxDispatcher dispatcher(String node, Map<String, OutboxTransport> transports) {
        return dispatcher(node, clock, DatabaseClock.following(clock), transports);
    }

    private OutboxDispatcher dispatcher(String node, Clock nodeClock, DatabaseClock databaseClock,
                                        Map<String, OutboxTransport> transports) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(database.dataSource(), nodeClock, databaseClock, node,
                transports, RETRY, SETTINGS, Thread::new);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    private void enqueue(String key) throws SQLException {
        enqueue("tenant-notifications", key);
    }

    private void enqueue(String destination, String key) throws SQLException {
        Transactions.inTransaction(database.dataSource(), connection -> new Outbox().enqueue(connection,
                destination, key, "tenant_acme", "evt_1", "{\"kind\":\"payment_failed\"}", clock.instant()));
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
    void aNodeStalledAfterSendingLosesTheMessageWhenItsLeaseRunsOutAndTheReceiverAppliesItOnce() throws Exception {
        enqueue("note-2");
        OutboxTransport http = new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5));
        CountDownLatch resume = new CountDownLatch(1);
        OutboxTransport stallsAfterSending = ((OutboxTransport) message -> {
            OutboxTransport.Result result = http.deliver(message);
            try {
                resume.await(); // the node hangs (a long GC, a stuck disk) after the receiver answered
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result;
        }).within(Duration.ofSeconds(20));
        OutboxDispatcher stalled = dispatcher("node-a", stallsAfterSending);
        assertEquals(1, stalled.dispatchOnce());
        awaitUntil(() -> requests.size() == 1);
        assertEquals(List.of("SENDING | 1"), database.rows("SELECT status, attempt_count FROM outbox_message"));

        OutboxDispatcher survivor = dispatcher("node-b", http);
        clock.advance(Duration.ofSeconds(49));
        assertEquals(0, survivor.drain(), "leased for the transport's 20 s and the 30 s margin");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, survivor.drain());
        assertEquals(List.of("DELIVERED"), database.rows("SELECT status FROM outbox_message"));

        resume.countDown();
        awaitUntil(() -> stalled.sending() == 0);
        assertEquals(List.of("2 | node-b | DELIVERED"), database.rows(
                "SELECT attempt_no, node_id, outcome FROM outbox_attempt"), "the stalled node lost its lease: no record");
        assertEquals(List.of("note-2", "note-2"), requests, "sent twice, with one key");
        assertEquals(1, applied.size(), "applied once");
    }

    @Test
    void aDispatcherWhoseClockRunsAheadTakesNeitherALiveLeaseNorARetryBeforeItsTime() throws Exception {
        OutboxTransport http = new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5));
        CountDownLatch resume = new CountDownLatch(1);
        OutboxTransport stallsAfterSending = ((OutboxTransport) message -> {
            OutboxTransport.Result result = http.deliver(message);
            try {
                resume.await(); // node A hangs after the receiver answered: its lease is live
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result;
        }).within(Duration.ofSeconds(20));
        DatabaseClock databaseClock = DatabaseClock.database();
        enqueue("note-5");
        OutboxDispatcher stalled = dispatcher("node-a", clock, databaseClock,
                Map.of("tenant-notifications", stallsAfterSending));
        assertEquals(1, stalled.dispatchOnce());
        awaitUntil(() -> requests.size() == 1);
        enqueue("note-6");
        failNext.set(1);
        assertEquals(1, dispatcher("node-a", clock, databaseClock, Map.of("tenant-notifications", http)).drain());
        assertEquals(List.of("note-5 | SENDING", "note-6 | RETRY_SCHEDULED"),
                database.rows("SELECT idempotency_key, status FROM outbox_message ORDER BY idempotency_key"));

        // Node B's clock runs 3 minutes ahead: past node A's 50 s lease and the 30 s backoff by its own reckoning.
        OutboxDispatcher ahead = dispatcher("node-b", Clock.offset(clock, Duration.ofMinutes(3)), databaseClock,
                Map.of("tenant-notifications", http));
        assertEquals(0, ahead.drain(), "the lease and the backoff run on the database's clock");
        assertEquals(List.of("note-5", "note-6"), requests);
        resume.countDown();
        awaitUntil(() -> stalled.sending() == 0);
    }

    @Test
    void aTransportThatThrowsIsRetriedAndDeadLetteredLikeAnErrorAnswer() throws Exception {
        failNext.set(100);
        enqueue("answers-503", "note-503");
        enqueue("throws", "note-throws");
        enqueue("refused", "note-refused");
        URI nobodyListens;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListens = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/notify");
        }
        OutboxDispatcher dispatcher = dispatcher("node-a", Map.of(
                "answers-503", new HttpOutboxTransport(receiverUri, Duration.ofSeconds(5)),
                "throws", message -> {
                    throw new UncheckedIOException(new ConnectException("Connection refused"));
                },
                "refused", new HttpOutboxTransport(nobodyListens, Duration.ofSeconds(5))));
        for (int attempt = 0; attempt < RETRY.maxAttempts(); attempt++) {
            assertEquals(3, dispatcher.drain(), "attempt " + (attempt + 1));
            clock.advance(RETRY.cap());
        }
        assertEquals(0, dispatcher.drain(), "dead-lettered: nothing is due");
        assertEquals(List.of("note-503 | FAILED | 3", "note-refused | FAILED | 3", "note-throws | FAILED | 3"),
                database.rows("SELECT idempotency_key, status, attempt_count FROM outbox_message ORDER BY 1"));
        for (String key : List.of("note-503", "note-refused", "note-throws")) {
            assertEquals(List.of("1 | RETRY_SCHEDULED", "2 | RETRY_SCHEDULED", "3 | FAILED"), database.rows(
                    "SELECT attempt_no, outcome FROM outbox_attempt WHERE idempotency_key = '" + key + "' ORDER BY 1"),
                    key);
        }
        assertEquals(List.of("throws unreachable: UncheckedIOException: java.net.ConnectException: Connection refused"),
                database.rows("SELECT DISTINCT error_message FROM outbox_attempt WHERE idempotency_key = 'note-throws'"));
        assertEquals(List.of(3L), List.of(database.count(
                "SELECT COUNT(*) FROM outbox_attempt WHERE idempotency_key = 'note-refused' AND http_status IS NULL"
                        + " AND error_message LIKE 'ConnectException%'")));
    }

    /** Waits, up to ten seconds, for what sending threads do. */
    static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
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
