package io.billing.bench;

import io.billing.service.ServiceProcess;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The webhook intake benchmark: how many Stripe events per second {@code POST /api/stripe/webhook} stores,
 * and how long each one waits for its 200, which the service only answers once the event is committed
 * in PostgreSQL. Run it with {@code ./mvnw -Pbench verify}; it is a program, not a test, so that its
 * figures come from one deliberate run rather than from every build.
 *
 * <h2>What it does</h2>
 * Unless {@code bench.url} names a running service, it recreates the PostgreSQL schema
 * {@value #SCHEMA}, starts the built WAR on Payara Micro as a child process (log in
 * {@code bench-payara.log} beside the WAR) with a random webhook secret passed only through the child's
 * environment, and waits for it to answer. For each concurrency level it then starts one thread per
 * connection ({@link IntakeLoadWorker}), each with its own keep-alive HTTP/1.1 connection, and sends
 * events built from one realistic fixture ({@value #FIXTURE}, about 6 KB), each with a unique event id
 * ({@code evt_bench_<run>_<worker>_<seq>}) and signed at the moment it is built, exactly as Stripe does.
 * Each level has a warm-up (JIT compilation, connection pools, first batches; answers counted but not
 * measured), then the measured window. At the end it counts the rows of {@code inbox_event}: there must
 * be exactly one per 200 answer, or the service answered 200 for something it did not store.
 *
 * <h2>Two ways to load</h2>
 * <ul>
 *   <li><b>Closed loop</b> (default): each connection sends its next event as soon as it has the answer
 *       to the previous one, like Stripe's own deliveries to one endpoint. This finds the maximum
 *       throughput at that concurrency; latency is measured from just before the request is written to
 *       the end of the answer. Its percentiles are optimistic under stalls: while a connection waits, it
 *       sends nothing, so a stall shows as one slow request instead of all those that would have queued.</li>
 *   <li><b>Paced</b> ({@code bench.rate}, total events/s): each connection sends on a fixed schedule
 *       ({@code rate / concurrency} per second, the connections staggered evenly), and latency is measured
 *       from the <em>scheduled</em> send time. A late answer delays the following sends, and their wait
 *       is counted, which avoids the coordinated omission of the closed loop. Use it at a rate below the
 *       closed-loop maximum to see the latency a real traffic level gets. A connection that falls behind
 *       sends its overdue events back to back (for at most 10 s after the window; any left are reported
 *       as not sent, which fails the run).</li>
 * </ul>
 *
 * <h2>What is reported</h2>
 * Per level: requests answered 200 with {@code "duplicate":false} in the window, every other outcome
 * counted by status and error code, events/s (those requests over the time from the start of the window
 * to the last answer), and the latency of the successful requests at p50, p90, p99 and maximum (exact,
 * from every recorded value). Then the row count check and the machine: cores, memory, Java, and
 * PostgreSQL's {@code synchronous_commit}, which decides whether a commit waits for the disk. The exit
 * code is 1 if any request failed or the row count does not match.
 *
 * <h2>Options (system properties)</h2>
 * {@code bench.concurrency} (comma list, default {@code 8,32}), {@code bench.warmup-seconds} (5),
 * {@code bench.duration-seconds} (20), {@code bench.repeat} (1: measure each level that many times on the
 * same warm service, each later window after {@code bench.repeat-warmup-seconds}, default 5, of load; then a
 * line per figure across the runs and how many runs had p99 under {@value #MARK_MILLIS} ms), {@code bench.rate}
 * (none: closed loop), {@code bench.url} (an
 * already running service; then {@code bench.secret}, one of its webhook secrets, is required, and no row
 * count is checked), {@code bench.db-url} ({@code jdbc:postgresql://127.0.0.1:5432/test}; a password goes
 * in the URL as {@code ?password=}), {@code bench.db-user} ({@code postgres}), {@code bench.port} (8090),
 * {@code bench.instances} (1: how many services to start, on consecutive ports from {@code bench.port}, sharing the
 * schema, the connections spread over them round robin),
 * {@code bench.war} and {@code bench.micro-jar} (under {@code billing-web/target}), {@code bench.service-jvm-options}
 * (JVM options for the service, such as a flight recording), {@code bench.processing} ({@code false} skips
 * the processing figures, for a service started with {@code BILLING_ENGINE_ENABLED=false}). The service's own
 * settings can be tuned by exporting them before the run ({@code BILLING_INTAKE_WRITER_THREADS=4} ...):
 * the child inherits the environment.
 */
public final class IntakeBenchmark {

    static final String SCHEMA = "billing_bench";
    static final String FIXTURE = "acme/06_invoice.payment_succeeded.json";
    /** The fixture's invoice: made unique per event too, so events spread over objects as real traffic does. */
    static final String FIXTURE_OBJECT = "in_TEST1_SUB0001";
    static final String WEBHOOK_PATH = "/api/stripe/webhook";
    /** Lets every thread of a level be started and parked before the first send. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The intake's latency target (p99 under 10 ms at 1,500 events/s): each level reports how many answers took longer. */
    static final int MARK_MILLIS = 10;

    /** The benchmark's settings, from {@code -Dbench.*} system properties. */
    record Options(List<Integer> concurrencyLevels, int warmupSeconds, int durationSeconds, int repeat,
                   int repeatWarmupSeconds, Double rate, URI url, String secret, String dbUrl, String dbUser,
                   int port, int instances, Path war, Path microJar) {

        static Options fromSystemProperties() {
            Path targetDir = Files.isDirectory(Path.of("billing-web", "target"))
                    ? Path.of("billing-web", "target") : Path.of("target");
            List<Integer> levels = new ArrayList<>();
            for (String level : property("bench.concurrency", "8,32").split(",")) {
                levels.add(positive("bench.concurrency", level.trim()));
            }
            String rate = property("bench.rate", null);
            String url = property("bench.url", null);
            String secret = property("bench.secret", null);
            if (url != null && secret == null) {
                throw new IllegalArgumentException("bench.url is set: bench.secret (one of the service's "
                        + "STRIPE_WEBHOOK_SECRETS) must be set too");
            }
            Options options = new Options(levels,
                    nonNegative("bench.warmup-seconds", property("bench.warmup-seconds", "5")),
                    positive("bench.duration-seconds", property("bench.duration-seconds", "20")),
                    positive("bench.repeat", property("bench.repeat", "1")),
                    nonNegative("bench.repeat-warmup-seconds", property("bench.repeat-warmup-seconds", "5")),
                    rate == null ? null : positiveRate(rate),
                    url == null ? null : URI.create(url),
                    secret,
                    property("bench.db-url", "jdbc:postgresql://127.0.0.1:5432/test"),
                    property("bench.db-user", "postgres"),
                    positive("bench.port", property("bench.port", "8090")),
                    positive("bench.instances", property("bench.instances", "1")),
                    Path.of(property("bench.war", targetDir.resolve("billing-web.war").toString())),
                    Path.of(property("bench.micro-jar",
                            targetDir.resolve("payara-micro").resolve("payara-micro.jar").toString())));
            if (options.url != null && options.instances > 1) {
                throw new IllegalArgumentException("bench.instances applies to services the benchmark starts, not to bench.url");
            }
            if (options.url != null && !"http".equals(options.url.getScheme())) {
                throw new IllegalArgumentException("bench.url must be a plain http:// URL: " + url);
            }
            return options;
        }

        boolean launchesService() {
            return url == null;
        }

        /** The JDBC URL the child uses: the benchmark's database, in the benchmark's own schema. */
        String serviceDbUrl() {
            return PostgresSchemas.withSchema(dbUrl, SCHEMA);
        }

        /** Blank counts as unset, so that the Maven profile can forward every property with an empty default. */
        private static String property(String name, String defaultValue) {
            String value = System.getProperty(name);
            return value == null || value.isBlank() ? defaultValue : value.trim();
        }

        private static int positive(String name, String value) {
            int n = nonNegative(name, value);
            if (n == 0) {
                throw new IllegalArgumentException(name + " must be above zero");
            }
            return n;
        }

        private static int nonNegative(String name, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n < 0) {
                    throw new IllegalArgumentException(name + " must not be negative: " + value);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a whole number: " + value);
            }
        }

        private static double positiveRate(String value) {
            try {
                double rate = Double.parseDouble(value);
                if (!(rate > 0) || Double.isInfinite(rate)) {
                    throw new IllegalArgumentException("bench.rate must be above zero: " + value);
                }
                return rate;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bench.rate is not a number: " + value);
            }
        }
    }

    /**
     * What the processing engine did with the events received in a level's measured window, read from the
     * inbox once they were all settled: how many, how fast from the first receipt to the last settling, and
     * the lag from receipt to settling of each event.
     */
    record Processing(long events, double eventsPerSecond, double lagP50Millis, double lagP99Millis,
                      double lagMaxMillis, double tailSeconds, long unsettled) {
    }

    /** The outcome of one concurrency level. */
    record LevelResult(int concurrency, Double rate, int warmupSeconds, long warmupOk, Map<String, Long> warmupErrors,
                       double measuredSeconds, long[] sortedLatenciesNanos, Map<String, Long> errors,
                       long reconnects, long resends, long unsentBehindSchedule, Processing processing,
                       long[] worstBySecondNanos) {

        long ok() {
            return sortedLatenciesNanos.length;
        }

        long failures() {
            return sum(errors) + sum(warmupErrors) + unsentBehindSchedule + (processing == null ? 0 : processing.unsettled());
        }

        /** Answers slower than {@code millis}: the end of the sorted latencies, so counted from there. */
        long slowerThan(double millis) {
            long limit = Math.round(millis * 1e6);
            int firstAbove = sortedLatenciesNanos.length;
            while (firstAbove > 0 && sortedLatenciesNanos[firstAbove - 1] > limit) {
                firstAbove--;
            }
            return sortedLatenciesNanos.length - firstAbove;
        }

        /** Nearest-rank percentile: the smallest recorded value with at least p % of the values at or below it. */
        double percentileMillis(double p) {
            if (sortedLatenciesNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * sortedLatenciesNanos.length);
            return sortedLatenciesNanos[Math.max(rank, 1) - 1] / 1e6;
        }

        private static long sum(Map<String, Long> counts) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Options options;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private int nextWorkerNumber;
    private final List<ServiceProcess> services = new ArrayList<>();

    private IntakeBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = new IntakeBenchmark(Options.fromSystemProperties()).run();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            exitCode = 2;
        } catch (IllegalStateException e) {
            // An expected failure (port taken, service not ready, no service at bench.url): the message says it all.
            System.err.println("bench: " + e.getMessage());
            exitCode = 1;
        } catch (Exception e) {
            System.err.println("bench: failed");
            e.printStackTrace();
            exitCode = 1;
        }
        System.out.flush();
        System.exit(exitCode);
    }

    private int run() throws Exception {
        Fixture fixture = StripeFixtures.get(FIXTURE);
        List<URI> targets = new ArrayList<>();
        String secret;
        try {
            if (options.launchesService()) {
                secret = randomSecret();
                recreateSchema();
                // Several instances share the database, each with its own node id, as in docker/compose.scaled.yaml.
                for (int i = 0; i < options.instances(); i++) {
                    int port = options.port() + i;
                    ServiceProcess service = new ServiceProcess(options.war(), port, options.war().toAbsolutePath()
                            .getParent().resolve(options.instances() == 1 ? "bench-payara.log" : "bench-payara-" + (i + 1) + ".log"));
                    services.add(service);
                    service.start(options.microJar(), Map.of("BILLING_DB_URL", options.serviceDbUrl(),
                            "BILLING_DB_USER", options.dbUser(), "STRIPE_WEBHOOK_SECRETS", secret,
                            "BILLING_ENGINE_NODE_ID", "bench-" + (i + 1)),
                            System.getProperty("bench.service-jvm-options", ""));
                    targets.add(URI.create("http://127.0.0.1:" + port + WEBHOOK_PATH));
                }
                for (ServiceProcess service : services) {
                    // Deployed and answering: the webhook refuses a body without a content type before anything else.
                    service.awaitReady("POST", WEBHOOK_PATH, 415);
                }
            } else {
                secret = options.secret();
                URI target = withWebhookPath(options.url());
                targets.add(target);
                if (ServiceProcess.probe("POST", target) != 415) {
                    throw new IllegalStateException("no webhook intake at " + target
                            + " (a POST without a content type should answer 415)");
                }
            }

            List<LevelResult> results = new ArrayList<>();
            for (int concurrency : options.concurrencyLevels()) {
                List<LevelResult> runs = new ArrayList<>();
                for (int run = 1; run <= options.repeat(); run++) {
                    // The service is warm after the first window: the later ones need only a short settling time.
                    LevelResult result = runLevel(concurrency, targets, secret, fixture,
                            run == 1 ? options.warmupSeconds() : options.repeatWarmupSeconds());
                    print(result, run);
                    runs.add(result);
                }
                if (runs.size() > 1) {
                    printRepeats(runs);
                }
                results.addAll(runs);
            }

            long failures = results.stream().mapToLong(LevelResult::failures).sum();
            boolean rowsMatch = true;
            System.out.println();
            if (options.launchesService()) {
                long answered = results.stream().mapToLong(r -> r.ok() + r.warmupOk()).sum();
                long stored = countStoredRows();
                rowsMatch = stored == answered;
                System.out.println(rowsMatch
                        ? "stored rows: " + stored + " (matches)"
                        : "stored rows: " + stored + ", but " + answered + " events were answered 200 (MISMATCH)");
            } else {
                System.out.println("stored rows: not checked (service not started by the benchmark)");
            }
            printMachine();
            boolean passed = failures == 0 && rowsMatch;
            System.out.println(passed ? "RESULT: OK" : "RESULT: FAILED ("
                    + failures + " requests failed" + (rowsMatch ? "" : ", row count mismatch") + ")");
            return passed ? 0 : 1;
        } finally {
            services.forEach(ServiceProcess::close);
        }
    }

    /** Connection i goes to instance i modulo their number, as a round-robin balancer spreads connections. */
    private LevelResult runLevel(int concurrency, List<URI> targets, String secret, Fixture fixture,
                                 int warmupSeconds) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%nconcurrency %d: %d s warm-up, %d s measured ...%n",
                concurrency, warmupSeconds, options.durationSeconds());
        BodyTemplate body = BodyTemplate.of(fixture.body(), fixture.eventId(), FIXTURE_OBJECT);

        long intervalNanos = options.rate() == null ? 0 : Math.round(concurrency * 1e9 / options.rate());
        long warmupStart = System.nanoTime() + START_DELAY_NANOS;
        long measureStart = warmupStart + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long measureEnd = measureStart + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        List<IntakeLoadWorker.Plan> plans = targets.stream().map(target -> new IntakeLoadWorker.Plan(target.getHost(),
                target.getPort() == -1 ? 80 : target.getPort(), target.getRawPath(),
                secret, body, runId, warmupStart, measureStart, measureEnd, intervalNanos)).toList();

        List<IntakeLoadWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            IntakeLoadWorker worker = new IntakeLoadWorker(plans.get(i % plans.size()), nextWorkerNumber++,
                    warmupStart + intervalNanos * i / concurrency);
            Thread thread = new Thread(worker, "bench-c" + concurrency + "-w" + i);
            workers.add(worker);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        Processing processing = options.launchesService() && !"false".equals(System.getProperty("bench.processing"))
                ? processing(wallClock(measureStart), wallClock(measureEnd)) : null;
        long[] latencies = workers.stream().map(IntakeLoadWorker::latenciesNanos)
                .flatMapToLong(Arrays::stream).sorted().toArray();
        long lastAnswer = workers.stream().mapToLong(IntakeLoadWorker::lastAnswerNanos).max().orElse(0);
        double measuredSeconds = (Math.max(lastAnswer, measureEnd) - measureStart) / 1e9;
        return new LevelResult(concurrency, options.rate(), warmupSeconds,
                workers.stream().mapToLong(IntakeLoadWorker::warmupOk).sum(),
                mergeCounts(workers.stream().map(IntakeLoadWorker::warmupErrors).toList()),
                measuredSeconds, latencies,
                mergeCounts(workers.stream().map(IntakeLoadWorker::errors).toList()),
                workers.stream().mapToLong(IntakeLoadWorker::reconnects).sum(),
                workers.stream().mapToLong(IntakeLoadWorker::resends).sum(),
                workers.stream().mapToLong(IntakeLoadWorker::unsentBehindSchedule).sum(), processing,
                worstBySecond(workers));
    }

    private static long[] worstBySecond(List<IntakeLoadWorker> workers) {
        long[] worst = new long[0];
        for (IntakeLoadWorker worker : workers) {
            long[] mine = worker.worstBySecondNanos();
            if (mine.length > worst.length) {
                worst = Arrays.copyOf(worst, mine.length);
            }
            for (int i = 0; i < mine.length; i++) {
                worst[i] = Math.max(worst[i], mine[i]);
            }
        }
        return worst;
    }

    private static java.time.Instant wallClock(long nanoTime) {
        return java.time.Instant.now().plusNanos(nanoTime - System.nanoTime());
    }

    /** Waits (up to two minutes) until the window's events are settled, then measures their processing. */
    private Processing processing(java.time.Instant from, java.time.Instant to) throws InterruptedException {
        String window = " FROM " + SCHEMA + ".inbox_event WHERE event_id LIKE 'evt_bench_" + runId + "_%'"
                + " AND received_at >= ? AND received_at < ?";
        try (Connection db = openDatabase()) {
            long unsettled = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            do {
                try (var query = db.prepareStatement("SELECT COUNT(*)" + window
                        + " AND status IN ('RECEIVED', 'PROCESSING', 'RETRY_SCHEDULED')")) {
                    query.setTimestamp(1, java.sql.Timestamp.from(from));
                    query.setTimestamp(2, java.sql.Timestamp.from(to));
                    try (ResultSet row = query.executeQuery()) {
                        row.next();
                        unsettled = row.getLong(1);
                    }
                }
                if (unsettled > 0) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            } while (unsettled > 0 && System.nanoTime() < deadline);
            String lag = "EXTRACT(EPOCH FROM (status_changed_at - received_at)) * 1000";
            try (var query = db.prepareStatement("SELECT COUNT(*),"
                    + " EXTRACT(EPOCH FROM (MAX(status_changed_at) - MIN(received_at))),"
                    + " percentile_disc(0.5) WITHIN GROUP (ORDER BY " + lag + "),"
                    + " percentile_disc(0.99) WITHIN GROUP (ORDER BY " + lag + "),"
                    + " MAX(" + lag + "),"
                    + " EXTRACT(EPOCH FROM (MAX(status_changed_at) - MAX(received_at)))"
                    + window + " AND status NOT IN ('RECEIVED', 'PROCESSING', 'RETRY_SCHEDULED')")) {
                query.setTimestamp(1, java.sql.Timestamp.from(from));
                query.setTimestamp(2, java.sql.Timestamp.from(to));
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    long events = row.getLong(1);
                    double span = row.getDouble(2);
                    return new Processing(events, span > 0 ? events / span : 0, row.getDouble(3), row.getDouble(4),
                            row.getDouble(5), row.getDouble(6), unsettled);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the processing figures: " + e.getMessage(), e);
        }
    }

    private void print(LevelResult r, int run) {
        StringBuilder block = new StringBuilder();
        block.append("==================== intake benchmark ====================\n");
        line(block, "concurrency", r.concurrency() + " connections"
                + (options.repeat() > 1 ? " (run " + run + " of " + options.repeat() + ")" : ""));
        line(block, "rate target", r.rate() == null
                ? "none (closed loop: each connection sends again once answered)"
                : String.format(Locale.ROOT, "%.1f events/s (%.2f/s per connection, latency from the scheduled "
                + "send time)", r.rate(), r.rate() / r.concurrency()));
        line(block, "warm-up", r.warmupSeconds() + " s, " + r.warmupOk() + " ok, "
                + (r.warmupErrors().isEmpty() ? "no errors" : "errors " + r.warmupErrors()) + " (not measured)");
        line(block, "duration", String.format(Locale.ROOT, "%.2f s", r.measuredSeconds()));
        line(block, "requests ok", Long.toString(r.ok()));
        line(block, "errors", r.errors().isEmpty() ? "none" : formatCounts(r.errors()));
        if (r.unsentBehindSchedule() > 0) {
            line(block, "not sent", r.unsentBehindSchedule() + " (too far behind schedule)");
        }
        line(block, "events/s", String.format(Locale.ROOT, "%.1f", r.ok() / r.measuredSeconds()));
        line(block, "latency ms", String.format(Locale.ROOT, "p50 %.2f   p90 %.2f   p99 %.2f   max %.2f",
                r.percentileMillis(50), r.percentileMillis(90), r.percentileMillis(99), r.percentileMillis(100)));
        line(block, "over " + MARK_MILLIS + " ms", String.format(Locale.ROOT, "%d answers (%.2f%%; p99 is within %d ms "
                + "while this is at most 1%%)", r.slowerThan(MARK_MILLIS), 100.0 * r.slowerThan(MARK_MILLIS)
                / Math.max(1, r.ok()), MARK_MILLIS));
        // Payara closes a keep-alive connection after a number of requests; a resend means the close was
        // noticed only by the next request, which then paid for a new connection in its latency.
        line(block, "reconnects", r.reconnects() + " (warm-up included; " + r.resends() + " requests resent)");
        StringBuilder worst = new StringBuilder();
        for (long nanos : r.worstBySecondNanos()) {
            worst.append(worst.length() == 0 ? "" : " ").append(Math.round(nanos / 1e6));
        }
        line(block, "worst/second", worst + " (ms, each second of the window)");
        Processing p = r.processing();
        if (p != null) {
            line(block, "processed", String.format(Locale.ROOT, "%d events at %.0f events/s (first receipt to last"
                    + " settled; the last %.1f s after the last receipt)%s", p.events(), p.eventsPerSecond(),
                    p.tailSeconds(), p.unsettled() > 0 ? ", " + p.unsettled() + " NOT SETTLED after 2 min" : ""));
            line(block, "lag ms", String.format(Locale.ROOT, "p50 %.1f   p99 %.1f   max %.1f   (received to settled)",
                    p.lagP50Millis(), p.lagP99Millis(), p.lagMaxMillis()));
        }
        block.append("==========================================================");
        System.out.println(block);
    }

    /** The same level measured several times on one warm service: how much its figures vary from run to run. */
    private static void printRepeats(List<LevelResult> runs) {
        StringBuilder block = new StringBuilder();
        block.append(String.format(Locale.ROOT, "%d runs at concurrency %d%n", runs.size(), runs.get(0).concurrency()));
        line(block, "events/s", joined(runs, r -> r.ok() / r.measuredSeconds(), "%.1f"));
        line(block, "p50 ms", joined(runs, r -> r.percentileMillis(50), "%.2f"));
        line(block, "p99 ms", joined(runs, r -> r.percentileMillis(99), "%.2f"));
        line(block, "max ms", joined(runs, r -> r.percentileMillis(100), "%.1f"));
        line(block, "over " + MARK_MILLIS + " ms", joined(runs, r -> 100.0 * r.slowerThan(MARK_MILLIS) / Math.max(1, r.ok()),
                "%.2f%%"));
        double[] p99 = runs.stream().mapToDouble(r -> r.percentileMillis(99)).sorted().toArray();
        double median = p99.length % 2 == 1 ? p99[p99.length / 2] : (p99[p99.length / 2 - 1] + p99[p99.length / 2]) / 2;
        line(block, "p99 summary", String.format(Locale.ROOT, "median %.2f ms, best %.2f, worst %.2f; under %d ms in %d of %d runs",
                median, p99[0], p99[p99.length - 1], MARK_MILLIS,
                runs.stream().filter(r -> r.percentileMillis(99) < MARK_MILLIS).count(), runs.size()));
        System.out.print(block);
    }

    private static String joined(List<LevelResult> runs, java.util.function.ToDoubleFunction<LevelResult> figure,
                                 String format) {
        StringBuilder s = new StringBuilder();
        for (LevelResult r : runs) {
            s.append(s.length() == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, figure.applyAsDouble(r)));
        }
        return s.toString();
    }

    private void printMachine() {
        StringBuilder block = new StringBuilder("machine\n");
        line(block, "cores (nproc)", nproc());
        line(block, "memory", String.format(Locale.ROOT, "%.1f GiB total",
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        line(block, "java", System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
        String postgres;
        try (Connection db = openDatabase(); Statement st = db.createStatement()) {
            postgres = "synchronous_commit = " + showSetting(st, "synchronous_commit")
                    + ", server " + showSetting(st, "server_version");
        } catch (SQLException e) {
            postgres = "unknown (" + e.getMessage() + ")";
        }
        line(block, "PostgreSQL", postgres + " at " + withoutParameters(options.dbUrl()));
        if (options.launchesService()) {
            line(block, "instances", services.size() + " (Payara Micro, one database)");
            line(block, "service log", services.isEmpty() ? "(not started here)"
                    : services.stream().map(service -> service.log().toString()).collect(java.util.stream.Collectors.joining(", ")));
        }
        System.out.print(block);
    }

    private static void line(StringBuilder block, String label, String value) {
        block.append(String.format(Locale.ROOT, "  %-14s %s%n", label, value));
    }

    // ---- the service under test

    private void recreateSchema() throws SQLException {
        try (Connection db = openDatabase()) {
            // A clean run: no rows from an earlier one in the count, no bloat in the table or its indexes.
            PostgresSchemas.recreate(db, SCHEMA);
        }
    }

    private long countStoredRows() throws SQLException {
        try (Connection db = openDatabase(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SCHEMA + ".inbox_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection openDatabase() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", options.dbUser());
        return DriverManager.getConnection(options.dbUrl(), props);
    }

    // ---- small helpers

    private static String randomSecret() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return "whsec_" + HexFormat.of().formatHex(random);
    }

    private static URI withWebhookPath(URI url) {
        String path = url.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? url.resolve(WEBHOOK_PATH) : url;
    }

    private static Map<String, Long> mergeCounts(List<Map<String, Long>> counts) {
        Map<String, Long> merged = new TreeMap<>();
        counts.forEach(map -> map.forEach((key, n) -> merged.merge(key, n, Long::sum)));
        return merged;
    }

    private static String formatCounts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((key, n) -> s.append(s.length() == 0 ? "" : ", ").append(key).append(": ").append(n));
        return s.toString();
    }

    private static String showSetting(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String withoutParameters(String jdbcUrl) {
        int question = jdbcUrl.indexOf('?');
        return question < 0 ? jdbcUrl : jdbcUrl.substring(0, question);
    }

    private static String nproc() {
        try {
            Process nproc = new ProcessBuilder("nproc").redirectErrorStream(true).start();
            String out = new String(nproc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (nproc.waitFor() == 0 && !out.isEmpty()) {
                return out;
            }
        } catch (IOException e) {
            // no nproc (not Linux): the JVM's count is the same thing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Integer.toString(Runtime.getRuntime().availableProcessors());
    }
}
