package io.billing.processing;

import io.billing.inbox.EventEnvelope;
import io.billing.inbox.EventSource;
import io.billing.inbox.GroupCommitWriter;
import io.billing.inbox.InboxStatusCounts;
import io.billing.inbox.StoreOutcome;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.queue.WorkSignal;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.operator.EventOperations;
import io.billing.retention.DataRetention;
import io.billing.retention.RetentionSettings;
import io.billing.stripe.StripeModes;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbox's counts per status ({@link InboxStatusCounts}) always equal a count of the inbox itself, on PostgreSQL
 * and on H2: after the intake, processing, retries, the dead letter, operators' actions, an expired lease, data
 * retention, deletes and a rolled-back change; at any moment while several writers, two engines and two folding
 * nodes work at once; and from the migrations that start them on an inbox already in use.
 *
 * <p>Each comparison reads the counts and {@code COUNT(*) … GROUP BY status} in one snapshot, so a difference is a
 * miscount, never two moments compared.
 */
class InboxStatusCountsTest {

    private static final String FAILING_TYPE = "test.failing";
    private static final String TEMPLATE = "acme/06_invoice.payment_succeeded.json";

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void countsFollowEveryChangeOfTheInbox(String kind) throws Exception {
        try (EngineHarness harness = harness(kind)) {
            TestDatabase database = harness.database;
            InboxStatusCounts counts = new InboxStatusCounts(database.dataSource(), harness.databaseClock, "node-a");
            for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
                harness.deliver(fixture);
            }
            harness.deliver(StripeFixtures.get(TEMPLATE));
            for (int i = 0; i < 3; i++) {
                harness.deliver(body(TEMPLATE, "evt_failing_" + i, FAILING_TYPE));
            }
            Map<String, Long> received = assertCountsAreExact(database, "after the intake, repeats included");
            assertEquals(StripeFixtures.all().stream().map(StripeFixtures.Fixture::eventId).distinct().count() + 3,
                    received.get("RECEIVED"), "every event once: " + received);

            RetryPolicy retry = new RetryPolicy(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(10), 2, 0);
            List<EventHandler> handlers = new ArrayList<>(harness.productionHandlers());
            handlers.add(new FaultyHandler(FAILING_TYPE, Integer.MAX_VALUE));
            ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 1, retry), handlers);
            engine.drain();
            Map<String, Long> drained = assertCountsAreExact(database, "after a drain");
            assertEquals(3, drained.get("RETRY_SCHEDULED"), drained.toString());
            assertTrue(drained.getOrDefault("UNMAPPED", 0L) > 0 && drained.getOrDefault("PROCESSED", 0L) > 0,
                    drained.toString());

            assertTrue(counts.fold().orElseThrow() > 0);
            assertEquals(0, database.count("SELECT COUNT(*) FROM inbox_status_delta"), "a fold leaves no delta");
            assertCountsAreExact(database, "after a fold");

            harness.clock.advance(retry.cap());
            engine.drain();
            assertEquals(3, assertCountsAreExact(database, "after the dead letter").get("FAILED"));

            EventOperations operations = new EventOperations(database.dataSource(), harness.clock);
            assertTrue(operations.retry("evt_failing_0", "ada", "handler fixed"));
            assertTrue(operations.resolve("evt_failing_1", "ada", "settled by hand"));
            String parked = database.rows("SELECT event_id FROM inbox_event WHERE status = 'UNMAPPED' ORDER BY event_id")
                    .get(0);
            assertTrue(operations.assignTenant(parked, "tenant_acme", "ada", "its customer is acme's") > 0);
            assertTrue(operations.rerunProcessed("invoice.paid", null, "ada", "handlers changed") > 1,
                    "a re-run of several");
            assertCountsAreExact(database, "after the operators' actions");
            engine.drain();
            assertCountsAreExact(database, "after their drain");

            // A lease that runs out: claimed (PROCESSING) by a node that stops, taken over by another.
            harness.deliver(body(TEMPLATE, "evt_abandoned", "invoice.payment_succeeded"));
            List<?> claimed = harness.processor(EngineHarness.settings("node-b", 1, retry), handlers).claim();
            assertEquals(1, claimed.size());
            assertEquals(1, assertCountsAreExact(database, "with one event leased").get("PROCESSING"));
            harness.clock.advance(Duration.ofMinutes(5));
            engine.drain();
            assertFalse(assertCountsAreExact(database, "after the lease was taken over").containsKey("PROCESSING"));

            rolledBack(database);
            assertCountsAreExact(database, "after a rolled-back change");

            RetentionSettings everything = new RetentionSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), 2, Duration.ZERO, Duration.ofMinutes(5));
            harness.clock.advance(Duration.ofMinutes(1));
            DataRetention.Run run = new DataRetention(database.dataSource(), harness.clock, harness.databaseClock,
                    "node-a", everything, DataRetention.Observer.NONE).runOnce().orElseThrow();
            assertTrue(run.payloads() > 0, run.summary());
            assertCountsAreExact(database, "after data retention");

            database.execute("DELETE FROM event_attempt WHERE event_id = 'evt_failing_1'",
                    "DELETE FROM inbox_event WHERE event_id = 'evt_failing_1'");
            database.execute("DELETE FROM event_attempt WHERE event_id IN (SELECT event_id FROM inbox_event"
                            + " WHERE status = 'IGNORED')", "DELETE FROM inbox_event WHERE status = 'IGNORED'");
            assertCountsAreExact(database, "after deletes, one and many");
            counts.fold();
            assertCountsAreExact(database, "after another fold");

            if (database.isPostgres()) {
                database.execute("TRUNCATE inbox_event CASCADE");
                assertEquals(Map.of(), assertCountsAreExact(database, "after a truncate"));
                harness.deliver(StripeFixtures.get(TEMPLATE));
                assertEquals(Map.of("RECEIVED", 1L), assertCountsAreExact(database, "after the truncate's next event"));
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void countsStayExactWhileWritersEnginesAndFoldsRunAtOnce(String kind) throws Exception {
        try (EngineHarness nodes = harness(kind)) {
            TestDatabase database = nodes.database;
            Clock clock = Clock.systemUTC();
            DatabaseClock databaseClock = DatabaseClock.database();
            RetryPolicy retry = new RetryPolicy(Duration.ofMillis(5), 2.0, Duration.ofMillis(20), 2, 0);
            List<EventHandler> handlers = List.of(new FaultyHandler("invoice.paid", 0),
                    new FaultyHandler(FAILING_TYPE, Integer.MAX_VALUE));
            GroupCommitWriter intake = new GroupCommitWriter(database.dataSource(), clock,
                    new GroupCommitWriter.Settings(2, 256, 4096, Duration.ofSeconds(30)), Thread::new);
            List<ProcessingEngine> engines = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(12);
            AtomicBoolean writing = new AtomicBoolean(true);
            try {
                for (String node : List.of("node-a", "node-b")) {
                    ProcessingEngine engine = new ProcessingEngine(nodes.processor(
                            new EngineSettings(node, 2, 8, Duration.ofSeconds(30), Duration.ofMillis(5), retry,
                                    StripeModes.LIVE_AND_TEST), handlers, clock, databaseClock),
                            new WorkSignal(), Thread::new);
                    engines.add(engine);
                    engine.start();
                }
                int writers = 8;
                int perWriter = 150;
                List<Future<Integer>> stored = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    stored.add(pool.submit(() -> {
                        int count = 0;
                        for (int i = 0; i < perWriter; i++) {
                            // every fifth event is a repeat of one another writer may be storing at the same moment
                            int n = i % 5 == 4 ? i - 1 : writer * perWriter + i;
                            String type = n % 3 == 0 ? "invoice.paid" : n % 3 == 1 ? FAILING_TYPE : "customer.updated";
                            count += intake.store(envelope("evt_c" + n, type)) == StoreOutcome.STORED ? 1 : 0;
                        }
                        return count;
                    }));
                }
                AtomicInteger folds = new AtomicInteger();
                List<Future<?>> folders = new ArrayList<>();
                for (String node : List.of("node-a", "node-b")) {
                    InboxStatusCounts counts = new InboxStatusCounts(database.dataSource(), databaseClock, node);
                    folders.add(pool.submit(() -> {
                        while (writing.get()) {
                            OptionalInt folded = counts.fold();
                            if (folded.isPresent()) {
                                folds.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                int checks = 0;
                while (!stored.stream().allMatch(Future::isDone)) {
                    assertCountsAreExact(database, "while writing (check " + ++checks + ")");
                }
                int events = 0;
                for (Future<Integer> writer : stored) {
                    events += writer.get();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (database.count("SELECT COUNT(*) FROM inbox_event"
                        + " WHERE status IN ('RECEIVED', 'PROCESSING', 'RETRY_SCHEDULED')") > 0) {
                    assertTrue(System.nanoTime() < deadline, "the engines settle every event within a minute");
                    assertCountsAreExact(database, "while the engines settle (check " + ++checks + ")");
                }
                writing.set(false);
                for (Future<?> folder : folders) {
                    folder.get(30, TimeUnit.SECONDS);
                }
                engines.forEach(ProcessingEngine::close);

                Map<String, Long> settled = assertCountsAreExact(database, "once everything settled");
                assertEquals(events, settled.values().stream().mapToLong(Long::longValue).sum(), settled.toString());
                assertEquals(Set.of("PROCESSED", "FAILED", "IGNORED"), settled.keySet(), "every kind settled");
                assertTrue(folds.get() > 0 && checks > 0, folds + " folds, " + checks + " checks");
                new InboxStatusCounts(database.dataSource(), databaseClock, "node-c").fold();
                assertCountsAreExact(database, "after the last fold");
            } finally {
                writing.set(false);
                engines.forEach(ProcessingEngine::close);
                intake.close();
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void theCountsPerHourKeepTheLastTwoDaysAndNoneOfTheChangesToOlderHours(String kind) throws Exception {
        try (EngineHarness harness = harness(kind)) {
            TestDatabase database = harness.database;
            InboxStatusCounts counts = new InboxStatusCounts(database.dataSource(), harness.databaseClock, "node-a");
            harness.deliver(body(TEMPLATE, "evt_day_one", "invoice.payment_succeeded"));
            Instant firstHour = EngineHarness.START.truncatedTo(ChronoUnit.HOURS);
            harness.clock.advance(Duration.ofHours(47));
            harness.deliver(body(TEMPLATE, "evt_day_two", "invoice.payment_succeeded"));
            counts.fold();
            assertEquals(List.of(firstHour, firstHour.plus(Duration.ofHours(47))),
                    List.copyOf(perHour(database).keySet()), "both hours, 47 apart, still kept");

            harness.clock.advance(Duration.ofHours(2));
            // A change to an event of an hour no longer kept: its delta is dropped, not folded into a new row.
            database.execute("UPDATE inbox_event SET status = 'RESOLVED' WHERE event_id = 'evt_day_one'");
            counts.fold();
            Map<Instant, Map<String, Long>> kept = perHour(database);
            assertEquals(Map.of(firstHour.plus(Duration.ofHours(47)), Map.of("RECEIVED", 1L)), kept,
                    "the hour 49 hours back is gone, the one 2 hours back stays");
            assertEquals(0, database.count("SELECT COUNT(*) FROM inbox_hour_delta"), "no delta left behind");
            try (Connection connection = database.dataSource().getConnection()) {
                assertEquals(Map.of("RECEIVED", 1L, "RESOLVED", 1L), InboxStatusCounts.read(connection),
                        "the counts per status keep every event, whenever it came");
            }
        }
    }

    private static Map<Instant, Map<String, Long>> perHour(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            return InboxStatusCounts.receivedPerHour(connection, Instant.EPOCH);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void theMigrationsStartTheCountsFromTheEventsStoredAndWhatChangedMeanwhile(String kind) throws Exception {
        try (TestDatabase database = TestDatabase.upTo(kind.equals("PostgreSQL"), "51.10")) {
            for (int i = 0; i < 30; i++) {
                seed(database, "evt_before_" + i, i % 3 == 0 ? "PROCESSED" : i % 3 == 1 ? "FAILED" : "UNMAPPED");
            }
            SchemaMigration.configure(database.dataSource(), SchemaMigration.Online.none()).target("75").load()
                    .migrate();
            // Between the two migrations the triggers count already: writes of the nodes still running.
            seed(database, "evt_between_1", "RECEIVED");
            seed(database, "evt_between_2", "RECEIVED");
            database.execute("UPDATE inbox_event SET status = 'RETRY_SCHEDULED' WHERE event_id IN ('evt_before_1',"
                    + " 'evt_between_1')", "DELETE FROM inbox_event WHERE event_id IN ('evt_before_0', 'evt_before_2')");
            assertTrue(database.count("SELECT COUNT(*) FROM inbox_status_delta") > 0);

            // The counts per hour: their triggers count from V80 on, their start (V81) counts the rest.
            SchemaMigration.configure(database.dataSource(), SchemaMigration.Online.none()).target("80").load()
                    .migrate();
            seed(database, "evt_between_3", "RECEIVED");
            database.execute("UPDATE inbox_event SET status = 'PROCESSED' WHERE event_id IN ('evt_between_2',"
                    + " 'evt_before_4')", "DELETE FROM inbox_event WHERE event_id = 'evt_before_5'");
            assertTrue(database.count("SELECT COUNT(*) FROM inbox_hour_delta") > 0);

            database.migrate();
            Map<String, Long> started = assertCountsAreExact(database, "once the counts started");
            assertEquals(Map.of("PROCESSED", 11L, "FAILED", 8L, "UNMAPPED", 8L, "RECEIVED", 1L, "RETRY_SCHEDULED", 2L),
                    started);
            seed(database, "evt_after", "RECEIVED");
            new InboxStatusCounts(database.dataSource(), DatabaseClock.database(), "node-a").fold();
            assertEquals(2L, assertCountsAreExact(database, "after the next event and a fold").get("RECEIVED"));
        }
    }

    /**
     * The counts and a count of the inbox, read in one snapshot; asserted equal: per status, and per hour received
     * and status. Returns the counts per status.
     */
    static Map<String, Long> assertCountsAreExact(TestDatabase database, String when) throws SQLException {
        Map<String, Long> kept;
        Map<Instant, Map<String, Long>> keptPerHour;
        Map<String, Long> counted = new TreeMap<>();
        Map<Instant, Map<String, Long>> countedPerHour = new TreeMap<>();
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(database.isPostgres() ? Connection.TRANSACTION_REPEATABLE_READ
                    : Connection.TRANSACTION_SERIALIZABLE);
            try {
                kept = InboxStatusCounts.read(connection);
                keptPerHour = InboxStatusCounts.receivedPerHour(connection, Instant.EPOCH);
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT status, received_at FROM inbox_event")) {
                    while (rows.next()) {
                        counted.merge(rows.getString(1), 1L, Long::sum);
                        countedPerHour.computeIfAbsent(rows.getTimestamp(2).toInstant().truncatedTo(ChronoUnit.HOURS),
                                hour -> new TreeMap<>()).merge(rows.getString(1), 1L, Long::sum);
                    }
                }
            } finally {
                connection.rollback();
            }
        }
        assertEquals(counted, kept, when);
        assertEquals(countedPerHour, keptPerHour, when + ", per hour received");
        return kept;
    }

    /** The engine's harness on a new database of the kind, with the faulty handlers' table. */
    private static EngineHarness harness(String kind) throws SQLException {
        EngineHarness harness = new EngineHarness(kind.equals("PostgreSQL") ? TestDatabase.postgres() : TestDatabase.h2());
        harness.database.execute(FaultyHandler.TABLE);
        return harness;
    }

    /** A change the counts saw inside its transaction, rolled back: the deltas go with it. */
    private static void rolledBack(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE inbox_event SET status = 'RESOLVED' WHERE status = 'PROCESSED'");
                statement.executeUpdate("DELETE FROM event_attempt");
                statement.executeUpdate("DELETE FROM inbox_event WHERE status = 'RESOLVED'");
                assertTrue(InboxStatusCounts.read(connection).getOrDefault("PROCESSED", 0L) == 0,
                        "the transaction sees its own changes counted");
            } finally {
                connection.rollback();
            }
        }
    }

    private static byte[] body(String fixture, String eventId, String type) {
        StripeFixtures.Fixture template = StripeFixtures.get(fixture);
        return new String(template.body(), StandardCharsets.UTF_8).replace(template.eventId(), eventId)
                .replace("in_TEST1_SUB0001", "in_" + eventId)
                .replace("\"type\": \"invoice.payment_succeeded\"", "\"type\": \"" + type + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static EventEnvelope envelope(String id, String type) {
        byte[] body = ("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
        return new EventEnvelope(id, type, "2026-07-29.dahlia", false, null, Instant.ofEpochSecond(1785765755),
                "invoice", "in_" + id, "cus_1", body, EventSource.WEBHOOK);
    }

    private static void seed(TestDatabase database, String eventId, String status) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox_event (event_id, event_type,"
                     + " livemode, stripe_created, payload, received_at, delivery_count, last_delivered_at, status)"
                     + " VALUES (?, 'invoice.paid', FALSE, CURRENT_TIMESTAMP, ?, CURRENT_TIMESTAMP, 1,"
                     + " CURRENT_TIMESTAMP, ?)")) {
            insert.setString(1, eventId);
            insert.setBytes(2, "{}".getBytes(StandardCharsets.UTF_8));
            insert.setString(3, status);
            insert.executeUpdate();
        }
    }
}
