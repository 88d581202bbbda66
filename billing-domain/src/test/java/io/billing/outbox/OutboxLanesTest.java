package io.billing.outbox;

import com.sun.net.httpserver.HttpServer;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.queue.LoopSupervisor;
import io.billing.platform.queue.PollingLoop;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.time.DatabaseClock;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.billing.outbox.OutboxDispatcherTest.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher's lanes against real local HTTP receivers: a receiver that hangs fills only its own lane while
 * the others are served, and a receiver that keeps failing is paused by its lane's circuit breaker without its
 * waiting messages spending attempts.
 */
class OutboxLanesTest {

    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5), 10, 0.2);
    private static final Instant START = Instant.parse("2026-11-22T12:00:00Z");
    /** START and a cool-down of 60 s, in SQL. */
    private static final String COOL_DOWN_ENDS = "TIMESTAMP WITH TIME ZONE '2026-11-22 12:01:00+00'";

    private final MutableClock clock = new MutableClock(START);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** A receiver on a port of its own, its handler run on threads of its own so that requests can hang together. */
    private URI receiver(String path, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext(path, handler);
        server.start();
        closing.add(() -> {
            server.stop(0);
            threads.shutdownNow();
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private OutboxDispatcher dispatcher(Map<String, OutboxTransport> transports, OutboxDispatcher.Settings settings) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(database.dataSource(), clock,
                DatabaseClock.following(clock), "node-a", transports, RETRY, settings, Thread::new);
        closing.add(dispatcher);
        return dispatcher;
    }

    private void enqueue(String destination, String key, String tenant) throws SQLException {
        Transactions.inTransaction(database.dataSource(), connection -> new Outbox().enqueue(connection,
                destination, key, tenant, "evt_" + key, "{\"key\":\"" + key + "\"}", clock.instant()));
    }

    @Test
    void aReceiverThatHangsFillsOnlyItsOwnLaneWhileTheOtherLaneDelivers() throws Exception {
        database = TestDatabase.postgres();
        CountDownLatch hangUp = new CountDownLatch(1);
        AtomicInteger hanging = new AtomicInteger();
        AtomicInteger slowAnswered = new AtomicInteger();
        URI slow = receiver("/slow", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hanging.incrementAndGet();
            try {
                hangUp.await(30, TimeUnit.SECONDS); // 30 s per request, longer than the transport's 10 s timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowAnswered.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        List<String> fastReceived = new CopyOnWriteArrayList<>();
        URI fast = receiver("/fast", exchange -> {
            exchange.getRequestBody().readAllBytes();
            fastReceived.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        for (int i = 0; i < 10; i++) { // interleaved, all due at once
            enqueue("slow", "slow-" + i, "tenant_acme");
            enqueue("fast", "fast-" + i, "tenant_acme");
        }
        // The product's timeout for an HTTP receiver (10 s), lanes of 2 under an overall 4.
        OutboxDispatcher dispatcher = dispatcher(Map.of(
                        "slow", new HttpOutboxTransport(slow, Duration.ofSeconds(10)),
                        "fast", new HttpOutboxTransport(fast, Duration.ofSeconds(10))),
                new OutboxDispatcher.Settings(2, 4, 5, Duration.ofSeconds(60), Duration.ofSeconds(30), Set.of()));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread loop = new Thread(new PollingLoop("billing-outbox-test", dispatcher::dispatchOnce, dispatcher::awaitRoom,
                50, running::get, LoopSupervisor.defaults()));
        closing.add(() -> { // stop the loop, then let the hanging requests answer so that the senders end
            running.set(false);
            loop.interrupt();
            loop.join(TimeUnit.SECONDS.toMillis(10));
            hangUp.countDown();
        });
        long started = System.nanoTime();
        loop.start();

        awaitUntil(() -> fastReceived.size() == 10);
        awaitUntil(() -> {
            try {
                return database.count("SELECT COUNT(*) FROM outbox_message WHERE destination = 'fast'"
                        + " AND status = 'DELIVERED'") == 10;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis < 5_000, "the fast lane delivered its 10 messages in " + tookMillis + " ms");
        assertEquals(0, slowAnswered.get(), "while the slow receiver's requests still hang");
        awaitUntil(() -> dispatcher.sending() == 2); // the fast lane's last sender gives its slot back
        assertEquals(2, hanging.get(), "the slow lane holds 2 messages out, no more");
        assertEquals(List.of("PENDING | 0 | 8", "SENDING | 1 | 2"), database.rows("SELECT status, attempt_count,"
                + " COUNT(*) FROM outbox_message WHERE destination = 'slow' GROUP BY status, attempt_count ORDER BY 1"),
                "the rest of the slow lane is not claimed: it waits, due, with no attempt spent and no lease to outlive");
        assertEquals(Set.of("fast-0", "fast-1", "fast-2", "fast-3", "fast-4", "fast-5", "fast-6", "fast-7", "fast-8",
                "fast-9"), Set.copyOf(fastReceived));
    }

    @Test
    void aReceiverFailingInARowPausesItsLaneWithoutSpendingAttemptsThenOneTrialResumesIt() throws Exception {
        database = TestDatabase.postgres();
        AtomicBoolean failing = new AtomicBoolean(true);
        List<String> requests = new CopyOnWriteArrayList<>();
        // Holds the answers until the test has seen what one claim took, so that no answer frees room meanwhile.
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));
        URI flaky = receiver("/flaky", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            try {
                gate.get().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(failing.get() ? 503 : 200, -1);
            exchange.close();
        });
        for (int i = 1; i <= 5; i++) {
            enqueue("flaky", "flaky-" + i, "tenant_acme");
        }
        OutboxDispatcher dispatcher = dispatcher(Map.of("flaky", new HttpOutboxTransport(flaky, Duration.ofSeconds(5))),
                new OutboxDispatcher.Settings(3, 8, 3, Duration.ofSeconds(60), Duration.ofSeconds(30), Set.of()));
        List<Lane> paused = new CopyOnWriteArrayList<>();
        dispatcher.onLanePaused(paused::add);
        Lane lane = dispatcher.laneOf("flaky", "tenant_acme");

        assertEquals(3, dispatcher.dispatchOnce(), "the lane's 3 at once");
        gate.get().countDown();
        awaitUntil(() -> dispatcher.sending() == 0);
        assertEquals(3, requests.size());
        assertEquals(CircuitBreaker.State.OPEN, dispatcher.breakerState(lane), "3 failures in a row");
        assertEquals(List.of(new Lane("flaky", null)), paused);
        assertEquals(1, dispatcher.pausedLanes("flaky"));
        assertEquals(0, dispatcher.drain(), "paused: nothing is claimed");
        assertEquals(List.of("PENDING | 0 | 2", "RETRY_SCHEDULED | 1 | 3"), attempts());
        assertEquals(5, database.count("SELECT COUNT(*) FROM outbox_message WHERE due_at = " + COOL_DOWN_ENDS),
                "every waiting message is held until the cool-down ends, in the database, for every node");

        clock.advance(Duration.ofSeconds(40)); // past every retry's backoff (30 s, at most 20% more), not the cool-down
        assertEquals(0, dispatcher.drain());
        assertEquals(3, requests.size());
        assertEquals(List.of("PENDING | 0 | 2", "RETRY_SCHEDULED | 1 | 3"), attempts(), "no attempt spent while paused");

        failing.set(false);
        clock.advance(Duration.ofSeconds(20));
        assertEquals(CircuitBreaker.State.HALF_OPEN, dispatcher.breakerState(lane));
        gate.set(new CountDownLatch(1));
        assertEquals(1, dispatcher.dispatchOnce(), "one trial, though 5 are due and the lane takes 3");
        gate.get().countDown();
        awaitUntil(() -> dispatcher.sending() == 0);
        assertEquals(4, requests.size());
        assertEquals(CircuitBreaker.State.CLOSED, dispatcher.breakerState(lane), "the trial succeeded");
        assertEquals(0, dispatcher.pausedLanes("flaky"));

        assertEquals(4, dispatcher.drain());
        assertEquals(List.of("DELIVERED | 5"),
                database.rows("SELECT status, COUNT(*) FROM outbox_message GROUP BY status"));
        assertEquals(requests.size(), database.count("SELECT SUM(attempt_count) FROM outbox_message"),
                "an attempt counted for every request sent, none for the pause");
        assertEquals(requests.size(), database.count("SELECT COUNT(*) FROM outbox_attempt"));
    }

    @Test
    void aFailedTrialPausesTheLaneForAnotherCoolDown() throws Exception {
        database = TestDatabase.postgres();
        AtomicInteger calls = new AtomicInteger();
        OutboxDispatcher dispatcher = dispatcher(Map.of("down", message -> {
            calls.incrementAndGet();
            return OutboxTransport.Result.ofHttpStatus(503, "down");
        }), new OutboxDispatcher.Settings(1, 4, 2, Duration.ofSeconds(60), Duration.ofSeconds(30), Set.of()));
        for (int i = 1; i <= 3; i++) {
            enqueue("down", "down-" + i, null);
        }
        assertEquals(2, dispatcher.drain());
        Lane lane = dispatcher.laneOf("down", null);
        assertEquals(CircuitBreaker.State.OPEN, dispatcher.breakerState(lane));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(1, dispatcher.drain(), "the trial, and no more");
        assertEquals(CircuitBreaker.State.OPEN, dispatcher.breakerState(lane), "it failed: paused again");
        assertEquals(3, calls.get());
        clock.advance(Duration.ofSeconds(59));
        assertEquals(0, dispatcher.drain());
        assertEquals(3, database.count("SELECT SUM(attempt_count) FROM outbox_message"));
    }

    /**
     * The claim's conditions (lanes per destination and per tenant passed over when full, a paused lane's messages
     * held) on both databases the service runs on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aFullTenantLaneAndAPausedLaneArePassedOverWhileOtherTenantsAreServed(String kind) throws Exception {
        database = kind.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres();
        CountDownLatch answer = new CountDownLatch(1);
        List<String> called = new CopyOnWriteArrayList<>();
        OutboxTransport callbacks = message -> {
            called.add(message.idempotencyKey());
            if (message.tenantId().equals("tenant_slow")) {
                try {
                    answer.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return OutboxTransport.Result.delivered(200);
        };
        OutboxTransport down = message -> OutboxTransport.Result.ofHttpStatus(503, "rating");
        OutboxDispatcher dispatcher = dispatcher(Map.of("callback", callbacks, "rating", down),
                new OutboxDispatcher.Settings(1, 8, 1, Duration.ofSeconds(60), Duration.ofSeconds(30),
                        Set.of("callback")));
        for (String[] message : new String[][] {{"callback", "slow-1", "tenant_slow"},
                {"rating", "rating-1", "tenant_slow"}, {"callback", "slow-2", "tenant_slow"},
                {"rating", "rating-2", "tenant_slow"}, {"callback", "other-1", "tenant_other"},
                {"callback", "other-2", "tenant_other"}}) {
            enqueue(message[0], message[1], message[2]); // one second apart: claimed in this order
            clock.advance(Duration.ofSeconds(1));
        }

        awaitUntil(() -> { // the loop's steps, until only the slow tenant's first callback is out
            try {
                dispatcher.dispatchOnce();
                return database.count("SELECT COUNT(*) FROM outbox_message WHERE status = 'DELIVERED'") == 2
                        && dispatcher.sending() == 1
                        && dispatcher.breakerState(dispatcher.laneOf("rating", null)) == CircuitBreaker.State.OPEN;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(List.of("DELIVERED", "DELIVERED"), database.rows(
                "SELECT status FROM outbox_message WHERE tenant_id = 'tenant_other'"), "the other tenant's lane");
        assertEquals(List.of("slow-1 | SENDING | 1", "slow-2 | PENDING | 0"), database.rows("SELECT idempotency_key,"
                + " status, attempt_count FROM outbox_message WHERE destination = 'callback' AND tenant_id = 'tenant_slow'"
                + " ORDER BY 1"));
        assertEquals(List.of("rating-1 | RETRY_SCHEDULED | 1", "rating-2 | PENDING | 0"), database.rows(
                "SELECT idempotency_key, status, attempt_count FROM outbox_message WHERE destination = 'rating'"
                        + " ORDER BY 1"));
        assertEquals(CircuitBreaker.State.OPEN, dispatcher.breakerState(dispatcher.laneOf("rating", "tenant_slow")));
        assertEquals(CircuitBreaker.State.CLOSED, dispatcher.breakerState(dispatcher.laneOf("callback", "tenant_slow")));

        answer.countDown();
        awaitUntil(() -> dispatcher.sending() == 0);
        assertEquals(1, dispatcher.drain());
        assertEquals(List.of("slow-1", "slow-2"), called.stream().filter(key -> key.startsWith("slow")).toList());
        assertEquals(2, database.count("SELECT COUNT(*) FROM outbox_message WHERE destination = 'rating'"
                + " AND status <> 'DELIVERED' AND due_at >= " + COOL_DOWN_ENDS), "held for the cool-down");
    }

    private List<String> attempts() throws SQLException {
        return database.rows("SELECT status, attempt_count, COUNT(*) FROM outbox_message GROUP BY status, attempt_count"
                + " ORDER BY 1");
    }
}
