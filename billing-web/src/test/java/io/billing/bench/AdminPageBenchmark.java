package io.billing.bench;

import io.billing.service.ServiceProcess;
import io.billing.service.StaffLogin;
import io.billing.testsupport.PostgresSchemas;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The admin's pages as a browser gets them, on the million events the domain's admin query benchmark left in
 * schema {@code billing_admin_bench} ({@code ./mvnw -Pbench-admin verify -pl billing-domain} first): starts
 * Payara Micro on that schema (engine off, a fresh admin password), then GETs the events page (newest, an
 * older page, filtered by status, by tenant and type, an id search), an event, the payment trace of an invoice, a
 * customer and a tenant, the dashboard, the failures, the tenants and a tenant, the mappings, the audit log, the
 * refused deliveries and the plan catalogue,
 * {@code bench.admin.repeats} times each with random arguments, and prints p50, p95 and max of the full
 * answer (server, network, rendered HTML), one request at a time.
 */
public final class AdminPageBenchmark {

    private static final String SCHEMA = "billing_admin_bench";
    private static final Instant END = Instant.parse("2026-11-22T00:00:00Z");
    private static final long SPAN_SECONDS = 30L * 24 * 3600;
    /** The fill's customers ({@code cus_b0} …) and tenants ({@code tenant_b0} …), as AdminQueryBenchmark makes them. */
    private static final int CUSTOMERS = 20_000;
    private static final int TENANTS = 1_000;

    /** The pages measured: those whose name {@code -Dbench.admin.pages} finds (a regular expression); all by default. */
    private static Pattern pages;

    public static void main(String[] args) throws Exception {
        int repeats = Integer.parseInt(System.getProperty("bench.admin.repeats", "200"));
        pages = Pattern.compile(System.getProperty("bench.admin.pages", ".*"));
        String dbUrl = System.getProperty("bench.db-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String dbUser = System.getProperty("bench.db-user", "postgres");
        int port = Integer.parseInt(System.getProperty("bench.port", "8091"));
        Path target = Files.isDirectory(Path.of("billing-web", "target")) ? Path.of("billing-web", "target") : Path.of("target");
        Path war = Path.of(System.getProperty("bench.war", target.resolve("billing-web.war").toString()));
        Path microJar = Path.of(System.getProperty("bench.micro-jar",
                target.resolve("payara-micro").resolve("payara-micro.jar").toString()));

        long events;
        long invoices;
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, ""); Statement st = db.createStatement()) {
            // The invoices are the filled payments (in_b0 …), one record each. The inbox also holds refunds' and
            // disputes' events, so a quarter of its events counts invoices that were never filled.
            try (ResultSet r = st.executeQuery("SELECT (SELECT COUNT(*) FROM " + SCHEMA + ".inbox_event),"
                    + " (SELECT COUNT(*) FROM " + SCHEMA + ".reconciliation_record)")) {
                r.next();
                events = r.getLong(1);
                invoices = r.getLong(2);
            } catch (SQLException e) {
                throw new IllegalStateException("no " + SCHEMA + " to measure: run ./mvnw -Pbench-admin verify -pl"
                        + " billing-domain first", e);
            }
            st.execute("DELETE FROM " + SCHEMA + ".staff_account"); // the service creates admin with our password
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = "bench-" + HexFormat.of().formatHex(random);
        try (ServiceProcess service = new ServiceProcess(war, port,
                war.toAbsolutePath().getParent().resolve("bench-payara.log"))) {
            service.start(microJar, Map.of("BILLING_DB_URL", PostgresSchemas.withSchema(dbUrl, SCHEMA),
                    "BILLING_DB_USER", dbUser, "BILLING_ENGINE_ENABLED", "false", "BILLING_ADMIN_PASSWORD", password),
                    System.getProperty("bench.service-jvm-options", ""));
            service.awaitReady("GET", "/login.xhtml", 200);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port;
            // The pages take the admin's session, as a browser has it after the login form
            String session = new StaffLogin(URI.create(base + "/")).session("admin", password);
            System.out.printf(Locale.ROOT, "%n================ admin page benchmark ================%n");
            System.out.printf(Locale.ROOT, "events             %,d in %s%n", events, SCHEMA);
            System.out.printf(Locale.ROOT, "repeats            %d per page, one at a time, after %d warm-up requests%n%n",
                    repeats, repeats);
            measure(http, session, repeats, "events page, newest 50", r -> base + "/admin/events.xhtml", "evt_b");
            measure(http, session, repeats, "events page, an older page", r -> base + "/admin/events.xhtml?after="
                    + END.minusSeconds(r.nextInt((int) SPAN_SECONDS)) + "~evt_b", "evt_b");
            measure(http, session, repeats, "filter: status FAILED", r -> base + "/admin/events.xhtml?status=FAILED",
                    "FAILED");
            measure(http, session, repeats, "filter: tenant + type", r -> base + "/admin/events.xhtml?type=invoice.paid"
                    + "&tenant=tenant_b" + r.nextInt(1000), "invoice.paid");
            measure(http, session, repeats, "search: any id (an invoice)", r -> base + "/admin/events.xhtml?q=in_b"
                    + r.nextInt((int) invoices), "in_b");
            measure(http, session, repeats, "payment trace of an invoice", r -> base + "/admin/trace.xhtml?q=in_b"
                    + r.nextInt((int) invoices), "invoice_paid:in_b");
            measure(http, session, repeats, "an event", r -> base + "/admin/event.xhtml?id=evt_b"
                    + String.format(Locale.ROOT, "%09d", r.nextInt((int) invoices * 4)), "evt_b");
            measure(http, session, repeats, "payment trace of a customer", r -> base + "/admin/trace.xhtml?q=cus_b"
                    + r.nextInt(CUSTOMERS), "cus_b");
            measure(http, session, repeats, "payment trace of a tenant", r -> base + "/admin/trace.xhtml?q=tenant_b"
                    + r.nextInt(TENANTS), "tenant_b");
            measure(http, session, repeats, "failures", r -> base + "/admin/failures.xhtml", "Failures");
            measure(http, session, repeats, "tenants", r -> base + "/admin/tenant.xhtml", "tenant_b");
            measure(http, session, repeats, "a tenant", r -> base + "/admin/tenant.xhtml?id=tenant_b"
                    + r.nextInt(TENANTS), "tenant_b");
            measure(http, session, repeats, "unmapped and mappings", r -> base + "/admin/mappings.xhtml", "Unmapped");
            measure(http, session, repeats, "audit log", r -> base + "/admin/audit.xhtml", "Audit log");
            measure(http, session, repeats, "refused deliveries", r -> base + "/admin/refusals.xhtml", "Refused");
            measure(http, session, repeats, "plan catalogue", r -> base + "/admin/catalogue.xhtml", "catalogue");
            // Last: its chart counts the last day's events from the inbox, all of a fill received within the day.
            measure(http, session, repeats, "dashboard", r -> base + "/admin/", "Dashboard");
            System.out.printf(Locale.ROOT, "%ncores              %d%n", Runtime.getRuntime().availableProcessors());
            System.out.println("======================================================");
        }
        System.exit(0);
    }

    private static void measure(HttpClient http, String session, int repeats, String name,
                                Function<Random, String> url, String mustContain) throws IOException, InterruptedException {
        if (!pages.matcher(name).find()) {
            return;
        }
        Random random = new Random(7);
        for (int i = 0; i < repeats; i++) {
            get(http, session, url.apply(random), mustContain);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            String next = url.apply(random);
            long start = System.nanoTime();
            get(http, session, next, mustContain);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "%-32s p50 %7.2f ms   p95 %7.2f ms   max %7.2f ms%n", name,
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1),
                millis.get(millis.size() - 1));
    }

    private static void get(HttpClient http, String session, String url, String mustContain)
            throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (page.statusCode() != 200 || !page.body().contains(mustContain)) {
            throw new IllegalStateException(url + " answered " + page.statusCode() + " without '" + mustContain + "'");
        }
    }
}
