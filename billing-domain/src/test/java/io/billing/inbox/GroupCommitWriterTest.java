package io.billing.inbox;

import io.billing.platform.persistence.SchemaMigration;
import io.billing.testsupport.ConnectionOnlyDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group-commit writer against a real (embedded) database with the real migrations. The wire-level
 * behaviour on PostgreSQL is covered by the integration tests.
 */
class GroupCommitWriterTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private JdbcDataSource database;
    private GroupCommitWriter writer;

    @BeforeEach
    void migrate() {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:inbox-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        database.setUser("billing");
        SchemaMigration.migrate(database, SchemaMigration.Online.none());
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private GroupCommitWriter writer(DataSource dataSource, int writers, Duration commitTimeout) {
        writer = new GroupCommitWriter(dataSource, clock,
                new GroupCommitWriter.Settings(writers, 256, 1024, commitTimeout), Thread::new);
        return writer;
    }

    private static EventEnvelope event(String id) {
        return event(id, "invoice.paid");
    }

    private static EventEnvelope event(String id, String type) {
        byte[] body = ("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}").getBytes();
        return new EventEnvelope(id, type, "2026-07-29.dahlia", false, null, Instant.ofEpochSecond(1785765755),
                "invoice", "in_1", "cus_1", body, EventSource.WEBHOOK);
    }

    @Test
    void storesANewEventOnceAndCountsRedeliveries() throws Exception {
        GroupCommitWriter w = writer(database, 2, Duration.ofSeconds(5));
        EventEnvelope e = event("evt_1");
        assertEquals(StoreOutcome.STORED, w.store(e));
        assertEquals(StoreOutcome.DUPLICATE, w.store(e));
        assertEquals(StoreOutcome.DUPLICATE, w.store(event("evt_1", "changed.type")));

        try (Connection c = database.getConnection();
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT event_type, payload, delivery_count, status, received_at, customer_id FROM inbox_event")) {
            assertTrue(r.next());
            assertEquals("invoice.paid", r.getString(1), "a repeat changes nothing but the delivery count");
            assertArrayEquals(e.rawBody(), r.getBytes(2));
            assertEquals(3, r.getInt(3));
            assertEquals("RECEIVED", r.getString(4));
            assertEquals(NOW, r.getTimestamp(5).toInstant(), "times come from the injected clock");
            assertEquals("cus_1", r.getString(6));
            assertTrue(!r.next());
        }
    }

    @Test
    void concurrentRequestsShareTransactions() throws Exception {
        // Hold the first transaction until every request has queued: the rest must then go in one batch.
        int requests = 64;
        CountDownLatch allQueued = new CountDownLatch(1);
        CountingDataSource counting = new CountingDataSource(database, allQueued);
        GroupCommitWriter w = writer(counting, 1, Duration.ofSeconds(10));
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            // The first request alone, and held inside its transaction, before the others arrive: otherwise
            // the writer may drain two of them into the first batch and the count below would be a race.
            outcomes.add(pool.submit(() -> w.store(event("evt_0"))));
            counting.awaitFirstHeld();
            for (int i = 1; i < requests; i++) {
                String id = "evt_" + i;
                outcomes.add(pool.submit(() -> w.store(event(id))));
            }
            waitUntilQueued(w, requests - 1);
            allQueued.countDown();
            for (Future<StoreOutcome> outcome : outcomes) {
                assertEquals(StoreOutcome.STORED, outcome.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, counting.connections.get(), "one transaction for the first request, one for the other 63");
        assertEquals(requests, rowCount());
    }

    @Test
    void concurrentDeliveriesOfOneEventLeaveOneRow() throws Exception {
        GroupCommitWriter w = writer(database, 2, Duration.ofSeconds(10));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                outcomes.add(pool.submit(() -> w.store(event("evt_same"))));
            }
            int stored = 0;
            for (Future<StoreOutcome> outcome : outcomes) {
                stored += outcome.get() == StoreOutcome.STORED ? 1 : 0;
            }
            assertEquals(1, stored);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, rowCount());
        try (Connection c = database.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT delivery_count FROM inbox_event")) {
            r.next();
            assertEquals(32, r.getInt(1));
        }
    }

    @Test
    void oneBadRowDoesNotFailItsNeighbours() throws Exception {
        CountDownLatch allQueued = new CountDownLatch(1);
        CountingDataSource counting = new CountingDataSource(database, allQueued);
        GroupCommitWriter w = writer(counting, 1, Duration.ofSeconds(10));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<StoreOutcome> first = pool.submit(() -> w.store(event("evt_a")));
            counting.awaitFirstHeld();
            Future<StoreOutcome> good = pool.submit(() -> w.store(event("evt_b")));
            // A type longer than the column: the database refuses this row, and only this row.
            Future<StoreOutcome> bad = pool.submit(() -> w.store(event("evt_c", "x".repeat(300))));
            Future<StoreOutcome> alsoGood = pool.submit(() -> w.store(event("evt_d")));
            waitUntilQueued(w, 3);
            allQueued.countDown();
            assertEquals(StoreOutcome.STORED, first.get());
            assertEquals(StoreOutcome.STORED, good.get());
            assertEquals(StoreOutcome.STORED, alsoGood.get());
            Exception e = assertThrows(Exception.class, bad::get);
            assertTrue(e.getCause() instanceof InboxUnavailableException, e.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, rowCount());
    }

    @Test
    void anUnreachableDatabaseIsReportedNotSwallowed() {
        DataSource down = new CountingDataSource(database, null) {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLTransientConnectionException("Connection refused", "08001");
            }
        };
        GroupCommitWriter w = writer(down, 1, Duration.ofSeconds(5));
        InboxUnavailableException e = assertThrows(InboxUnavailableException.class, () -> w.store(event("evt_down")));
        assertTrue(e.getCause() instanceof SQLException);
    }

    @Test
    void aDatabaseThatDoesNotAnswerTimesOut() {
        CountDownLatch never = new CountDownLatch(1);
        GroupCommitWriter w = writer(new CountingDataSource(database, never), 1, Duration.ofMillis(300));
        long started = System.nanoTime();
        assertThrows(InboxUnavailableException.class, () -> w.store(event("evt_slow")));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000);
        never.countDown();
    }

    @Test
    void aClosedWriterRefusesNewEvents() {
        GroupCommitWriter w = writer(database, 1, Duration.ofSeconds(1));
        w.close();
        assertThrows(InboxUnavailableException.class, () -> w.store(event("evt_late")));
    }

    private static void waitUntilQueued(GroupCommitWriter w, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (w.queuedCount() < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertEquals(expected, w.queuedCount(), "requests waiting for the writer");
    }

    private long rowCount() throws SQLException {
        try (Connection c = database.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM inbox_event")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Counts transactions (one connection each) and can hold the first one until a latch opens. */
    private static class CountingDataSource extends ConnectionOnlyDataSource {
        final AtomicInteger connections = new AtomicInteger();
        private final CountDownLatch firstHeld = new CountDownLatch(1);
        private final DataSource delegate;
        private final CountDownLatch holdFirst;

        CountingDataSource(DataSource delegate, CountDownLatch holdFirst) {
            this.delegate = delegate;
            this.holdFirst = holdFirst;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (connections.getAndIncrement() == 0 && holdFirst != null) {
                firstHeld.countDown();
                try {
                    holdFirst.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.getConnection();
        }

        void awaitFirstHeld() throws InterruptedException {
            assertTrue(firstHeld.await(10, TimeUnit.SECONDS), "the first transaction never started");
        }
    }
}
