package io.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.platform.time.DatabaseClock;
import io.billing.inbox.EventEnvelope;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.GroupCommitWriter;
import io.billing.inbox.InboxUnavailableException;
import io.billing.inbox.MalformedEventException;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.retention.DataRetention;
import io.billing.retention.RetentionSettings;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.StripeFixtures;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Data retention on a large inbox, and what it costs the intake: fills schema {@value #SCHEMA} with
 * {@code bench.purge.events} events (default 10,000,000) of the 6 KB {@code acme/06} shape, generated inside
 * PostgreSQL, settled over the last 180 days (so about half are past the 90-day retention of their bodies), with
 * a failed attempt and its stack trace for every 20th event and a delivered outbound message for every 10th. Then
 * it writes {@code bench.purge.intake-rate} events/s through the real intake ({@link GroupCommitWriter}), paced,
 * measures the intake alone for {@code bench.purge.baseline-seconds}, runs one {@link DataRetention} run while the
 * intake goes on, and prints the rows removed per second, the run's duration and the intake's latency (from each
 * event's scheduled send to its commit) before and during the run.
 *
 * <p>Run: {@code ./mvnw -Pbench verify -pl billing-domain -Dbench.engine.skip=true -Dbench.purge.skip=false}
 * (docs/benchmarks.md). The schema is filled afresh every run.
 */
public final class RetentionPurgeBenchmark {

    static final String SCHEMA = "billing_purge_bench";
    private static final Duration SPAN = Duration.ofDays(180);
    private static final int CHUNK = 100_000;

    /** The events of one chunk: {@code n} from the two bounds, settled {@code at}, spread evenly over the span. */
    private static final String CHUNK_ROWS = """
            (SELECT n, now() - (? - n) * (? * INTERVAL '1 second') AS at FROM generate_series(?::bigint, ?::bigint) AS n) g""";

    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(System.getProperty("bench.purge.events", "10000000"));
        int batchSize = Integer.parseInt(System.getProperty("bench.purge.batch-size", "1000"));
        long pauseMillis = Long.parseLong(System.getProperty("bench.purge.pause-ms", "0"));
        int rate = Integer.parseInt(System.getProperty("bench.purge.intake-rate", "200"));
        int warmupSeconds = Integer.parseInt(System.getProperty("bench.purge.warmup-seconds", "20"));
        int baselineSeconds = Integer.parseInt(System.getProperty("bench.purge.baseline-seconds", "30"));
        String dbUrl = System.getProperty("bench.db-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String dbUser = System.getProperty("bench.db-user", "postgres");
        try (HikariDataSource pool = pool(dbUrl, dbUser)) {
            double fillSeconds = fill(pool, events);
            long due = count(pool, "SELECT COUNT(*) FROM inbox_event WHERE status IN ('PROCESSED', 'IGNORED')"
                    + " AND status_changed_at < now() - INTERVAL '90 days'");

            Intake intake = new Intake(pool, rate);
            intake.start();
            intake.measureInto(null);
            TimeUnit.SECONDS.sleep(warmupSeconds);
            List<Long> before = Collections.synchronizedList(new ArrayList<>());
            intake.measureInto(before);
            TimeUnit.SECONDS.sleep(baselineSeconds);
            List<Long> during = Collections.synchronizedList(new ArrayList<>());
            intake.measureInto(during);
            RetentionSettings settings = new RetentionSettings(Duration.ofDays(90), Duration.ofDays(90),
                    Duration.ofDays(90), batchSize, Duration.ofMillis(pauseMillis), Duration.ofMinutes(5));
            long started = System.nanoTime();
            DataRetention.Run run = new DataRetention(pool, Clock.systemUTC(), DatabaseClock.database(), "bench", settings,
                    DataRetention.Observer.NONE)
                    .runOnce().orElseThrow();
            double purgeSeconds = (System.nanoTime() - started) / 1e9;
            intake.measureInto(null);
            intake.stop();

            long left = count(pool, "SELECT COUNT(*) FROM inbox_event WHERE payload IS NOT NULL"
                    + " AND status IN ('PROCESSED', 'IGNORED') AND status_changed_at < now() - INTERVAL '91 days'");
            if (run.payloads() < due || left > 0 || intake.failures() > 0) {
                throw new IllegalStateException("the run removed " + run.payloads() + " of " + due + " bodies due, "
                        + left + " are left; " + intake.failures() + " intake writes failed");
            }
            long rows = run.payloads() + run.attemptDetails() + run.outboxMessages() + run.outboxAttempts();
            System.out.printf(Locale.ROOT, "%n============== retention purge benchmark ==============%n");
            System.out.printf(Locale.ROOT, "events             %,d (%s bodies, settled over %d days), filled in %.0f s%n",
                    events, EngineDrainBenchmark.FIXTURE, SPAN.toDays(), fillSeconds);
            System.out.printf(Locale.ROOT, "removed            %,d bodies (%,d due), %,d attempts' details, %,d delivered"
                            + " messages with %,d attempts%n", run.payloads(), due, run.attemptDetails(),
                    run.outboxMessages(), run.outboxAttempts());
            System.out.printf(Locale.ROOT, "purge              %.1f s, %,.0f bodies/s, %,.0f rows/s of every kind, %,d"
                            + " transactions of up to %d rows, pause %d ms%n", purgeSeconds, run.payloads() / purgeSeconds,
                    rows / purgeSeconds, run.transactions(), batchSize, pauseMillis);
            System.out.printf(Locale.ROOT, "intake             %d events/s paced, latency from the scheduled send to the"
                    + " commit:%n", rate);
            print("  before the purge", before);
            print("  during the purge", during);
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                 ResultSet r = st.executeQuery("SELECT version(), current_setting('synchronous_commit'),"
                         + " pg_size_pretty(pg_total_relation_size('inbox_event'))")) {
                r.next();
                System.out.printf(Locale.ROOT, "inbox_event        %s on disk after the run (space is reused, not returned)%n",
                        r.getString(3));
                System.out.printf(Locale.ROOT, "cores              %d%nPostgreSQL         %s, synchronous_commit=%s%n",
                        Runtime.getRuntime().availableProcessors(), r.getString(1).split(" on ")[0], r.getString(2));
            }
            System.out.println("=======================================================");
        }
        System.exit(0);
    }

    private static void print(String phase, List<Long> nanos) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-20s no events%n", phase);
            return;
        }
        System.out.printf(Locale.ROOT, "%-20s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (%,d events)%n", phase,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }

    private static HikariDataSource pool(String dbUrl, String user) throws SQLException {
        PostgresSchemas.recreate(dbUrl, user, "", SCHEMA);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresSchemas.withSchema(dbUrl, SCHEMA));
        config.setUsername(user);
        config.setMaximumPoolSize(8);
        HikariDataSource pool = new HikariDataSource(config);
        SchemaMigration.migrate(pool, SchemaMigration.Online.none());
        return pool;
    }

    /** Generates the events, their attempts and their messages inside PostgreSQL, one chunk a transaction. */
    private static double fill(HikariDataSource pool, long events) throws SQLException {
        String template = new String(StripeFixtures.get(EngineDrainBenchmark.FIXTURE).body(), StandardCharsets.UTF_8);
        String eventId = StripeFixtures.get(EngineDrainBenchmark.FIXTURE).eventId();
        String eventsSql = """
                INSERT INTO inbox_event (event_id, event_type, api_version, livemode, stripe_created, object_type,
                    object_id, customer_id, payload, received_at, delivery_count, last_delivered_at, status, status_reason,
                    status_changed_at, tenant_id, attempt_count, cycle_attempts, source)
                SELECT 'evt_purge_' || n, 'invoice.payment_succeeded', '2026-07-29.dahlia', FALSE, at - INTERVAL '2 seconds',
                       'invoice', 'in_purge_' || n, 'cus_purge_' || (n % 20000),
                       convert_to(replace(replace(?, ?, 'evt_purge_' || n), 'in_TEST1_SUB0001', 'in_purge_' || n), 'UTF8'),
                       at - INTERVAL '1 second', 1, at - INTERVAL '1 second',
                       CASE WHEN n % 50 = 7 THEN 'FAILED' WHEN n % 33 = 5 THEN 'IGNORED' ELSE 'PROCESSED' END,
                       CASE WHEN n % 50 = 7 THEN 'IllegalStateException: boom' END,
                       at, 'tenant_' || (n % 1000), 1, 1, 'WEBHOOK'
                FROM """ + CHUNK_ROWS;
        String attemptsSql = """
                INSERT INTO event_attempt (event_id, attempt_no, node_id, started_at, finished_at, outcome, error_class,
                    error_message, stack_trace)
                SELECT 'evt_purge_' || n, 1, 'bench', at - INTERVAL '5 milliseconds', at, 'RETRY_SCHEDULED',
                       'java.lang.IllegalStateException', 'no tenant for customer cus_purge_' || (n % 20000),
                       repeat('    at io.billing.processing.EventProcessor.apply(EventProcessor.java:282)' || chr(10), 40)
                FROM """ + CHUNK_ROWS + " WHERE n % 20 = 0";
        String messagesSql = """
                INSERT INTO outbox_message (idempotency_key, destination, tenant_id, source_event_id, payload, created_at,
                    status, attempt_count, delivered_at)
                SELECT 'rating:pi_purge_' || n, 'rating', 'tenant_' || (n % 1000), 'evt_purge_' || n,
                       '{"payment":"pi_purge_' || n || '","amount":4900,"currency":"usd"}', at, 'DELIVERED', 1, at
                FROM """ + CHUNK_ROWS + " WHERE n % 10 = 0";
        String messageAttemptsSql = """
                INSERT INTO outbox_attempt (idempotency_key, attempt_no, node_id, started_at, finished_at, outcome,
                    http_status)
                SELECT 'rating:pi_purge_' || n, 1, 'bench', at, at, 'DELIVERED', 200
                FROM """ + CHUNK_ROWS + " WHERE n % 10 = 0";
        double secondsPerEvent = (double) SPAN.toSeconds() / events;
        long started = System.nanoTime();
        for (long from = 1; from <= events; from += CHUNK) {
            long to = Math.min(events, from + CHUNK - 1);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement(eventsSql)) {
                    insert.setString(1, template);
                    insert.setString(2, eventId);
                    chunk(insert, 3, events, secondsPerEvent, from, to);
                    insert.executeUpdate();
                }
                for (String sql : List.of(attemptsSql, messagesSql, messageAttemptsSql)) {
                    try (PreparedStatement insert = c.prepareStatement(sql)) {
                        chunk(insert, 1, events, secondsPerEvent, from, to);
                        insert.executeUpdate();
                    }
                }
                c.commit();
            }
            System.out.printf(Locale.ROOT, "filled %,d events (%.0f s)%n", to, (System.nanoTime() - started) / 1e9);
        }
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE inbox_event, event_attempt, outbox_message, outbox_attempt");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void chunk(PreparedStatement insert, int first, long events, double secondsPerEvent, long from,
                              long to) throws SQLException {
        insert.setLong(first, events);
        insert.setDouble(first + 1, secondsPerEvent);
        insert.setLong(first + 2, from);
        insert.setLong(first + 3, to);
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * New events through the real intake at a fixed rate, each timed from when it was due to be sent (so a stall
     * counts for every event due behind it) to its commit.
     */
    private static final class Intake {

        private static final int SENDERS = 16;

        private final GroupCommitWriter writer;
        private final int rate;
        private final String template;
        private final String templateId;
        private final EventEnvelopeParser parser = new EventEnvelopeParser();
        private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<List<Long>> samples = new AtomicReference<>();
        private final AtomicLong sequence = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final List<CompletableFuture<Void>> loops = new ArrayList<>();

        Intake(HikariDataSource pool, int rate) {
            this.writer = new GroupCommitWriter(pool, Clock.systemUTC(),
                    new GroupCommitWriter.Settings(2, 256, 8192, Duration.ofSeconds(30)), Thread::new);
            this.rate = rate;
            this.template = new String(StripeFixtures.get(EngineDrainBenchmark.FIXTURE).body(), StandardCharsets.UTF_8);
            this.templateId = StripeFixtures.get(EngineDrainBenchmark.FIXTURE).eventId();
        }

        void start() {
            long period = TimeUnit.SECONDS.toNanos(1) * SENDERS / rate;
            long origin = System.nanoTime();
            for (int s = 0; s < SENDERS; s++) {
                long first = origin + period * s / SENDERS;
                loops.add(CompletableFuture.runAsync(() -> send(first, period), senders));
            }
        }

        private void send(long first, long period) {
            long due = first;
            while (running.get()) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long n = sequence.incrementAndGet();
                try {
                    EventEnvelope event = parser.parse(template.replace(templateId, "evt_load_" + n)
                            .replace("in_TEST1_SUB0001", "in_load_" + n).getBytes(StandardCharsets.UTF_8));
                    writer.store(event);
                    List<Long> into = samples.get();
                    if (into != null) {
                        into.add(System.nanoTime() - due);
                    }
                } catch (InboxUnavailableException | MalformedEventException e) {
                    failures.incrementAndGet();
                }
                due += period;
            }
        }

        /** From now on, latencies go into {@code into}; null drops them. */
        void measureInto(List<Long> into) {
            samples.set(into);
        }

        long failures() {
            return failures.get();
        }

        void stop() throws Exception {
            running.set(false);
            for (CompletableFuture<Void> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
            senders.shutdown();
            writer.close();
        }
    }
}
