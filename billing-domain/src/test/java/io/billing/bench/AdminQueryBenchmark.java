package io.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.inbox.InboxStatus;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.StripeFixtures;
import io.billing.trace.PaymentTrace;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The admin's queries on a large database: fills schema {@value #SCHEMA} with {@code bench.admin.events}
 * events (default 1,000,000) of the 6 KB {@code acme/06} shape, spread over 1,000 tenants, 20,000 customers
 * and one invoice per four events across 30 days, with their ledger entries, reconciliation records and
 * object snapshots; then times the queries behind the admin's events page (newest page, a deep page), its
 * filtered searches and the payment trace, each {@code bench.admin.repeats} times with random arguments,
 * and prints p50, p95 and max. The filled schema is kept for the next run ({@code -Dbench.admin.refill=true}
 * fills it again). Run: {@code ./mvnw -Pbench-admin verify -pl billing-domain}.
 */
public final class AdminQueryBenchmark {

    static final String SCHEMA = "billing_admin_bench";
    private static final String FIXTURE = "acme/06_invoice.payment_succeeded.json";
    private static final Instant END = Instant.parse("2026-11-22T00:00:00Z");
    private static final long SPAN_SECONDS = 30L * 24 * 3600;

    private interface Query {
        void run(Random random) throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(System.getProperty("bench.admin.events", "1000000"));
        int repeats = Integer.parseInt(System.getProperty("bench.admin.repeats", "200"));
        boolean refill = Boolean.parseBoolean(System.getProperty("bench.admin.refill", "false"));
        String dbUrl = System.getProperty("bench.db-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String dbUser = System.getProperty("bench.db-user", "postgres");
        try (HikariDataSource pool = pool(dbUrl, dbUser); DataAccess data = DataAccess.over(pool)) {
            SchemaMigration.migrate(pool, SchemaMigration.Online.none());
            long present = count(pool, "SELECT COUNT(*) FROM inbox_event");
            if (refill || present != events) {
                fill(pool, events);
            } else {
                System.out.printf(Locale.ROOT, "schema %s already holds %,d events: reused (-Dbench.admin.refill=true refills)%n",
                        SCHEMA, present);
            }
            EventQueries queries = new EventQueries(pool);
            PaymentTrace traces = new PaymentTrace(data);
            int invoices = events / 4;
            EventFilter all = new EventFilter(null, null, null, null, null, null, 0, 1);

            System.out.printf(Locale.ROOT, "%n================ admin query benchmark ================%n");
            System.out.printf(Locale.ROOT, "events             %,d (%s shape, %,d bytes of payload in all)%n", events, FIXTURE,
                    count(pool, "SELECT SUM(LENGTH(payload)) FROM inbox_event"));
            System.out.printf(Locale.ROOT, "journal entries    %,d, reconciliation records %,d, tenants %,d%n",
                    count(pool, "SELECT COUNT(*) FROM journal_entry"),
                    count(pool, "SELECT COUNT(*) FROM reconciliation_record"), count(pool, "SELECT COUNT(*) FROM tenant"));
            System.out.printf(Locale.ROOT, "repeats            %d per query, random arguments, after %d warm-up runs%n%n",
                    repeats, repeats / 4);
            measure("events page, newest 50", repeats, r -> check(queries.slice(all, null, null, true, 50).events().size() == 50));
            measure("events page, 50 older than a random row", repeats, r -> {
                Instant at = END.minusSeconds(r.nextInt((int) SPAN_SECONDS));
                check(queries.slice(all, null, new EventViews.Cursor(at, "evt_b"), true, 50).events().size() > 0);
            });
            measure("filter: status FAILED, newest 50", repeats, r -> check(!queries.slice(new EventFilter(
                    InboxStatus.FAILED, null, null, null, null, null, 0, 1), null, null, true, 50).events().isEmpty()));
            measure("filter: tenant + type, newest 50", repeats, r -> queries.slice(new EventFilter(null,
                    "invoice.paid", "tenant_b" + r.nextInt(1000), null, null, null, 0, 1), null, null, true, 50));
            measure("filter: tenant, created in one day", repeats, r -> {
                Instant to = END.minusSeconds(r.nextInt((int) SPAN_SECONDS));
                queries.slice(new EventFilter(null, null, "tenant_b" + r.nextInt(1000), null, to.minusSeconds(86400), to,
                        0, 1), null, null, true, 50);
            });
            measure("search: any id (an invoice)", repeats, r -> check(!queries.slice(all, "in_b" + r.nextInt(invoices),
                    null, true, 50).events().isEmpty()));
            measure("payment trace of an invoice", repeats, r -> check(traces.trace("in_b" + r.nextInt(invoices)).found()));
            measure("payment trace of a customer", repeats, r -> check(traces.trace("cus_b" + r.nextInt(20000)).found()));
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                 ResultSet r = st.executeQuery("SELECT version()")) {
                r.next();
                System.out.printf(Locale.ROOT, "%ncores              %d%nPostgreSQL         %s%n",
                        Runtime.getRuntime().availableProcessors(), r.getString(1).split(" on ")[0]);
            }
            System.out.println("=======================================================");
        }
        System.exit(0);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a benchmark query found nothing: the data is not what it should be");
        }
    }

    private static void measure(String name, int repeats, Query query) throws SQLException {
        Random random = new Random(42);
        for (int i = 0; i < repeats / 4; i++) {
            query.run(random);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            query.run(random);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "%-42s p50 %7.2f ms   p95 %7.2f ms   max %7.2f ms%n", name,
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1),
                millis.get(millis.size() - 1));
    }

    private static HikariDataSource pool(String dbUrl, String user) throws SQLException {
        try (Connection admin = java.sql.DriverManager.getConnection(dbUrl, user, "");
             Statement st = admin.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresSchemas.withSchema(dbUrl, SCHEMA));
        config.setUsername(user);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Generates the data inside PostgreSQL, 100,000 events a transaction. */
    private static void fill(HikariDataSource pool, int events) throws SQLException {
        String template = new String(StripeFixtures.get(FIXTURE).body(), StandardCharsets.UTF_8);
        String eventId = StripeFixtures.get(FIXTURE).eventId();
        long started = System.nanoTime();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE inbox_event, event_attempt, journal_line, journal_entry, reconciliation_event,"
                    + " reconciliation_record, stripe_object, tenant, tenant_mapping CASCADE");
            st.execute("INSERT INTO tenant (tenant_id, name, status, created_at) SELECT 'tenant_b' || t, 'Tenant ' || t,"
                    + " 'ACTIVE', now() FROM generate_series(0, 999) t");
        }
        String events_sql = """
                INSERT INTO inbox_event (event_id, event_type, api_version, livemode, stripe_created, object_type, object_id,
                    customer_id, payload, received_at, delivery_count, last_delivered_at, status, status_reason,
                    status_changed_at, tenant_id, attempt_count, cycle_attempts, source)
                SELECT 'evt_b' || lpad(g::text, 9, '0'),
                       (ARRAY['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded'])[1 + g % 4],
                       '2026-07-29.dahlia', FALSE,
                       ?::timestamptz - make_interval(secs => ? - g * ?::double precision),
                       'invoice', 'in_b' || (g / 4), 'cus_b' || ((g / 4) % 20000),
                       convert_to(replace(replace(?, ?, 'evt_b' || lpad(g::text, 9, '0')), 'in_TEST1_SUB0001', 'in_b' || (g / 4)), 'UTF8'),
                       now(), 1, now(),
                       CASE WHEN g % 100 = 7 THEN 'FAILED' WHEN g % 250 = 3 THEN 'UNMAPPED' ELSE 'PROCESSED' END,
                       CASE WHEN g % 100 = 7 THEN 'IllegalStateException: boom' WHEN g % 250 = 3 THEN 'no tenant' END,
                       now(), CASE WHEN g % 250 = 3 THEN NULL ELSE 'tenant_b' || ((g / 4) % 1000) END, 1, 1, 'WEBHOOK'
                FROM generate_series(?, ?) g""";
        int chunk = 100_000;
        for (int from = 0; from < events; from += chunk) {
            int to = Math.min(events, from + chunk) - 1;
            try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(events_sql)) {
                insert.setString(1, END.toString());
                insert.setLong(2, SPAN_SECONDS);
                insert.setDouble(3, (double) SPAN_SECONDS / events);
                insert.setString(4, template);
                insert.setString(5, eventId);
                insert.setInt(6, from);
                insert.setInt(7, to);
                insert.executeUpdate();
            }
            System.out.printf(Locale.ROOT, "filled %,d events (%.0f s)%n", to + 1, (System.nanoTime() - started) / 1e9);
        }
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            int invoices = events / 4;
            // entries and their lines in one transaction: the database checks at the commit that each entry has
            // lines and balances
            c.setAutoCommit(false);
            st.execute("INSERT INTO journal_entry (tenant_id, currency, business_key, source_event_id, description, posted_at,"
                    + " object_id) SELECT 'tenant_b' || (k % 1000), 'USD', kind || ':in_b' || k,"
                    + " 'evt_b' || lpad((4 * k + 2)::text, 9, '0'), 'invoice in_b' || k, now(), 'in_b' || k"
                    + " FROM generate_series(0, " + (invoices - 1) + ") k, (VALUES ('invoice_issued'), ('invoice_paid')) v(kind)");
            st.execute("INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit)"
                    + " SELECT entry_id, n, tenant_id, currency, CASE WHEN n = 1 THEN 'RECEIVABLES' ELSE 'REVENUE' END,"
                    + " CASE WHEN n = 1 THEN 2900 ELSE 0 END, CASE WHEN n = 1 THEN 0 ELSE 2900 END"
                    + " FROM journal_entry, generate_series(1, 2) n");
            c.commit();
            c.setAutoCommit(true);
            st.execute("INSERT INTO reconciliation_record (payment_key, tenant_id, invoice_id, customer_id, status,"
                    + " status_rank, first_received_at, reconciled_at, updated_at)"
                    + " SELECT 'invoice:in_b' || k, 'tenant_b' || (k % 1000), 'in_b' || k, 'cus_b' || (k % 20000), 'PAID', 4,"
                    + " now(), now(), now() FROM generate_series(0, " + (invoices - 1) + ") k");
            st.execute("INSERT INTO stripe_object (object_id, object_type, tenant_id, customer_id, status, deleted, livemode,"
                    + " version_created, version_rank, version_event_id, version_type)"
                    + " SELECT 'in_b' || k, 'invoice', 'tenant_b' || (k % 1000), 'cus_b' || (k % 20000), 'paid', FALSE, FALSE,"
                    + " now(), 4, 'evt_b' || lpad((4 * k + 3)::text, 9, '0'), 'invoice.payment_succeeded'"
                    + " FROM generate_series(0, " + (invoices - 1) + ") k");
            st.execute("ANALYZE");
        }
        System.out.printf(Locale.ROOT, "filled in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }
}
