package io.billing.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.billing.it.TcpProxy;
import io.billing.service.ServiceProcess;
import io.billing.testsupport.FakeStripeApi;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.TestPostgres;
import io.billing.testsupport.StripeFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scale-out story, end to end: three Payara Micro processes (the built WAR, started as the README starts it) on
 * three ports, one PostgreSQL behind a TCP proxy the test controls, and a Stripe-like sender spreading signed
 * {@code invoice.paid} events, a fifth of them delivered twice, over the three. Mid-load one instance is killed with
 * SIGKILL and started again, and the database is cut for a few seconds. Afterwards every acknowledged event is in
 * the inbox once and processed exactly once, the ledger holds exactly the sums the invoices add up to, nothing is
 * left waiting, and the sender was never answered anything but 2xx or 503.
 *
 * <p>It also shows the job that must run once in the cluster, missed-event recovery (against a local fake of the
 * Stripe API, every few seconds on every instance), never running on two instances at once.
 */
class ThreeInstancesIT {

    private static final String SCHEMA = "billing_cluster";
    private static final int INSTANCES = 3;
    private static final int UNIQUE_EVENTS = 2_400;
    private static final double DUPLICATE_SHARE = 0.2;
    private static final int SENDERS = 12;
    private static final double DELIVERIES_PER_SECOND = 100;
    private static final String[] TENANTS = {"tenant_cluster_a", "tenant_cluster_b", "tenant_cluster_c"};
    private static final String FIXTURE = "acme/05_invoice.paid.subscription_create.json";
    /** Small JVMs, C1 only: this is about correctness under failure on two cores, not speed. */
    private static final String JVM_OPTIONS = "-Xmx640m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private final String secret = "whsec_cluster_" + UUID.randomUUID().toString().replace("-", "");
    private final List<ServiceProcess> instances = new ArrayList<>();
    private TcpProxy database;
    private FakeStripeApi stripe;

    @AfterEach
    void stopEverything() {
        instances.forEach(ServiceProcess::close);
        if (database != null) {
            database.close();
        }
        if (stripe != null) {
            stripe.close();
        }
    }

    @Test
    void threeInstancesOnOneDatabaseApplyEveryEventOnceThroughAKilledNodeAndADatabaseCut() throws Exception {
        try (Connection db = connect()) {
            PostgresSchemas.recreate(db, SCHEMA);
        }
        database = new TcpProxy(ServiceProcess.freePort(), PostgresSchemas.host(postgresUrl()), PostgresSchemas.port(postgresUrl()));
        database.restore();
        stripe = new FakeStripeApi("sk_test_cluster");
        Map<String, String> settings = settings();
        for (int i = 1; i <= INSTANCES; i++) {
            ServiceProcess instance = new ServiceProcess(war(), ServiceProcess.freePort(),
                    Path.of("target", "cluster", "instance-" + i + ".log"));
            instances.add(instance);
            instance.start(microJar(), withNode(settings, i), JVM_OPTIONS);
        }
        for (ServiceProcess instance : instances) {
            instance.awaitReady("GET", "/health/ready", 200);
        }

        List<Invoice> invoices = invoices();
        List<Invoice> deliveries = deliveries(invoices);
        FailoverSender sender = new FailoverSender(instances.stream().map(ServiceProcess::baseUri).toList(), secret);
        Instant loadStarted = Instant.now();
        AtomicInteger started = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        long startNanos = System.nanoTime();
        for (int n = 0; n < deliveries.size(); n++) {
            Invoice delivery = deliveries.get(n);
            long dueNanos = startNanos + (long) (n * 1e9 / DELIVERIES_PER_SECOND);
            outcomes.add(pool.submit(() -> {
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                started.incrementAndGet();
                return sender.deliver(delivery.body());
            }));
        }

        // Chaos while the load runs: a node dies without warning and comes back; then the database goes away.
        ServiceProcess victim = instances.get(1);
        awaitProgress(started, deliveries.size() / 5);
        victim.kill();
        System.out.println("killed instance 2 (SIGKILL) after " + started.get() + " deliveries started");
        victim.start(microJar(), withNode(settings, 2), JVM_OPTIONS);
        awaitProgress(started, deliveries.size() / 2);
        database.cut();
        System.out.println("database cut after " + started.get() + " deliveries started");
        TimeUnit.SECONDS.sleep(4);
        database.restore();
        System.out.println("database back after " + started.get() + " deliveries started");

        long refused = 0;
        for (Future<Boolean> outcome : outcomes) {
            refused += outcome.get(5, TimeUnit.MINUTES) ? 0 : 1;
        }
        pool.shutdown();
        sender.close();
        victim.awaitReady("GET", "/health/ready", 200);
        System.out.printf("load: %d deliveries of %d events in %d s; answers %s; %d connections failed (no answer)%n",
                deliveries.size(), invoices.size(), java.time.Duration.between(loadStarted, Instant.now()).toSeconds(),
                sender.statuses(), sender.connectionFailures());

        // What the sender saw: only acknowledgements and "try again later"; every delivery acknowledged at last.
        assertEquals(0, refused, "deliveries never acknowledged: " + sender.statuses() + " " + sender.unexpectedAnswers());
        assertTrue(sender.statuses().keySet().stream().allMatch(status -> status == 200 || status == 503),
                "only 2xx or 503 answers: " + sender.statuses());
        assertTrue(sender.statuses().getOrDefault(503, 0L) > 0, "the database cut happened under load (503s seen)");

        try (Connection db = connect()) {
            awaitSettled(db, invoices.size());
            assertEquals(Map.of("PROCESSED", (long) invoices.size()), countBy(db,
                    "SELECT status, COUNT(*) FROM " + SCHEMA + ".inbox_event WHERE event_id LIKE 'evt_cluster_%'"
                            + " GROUP BY status"), "every event stored once, processed, none stuck");
            assertEquals(Map.of("1", (long) invoices.size()), countBy(db,
                    "SELECT n, COUNT(*) FROM (SELECT event_id, COUNT(*) AS n FROM " + SCHEMA + ".event_attempt"
                            + " WHERE outcome = 'PROCESSED' GROUP BY event_id) per_event GROUP BY n"),
                    "exactly one processed attempt per event");
            long deliveriesStored = single(db, "SELECT SUM(delivery_count) FROM " + SCHEMA + ".inbox_event");
            assertTrue(deliveriesStored >= deliveries.size(),
                    "every acknowledged delivery counted: " + deliveriesStored + " of " + deliveries.size());

            for (String tenant : TENANTS) {
                long expected = invoices.stream().filter(i -> i.tenant().equals(tenant)).mapToLong(Invoice::amount).sum();
                long count = invoices.stream().filter(i -> i.tenant().equals(tenant)).count();
                Map<String, Long> balances = balances(db, tenant);
                assertEquals(Map.of("REVENUE", -expected, "STRIPE_BALANCE", expected), withoutZeros(balances),
                        tenant + ": revenue and balance are the invoices' sum, receivables settled");
                assertEquals(2 * count, single(db, "SELECT COUNT(*) FROM " + SCHEMA + ".journal_entry WHERE tenant_id = '"
                        + tenant + "'"), tenant + ": one issue and one payment entry per invoice");
            }
            assertRecoveryNeverOverlapped(db);
            System.out.println("attempts by node: " + countBy(db, "SELECT node_id, COUNT(*) FROM " + SCHEMA
                    + ".event_attempt GROUP BY node_id") + "; events that needed more than one attempt: "
                    + single(db, "SELECT COUNT(*) FROM " + SCHEMA + ".inbox_event WHERE attempt_count > 1"));
        }
        for (ServiceProcess instance : instances) {
            assertEquals(200, ServiceProcess.probe("GET", instance.baseUri().resolve("health/ready")),
                    "ready again: " + instance.baseUri());
        }
    }

    /** One invoice paid: its event, tenant and amount in minor units. */
    private record Invoice(String eventId, String tenant, long amount, byte[] body) {
    }

    /** Unique invoices built from the acme story's first paid invoice: own ids, a tenant of three, an amount. */
    private static List<Invoice> invoices() {
        StripeFixtures.Fixture fixture = StripeFixtures.get(FIXTURE);
        String template = new String(fixture.body(), StandardCharsets.UTF_8);
        Random random = new Random(42);
        List<Invoice> invoices = new ArrayList<>();
        for (int n = 0; n < UNIQUE_EVENTS; n++) {
            String tenant = TENANTS[n % TENANTS.length];
            String suffix = tenant.substring(tenant.length() - 1);
            long amount = 1_000 + random.nextInt(9_000);
            String eventId = "evt_cluster_" + n;
            String body = template.replace(fixture.eventId(), eventId)
                    .replace("in_TEST1_SUB0001", "in_cluster_" + n)
                    .replace("cus_TEST1", "cus_cluster_" + suffix)
                    .replace("sub_TEST1", "sub_cluster_" + suffix)
                    .replace("tenant_acme", tenant)
                    .replace("ord_1001", "ord_cluster_" + n)
                    .replace("2900", Long.toString(amount));
            invoices.add(new Invoice(eventId, tenant, amount, body.getBytes(StandardCharsets.UTF_8)));
        }
        return invoices;
    }

    /** Every invoice once and a fifth of them again, in a random order. */
    private static List<Invoice> deliveries(List<Invoice> invoices) {
        List<Invoice> deliveries = new ArrayList<>(invoices);
        List<Invoice> again = new ArrayList<>(invoices);
        Collections.shuffle(again, new Random(7));
        deliveries.addAll(again.subList(0, (int) (invoices.size() * DUPLICATE_SHARE)));
        Collections.shuffle(deliveries, new Random(11));
        return deliveries;
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("BILLING_DB_URL", PostgresSchemas.throughPort(postgresUrl(), database.port(), SCHEMA));
        settings.put("BILLING_DB_USER", TestPostgres.server().user());
        settings.put("BILLING_DB_PASSWORD", TestPostgres.server().password());
        settings.put("STRIPE_WEBHOOK_SECRETS", secret);
        settings.put("BILLING_ADMIN_PASSWORD", "cluster-" + UUID.randomUUID());
        // A dead node's claims are taken over after 10 s rather than 2 minutes; failed attempts retried within seconds.
        settings.put("BILLING_ENGINE_LEASE_SECONDS", "10");
        settings.put("BILLING_ENGINE_RETRY_BASE_SECONDS", "1");
        settings.put("BILLING_ENGINE_RETRY_CAP_SECONDS", "5");
        settings.put("BILLING_LOG_EVENT_LINES", "false");
        // Recovery every 3 s on every instance, against the fake: the lease must keep the runs apart.
        settings.put("STRIPE_API_KEY", "sk_test_cluster");
        settings.put("STRIPE_API_BASE", stripe.baseUrl());
        settings.put("BILLING_RECOVERY_INTERVAL_SECONDS", "3");
        return settings;
    }

    private static Map<String, String> withNode(Map<String, String> settings, int node) {
        Map<String, String> mine = new HashMap<>(settings);
        mine.put("BILLING_ENGINE_NODE_ID", "node-" + node);
        return mine;
    }

    private static void awaitProgress(AtomicInteger started, int target) throws InterruptedException {
        while (started.get() < target) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static void awaitSettled(Connection db, int events) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        long processed = 0;
        while (System.nanoTime() < deadline) {
            processed = single(db, "SELECT COUNT(*) FROM " + SCHEMA + ".inbox_event WHERE status = 'PROCESSED'");
            if (processed >= events) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError(processed + " of " + events + " events processed after 3 minutes; by status: "
                + countBy(db, "SELECT status, COUNT(*) FROM " + SCHEMA + ".inbox_event GROUP BY status"));
    }

    /** Debit minus credit per account, in minor units. */
    private static Map<String, Long> balances(Connection db, String tenant) throws SQLException {
        return countBy(db, "SELECT account, SUM(debit - credit) FROM " + SCHEMA + ".journal_line WHERE tenant_id = '"
                + tenant + "' GROUP BY account");
    }

    private static Map<String, Long> withoutZeros(Map<String, Long> balances) {
        Map<String, Long> nonZero = new TreeMap<>(balances);
        nonZero.values().removeIf(v -> v == 0);
        return nonZero;
    }

    /** Runs are recorded with their start and end; no run may start before another one ended. */
    private static void assertRecoveryNeverOverlapped(Connection db) throws SQLException {
        List<Instant[]> runs = new ArrayList<>();
        Map<String, Long> byNode = new TreeMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT node_id, started_at, finished_at"
                + " FROM " + SCHEMA + ".recovery_run WHERE finished_at IS NOT NULL ORDER BY started_at")) {
            while (rs.next()) {
                byNode.merge(rs.getString(1), 1L, Long::sum);
                runs.add(new Instant[] {rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()});
            }
        }
        System.out.println("recovery runs by node: " + byNode);
        assertTrue(runs.size() >= 3, "recovery ran every few seconds: " + runs.size() + " runs");
        for (int i = 1; i < runs.size(); i++) {
            assertTrue(!runs.get(i)[0].isBefore(runs.get(i - 1)[1]),
                    "run " + i + " started " + runs.get(i)[0] + " before run " + (i - 1) + " ended " + runs.get(i - 1)[1]);
        }
    }

    private static Map<String, Long> countBy(Connection db, String sql) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return TestPostgres.server().connect();
    }

    private static String postgresUrl() {
        return TestPostgres.server().url();
    }

    private static Path war() {
        return Path.of(System.getProperty("it.war"));
    }

    private static Path microJar() {
        return Path.of(System.getProperty("payara.microJar"));
    }
}
