package io.billing.refusal;

import io.billing.stripe.webhook.SignatureRejection;
import io.billing.testsupport.ConnectionOnlyDataSource;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refused deliveries written a moment after they are recorded, in one transaction: each counted per hour and reason,
 * only the latest kept one by one, old counts removed, every node's counts added up; a burst costs one write and keeps
 * its count; a failed write keeps what it held for the next try; nothing but the time, the address and the reason is
 * stored.
 */
class RefusalLogTest {

    private static final Instant TEN_FIFTEEN = Instant.parse("2026-11-30T10:15:00Z");

    /** The tasks the log asked to run later, run by hand. */
    private static final class Later implements RefusalLog.Scheduler {
        final List<Runnable> tasks = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public void schedule(Runnable task, Duration delay) {
            tasks.add(task);
            delays.add(delay);
        }

        void runAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    @Test
    void onPostgres() throws SQLException {
        recordsCountsAndKeepsTheLatest(TestDatabase::postgres);
    }

    @Test
    void onTheEmbeddedDatabase() throws SQLException {
        recordsCountsAndKeepsTheLatest(TestDatabase::h2);
    }

    private static void recordsCountsAndKeepsTheLatest(Supplier<TestDatabase> databases) throws SQLException {
        try (TestDatabase database = databases.get()) {
            MutableClock clock = new MutableClock(TEN_FIFTEEN);
            Later later = new Later();
            RefusalLog.Settings settings = new RefusalLog.Settings(3, Duration.ofDays(2), Duration.ofSeconds(1));
            RefusalLog nodeA = new RefusalLog(database.dataSource(), clock, "node-a", settings, later);
            RefusedDeliveries read = new RefusedDeliveries(database.dataSource(), clock);

            for (int i = 1; i <= 5; i++) {
                nodeA.record(i <= 3 ? "signature_mismatch" : "timestamp_too_old", "203.0.113." + i);
                clock.advance(Duration.ofSeconds(1));
            }
            assertEquals(List.of(Duration.ofSeconds(1)), later.delays, "one write scheduled for the five");
            assertEquals(0, database.count("SELECT COUNT(*) FROM webhook_refusal"), "nothing written before it runs");

            later.runAll();
            assertEquals(List.of("203.0.113.5 timestamp_too_old", "203.0.113.4 timestamp_too_old",
                            "203.0.113.3 signature_mismatch"),
                    read.latest(10).stream().map(r -> r.remoteAddress() + " " + r.reason()).toList(),
                    "the latest three, newest first");
            assertEquals(TEN_FIFTEEN.plusSeconds(4), read.latest(1).get(0).refusedAt());
            RefusedDeliveries.Span day = read.lastHours(24);
            assertEquals(24, day.hours().size(), "every hour, those without refusals too");
            assertEquals(Instant.parse("2026-11-29T11:00:00Z"), day.hours().get(0).hour());
            RefusedDeliveries.Hour ten = day.hours().get(23);
            assertEquals(Instant.parse("2026-11-30T10:00:00Z"), ten.hour());
            assertEquals(Map.of("signature_mismatch", 3L, "timestamp_too_old", 2L), ten.byReason(),
                    "every refusal counted, also those no longer kept one by one");
            assertEquals(List.of("signature_mismatch", "timestamp_too_old"), List.copyOf(day.reasons().keySet()),
                    "the most frequent reason first");
            assertEquals(5, day.total());

            // The next hour, on two nodes: each writes its own counts, and the readers add them up.
            clock.advance(Duration.ofHours(1));
            RefusalLog nodeB = new RefusalLog(database.dataSource(), clock, "node-b", settings, later);
            nodeA.record("signature_mismatch", "198.51.100.7");
            nodeB.record("signature_mismatch", "198.51.100.8");
            nodeB.record("payload_too_large", "198.51.100.8");
            later.runAll();
            nodeA.record("signature_mismatch", "198.51.100.7");
            assertEquals(1, nodeA.flush());
            RefusedDeliveries.Hour eleven = read.lastHours(1).hours().get(0);
            assertEquals(Map.of("signature_mismatch", 3L, "payload_too_large", 1L), eleven.byReason());
            assertEquals(2, database.count("SELECT COUNT(*) FROM webhook_refusal_hour WHERE reason = 'signature_mismatch'"
                    + " AND hour_start = TIMESTAMP WITH TIME ZONE '2026-11-30 11:00:00+00'"), "a row per node");
            assertEquals(3, database.count("SELECT COUNT(*) FROM webhook_refusal"), "the latest three kept, of all nodes");
            assertEquals(Map.of("signature_mismatch", 6L, "timestamp_too_old", 2L, "payload_too_large", 1L),
                    read.lastHours(24).reasons());

            // Three days on: the counts older than two days go with the next write.
            clock.advance(Duration.ofDays(3));
            nodeA.record("missing_signature", "192.0.2.1");
            nodeA.flush();
            assertEquals(List.of("missing_signature"),
                    database.rows("SELECT DISTINCT reason FROM webhook_refusal_hour"));

            // Only the time, the address, the reason and the node: no column could hold a body or a header.
            assertEquals(List.of("node_id", "reason", "refusal_id", "refused_at", "remote_address"), database.rows(
                    "SELECT LOWER(column_name) FROM information_schema.columns WHERE LOWER(table_name) = 'webhook_refusal'"
                            + " AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA) ORDER BY 1"));
        }
    }

    @Test
    void aBurstIsOneWriteThatKeepsTheLatestAndCountsEveryRefusal() throws SQLException {
        try (TestDatabase database = TestDatabase.h2()) {
            MutableClock clock = new MutableClock(TEN_FIFTEEN);
            Later later = new Later();
            RefusalLog log = new RefusalLog(database.dataSource(), clock, "node-a",
                    new RefusalLog.Settings(10, Duration.ofDays(30), Duration.ofSeconds(1)), later);
            for (int i = 0; i < 5_000; i++) {
                log.record("signature_mismatch", "203.0.113." + (i % 250));
            }
            assertEquals(1, later.tasks.size());
            later.runAll();
            assertEquals(10, database.count("SELECT COUNT(*) FROM webhook_refusal"));
            assertEquals(5_000, database.count("SELECT SUM(refusals) FROM webhook_refusal_hour"));
            log.record("signature_mismatch", "203.0.113.9");
            assertEquals(1, later.tasks.size(), "the next refusal schedules the next write");
        }
    }

    @Test
    void aFailedWriteKeepsWhatItHeldAndTriesAgain() throws SQLException {
        try (TestDatabase database = TestDatabase.h2()) {
            boolean[] down = {true};
            ConnectionOnlyDataSource flaky = new ConnectionOnlyDataSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    if (down[0]) {
                        throw new SQLException("connection refused");
                    }
                    return database.dataSource().getConnection();
                }
            };
            MutableClock clock = new MutableClock(TEN_FIFTEEN);
            Later later = new Later();
            RefusalLog log = new RefusalLog(flaky, clock, "node-a",
                    new RefusalLog.Settings(2, Duration.ofDays(30), Duration.ofSeconds(1)), later);
            log.record("signature_mismatch", "203.0.113.1");
            log.record("signature_mismatch", "203.0.113.2");
            later.runAll(); // fails, and is logged
            assertEquals(List.of(RefusalLog.RETRY_AFTER_FAILURE), later.delays.subList(1, later.delays.size()),
                    "tried again later");
            log.record("timestamp_too_old", "203.0.113.3");
            assertEquals(1, later.tasks.size(), "the retry is already scheduled");

            down[0] = false;
            later.runAll();
            assertEquals(List.of("203.0.113.3", "203.0.113.2"), new RefusedDeliveries(database.dataSource(), clock)
                    .latest(10).stream().map(RefusedDeliveries.Refusal::remoteAddress).toList(), "the latest two");
            assertEquals(3, database.count("SELECT SUM(refusals) FROM webhook_refusal_hour"), "none lost from the count");
        }
    }

    @Test
    void whatIsGivenIsBounded() throws SQLException {
        try (TestDatabase database = TestDatabase.h2()) {
            MutableClock clock = new MutableClock(TEN_FIFTEEN);
            RefusalLog log = new RefusalLog(database.dataSource(), clock, "node-a",
                    new RefusalLog.Settings(5, Duration.ofDays(30), Duration.ZERO), (task, delay) -> { });
            log.record("x".repeat(500), null);
            log.flush();
            RefusedDeliveries.Refusal stored = new RefusedDeliveries(database.dataSource(), clock).latest(1).get(0);
            assertEquals("x".repeat(RefusalLog.MAX_TEXT), stored.reason());
            assertEquals("unknown", stored.remoteAddress());
        }
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RefusalLog.Settings(0, Duration.ofDays(30), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RefusalLog.Settings(10, Duration.ofHours(2), Duration.ZERO));
    }

    @Test
    void everyRefusalOfTheSignatureCheckHasWords() {
        for (SignatureRejection rejection : SignatureRejection.values()) {
            String words = RefusalReasons.describe(rejection.code());
            assertNotEquals(rejection.code(), words, rejection.name());
            assertTrue(words.length() > 10, words);
        }
        assertEquals("something_new", RefusalReasons.describe("something_new"));
    }
}
