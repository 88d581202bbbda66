package io.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.composition.EventHandlers;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.GroupCommitWriter;
import io.billing.notification.TenantNotifications;
import io.billing.outbox.Outbox;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.queue.WorkSignal;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.EngineSettings;
import io.billing.processing.EventProcessor;
import io.billing.processing.HandlerRegistry;
import io.billing.processing.ProcessingEngine;
import io.billing.processing.handler.EventHandler;
import io.billing.stripe.StripeModes;
import io.billing.stripe.objects.StripeObjectProjection;
import io.billing.tenant.StripeTenantResolver;
import io.billing.tenant.TenantMappings;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.StripeFixtures;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * How fast the processing engine drains a backlog on PostgreSQL, without the web tier: it fills the inbox
 * with {@code bench.engine.events} distinct events (the {@value #FIXTURE} fixture, each with its own
 * event and invoice id), then, for each worker count in {@code bench.engine.workers}, puts every event
 * back to RECEIVED, starts one engine and times it until every event is settled: first with the engine's
 * recording handlers (Stripe object snapshots, tenant resolution and mappings), then with every handler
 * the application runs (the billing domain's too: each event posts two ledger entries). Each set first drains
 * {@code bench.engine.warm-ups} times untimed (default 1, with 4 workers), so that the figures are of a
 * warmed-up JVM, as a running node's are. Run with {@code ./mvnw -Pbench verify}; schema {@value #SCHEMA} in {@code bench.db-url}.
 */
public final class EngineDrainBenchmark {

    static final String SCHEMA = "billing_drain_bench";
    static final String FIXTURE = "acme/06_invoice.payment_succeeded.json";

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(System.getProperty("bench.engine.events", "20000"));
        String workerLevels = System.getProperty("bench.engine.workers", "2,4,8");
        int warmUps = Integer.parseInt(System.getProperty("bench.engine.warm-ups", "1"));
        int batchSize = Integer.parseInt(System.getProperty("bench.engine.batch-size", "16"));
        String dbUrl = System.getProperty("bench.db-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String dbUser = System.getProperty("bench.db-user", "postgres");
        // Counting the statements costs the engine some CPU of its own: asked for, the figures show the counts only.
        StatementCount statements = Boolean.getBoolean("bench.engine.statements") ? new StatementCount() : null;
        try (HikariDataSource pool = pool(dbUrl, dbUser);
             DataAccess data = DataAccess.over(statements == null ? pool : statements.counting(pool))) {
            fill(pool, events);
            System.out.printf(Locale.ROOT, "%n============== engine drain benchmark ==============%n");
            System.out.printf(Locale.ROOT, "events             %d distinct (%s, own event and invoice ids)%n",
                    events, FIXTURE);
            Map<String, List<EventHandler>> handlerSets = new LinkedHashMap<>();
            handlerSets.put("recording", List.of(new StripeObjectProjection(), new TenantNotifications()));
            handlerSets.put("domain", EventHandlers.all(EventHandlers.Switches.none().withTenantNotifications()));
            List<String> chosen = List.of(System.getProperty("bench.engine.sets", "recording,domain").split(","));
            handlerSets.keySet().retainAll(chosen);
            for (Map.Entry<String, List<EventHandler>> handlers : handlerSets.entrySet()) {
                // A node drains for days: the figures are of a warmed-up JVM. The first drain of a handler set
                // runs while the JIT still compiles its code (the persistence provider's most of all) and
                // measured up to a third slower; it is shown, not counted.
                for (int round = 0; round < warmUps; round++) {
                    Drain drain = drain(data, 4, batchSize, events, handlers.getValue());
                    System.out.printf(Locale.ROOT, "%-9s warm-up    %.2f s, %.0f events/s (not counted)%n",
                            handlers.getKey(), drain.seconds(), events / drain.seconds());
                }
                for (String level : workerLevels.split(",")) {
                    int workers = Integer.parseInt(level.trim());
                    if (statements != null) {
                        statements.reset();
                    }
                    Drain drain = drain(data, workers, batchSize, events, handlers.getValue());
                    System.out.printf(Locale.ROOT, "%-9s workers %-2d %.2f s, %.0f events/s (batch %d), engine CPU"
                                    + " %.0f µs/event%n", handlers.getKey(), workers, drain.seconds(),
                            events / drain.seconds(), batchSize, drain.cpuNanos() / 1e3 / events);
                    if (statements != null) {
                        System.out.printf(Locale.ROOT, "%-9s %.2f round trips per event; statements per event:%n%s",
                                handlers.getKey(), statements.roundTrips() / (double) events,
                                statements.top(40, events));
                    }
                }
            }
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                 ResultSet r = st.executeQuery("SELECT version(), current_setting('synchronous_commit')")) {
                r.next();
                System.out.printf(Locale.ROOT, "cores              %d%nPostgreSQL         %s, synchronous_commit=%s%n",
                        Runtime.getRuntime().availableProcessors(), r.getString(1).split(" on ")[0], r.getString(2));
            }
            System.out.println("====================================================");
        }
        System.exit(0);
    }

    private static HikariDataSource pool(String dbUrl, String user) throws SQLException {
        PostgresSchemas.recreate(dbUrl, user, "", SCHEMA);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresSchemas.withSchema(dbUrl, SCHEMA));
        config.setUsername(user);
        config.setMaximumPoolSize(24);
        HikariDataSource pool = new HikariDataSource(config);
        SchemaMigration.migrate(pool, SchemaMigration.Online.none());
        return pool;
    }

    private static void fill(HikariDataSource pool, int events) throws Exception {
        String template = new String(StripeFixtures.get(FIXTURE).body(), StandardCharsets.UTF_8);
        String eventId = StripeFixtures.get(FIXTURE).eventId();
        EventEnvelopeParser parser = new EventEnvelopeParser();
        try (GroupCommitWriter writer = new GroupCommitWriter(pool, Clock.systemUTC(),
                new GroupCommitWriter.Settings(2, 256, 8192, Duration.ofSeconds(30)), Thread::new)) {
            ExecutorService senders = Executors.newFixedThreadPool(32);
            List<Future<?>> sent = new ArrayList<>();
            for (int n = 0; n < events; n++) {
                String body = template.replace(eventId, "evt_drain_" + n).replace("in_TEST1_SUB0001", "in_drain_" + n);
                sent.add(senders.submit(() -> writer.store(parser.parse(body.getBytes(StandardCharsets.UTF_8)))));
            }
            for (Future<?> each : sent) {
                each.get();
            }
            senders.shutdown();
        }
    }

    /**
     * One drain: how long it took, and the CPU the benchmark's JVM (the engine, its JDBC driver and pool) spent on
     * it, a figure that other processes on the machine (PostgreSQL, anything else running) change far less than
     * they change the time.
     */
    private record Drain(double seconds, long cpuNanos) {
    }

    private static Drain drain(DataAccess data, int workers, int batchSize, int events,
                               List<EventHandler> handlers) throws Exception {
        DataSource pool = data.dataSource();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM event_attempt");
            // TRUNCATE, not DELETE and ANALYZE: statistics of an empty journal would make PostgreSQL plan the
            // journal_line foreign-key check as a scan and keep that plan in the pooled connections until
            // autovacuum analyses the grown table again (up to a minute), which measures the planner, not
            // the engine. TRUNCATE leaves the tables as never analysed, as a new installation's are.
            st.execute("TRUNCATE journal_line, journal_entry, journal_entry_payment, audit_log, tenant,"
                    + " reconciliation_event, reconciliation_history, reconciliation_record, subscription_paid_period");
            st.execute("DELETE FROM stripe_object");
            st.execute("DELETE FROM tenant_mapping");
            st.execute("UPDATE inbox_event SET status = 'RECEIVED', due_at = received_at, attempt_count = 0,"
                    + " cycle_attempts = 0, tenant_id = NULL, lease_owner = NULL, lease_token = NULL");
            st.execute("VACUUM ANALYZE inbox_event");
        }
        Clock clock = Clock.systemUTC();
        EngineSettings settings = new EngineSettings("bench", workers, batchSize, Duration.ofMinutes(2),
                Duration.ofMillis(50), RetryPolicy.DEFAULT, StripeModes.LIVE_AND_TEST);
        EventProcessor processor = new EventProcessor(data, clock, DatabaseClock.database(), settings,
                new HandlerRegistry(handlers),
                new StripeTenantResolver(new TenantMappings(data, clock)), new Outbox());
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        try (ProcessingEngine engine = new ProcessingEngine(processor, new WorkSignal(), Thread::new)) {
            engine.start();
            // Ten looks a second: the count reads the inbox, and at 50 a second it took a tenth of a core from
            // the database the engine is measured against. The drain's end is then known to within 0.1 s.
            while (unsettled(pool) > 0) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpuNanos = os.getProcessCpuTime() - cpuBefore;
        long processed = count(pool, "SELECT COUNT(*) FROM inbox_event WHERE status = 'PROCESSED'");
        if (processed != events) {
            throw new IllegalStateException(processed + " of " + events + " events processed");
        }
        return new Drain(seconds, cpuNanos);
    }

    private static long unsettled(DataSource pool) throws SQLException {
        return count(pool, "SELECT COUNT(*) FROM inbox_event WHERE status IN ('RECEIVED', 'PROCESSING', 'RETRY_SCHEDULED')");
    }

    private static long count(DataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
