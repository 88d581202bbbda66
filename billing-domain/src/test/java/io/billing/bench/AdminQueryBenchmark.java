package io.billing.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.inbox.InboxStatus;
import io.billing.inbox.InboxStatusCounts;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.processing.operator.FailureGroups;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.StripeFixtures;
import io.billing.trace.EventSummaries;
import io.billing.trace.PaymentTrace;

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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The admin's queries on a large database: fills schema {@value #SCHEMA} with {@code bench.admin.events}
 * events (default 1,000,000) of the 6 KB {@code acme/06} shape, spread over 1,000 tenants, 20,000 customers
 * and one invoice per four events across 30 days, with their ledger entries, reconciliation records (each with its
 * payment intent, charge, session, subscription, invoice number, order, checkout attempt and store order, its events
 * linked and its history), a refund on every 100th invoice and a dispute on every 200th (an event, an object, a
 * posting each), object snapshots with the customers' e-mail addresses, and every posting filed under its payment;
 * then times the queries behind the admin's events page (newest page, a deep page), its filtered searches, the
 * dashboard's overview (from the counts the database keeps, and the count of the inbox it replaced) and the
 * payment trace from each kind of id support is told, each {@code bench.admin.repeats} times with random arguments,
 * and prints p50, p95 and max. The filled schema is kept for the next run ({@code -Dbench.admin.refill=true}
 * fills it again; a schema filled before the trace's lookups were measured, or without the lines the engine keeps
 * with its events, is filled again). Run:
 * {@code ./mvnw -Pbench-admin verify -pl billing-domain}.
 */
public final class AdminQueryBenchmark {

    static final String SCHEMA = "billing_admin_bench";
    private static final String FIXTURE = "acme/06_invoice.payment_succeeded.json";
    private static final Instant END = Instant.parse("2026-11-22T00:00:00Z");
    private static final long SPAN_SECONDS = 30L * 24 * 3600;
    private static final int CUSTOMERS = 20_000;
    /** Every 100th invoice is refunded in part, every 200th (50 invoices on) disputed. */
    private static final int REFUND_EVERY = 100;
    private static final int DISPUTE_EVERY = 200;

    /** Deltas the overview is also measured with before they are folded. */
    private static final int UNFOLDED = 10_000;
    private static final String COUNT_BY_STATUS = "SELECT status, COUNT(*) FROM inbox_event GROUP BY status";

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
            long present = count(pool, "SELECT COUNT(*) FROM inbox_event WHERE object_type = 'invoice'");
            boolean withLookups = count(pool, "SELECT COUNT(*) FROM stripe_object WHERE object_type = 'customer'") > 0;
            boolean withLines = count(pool, "SELECT COUNT(*) FROM (SELECT 1 FROM inbox_event WHERE event_line IS NOT NULL"
                    + " LIMIT 1) kept") > 0;
            if (refill || present != events || !withLookups || !withLines) {
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
            measureOverview(pool, queries, repeats);
            measure("payment trace of an invoice", repeats, r -> check(traces.trace("in_b" + r.nextInt(invoices)).found()));
            measure("payment trace of a customer", repeats, r -> check(traces.trace("cus_b" + r.nextInt(20000)).found()));
            measureLookups(traces, invoices, repeats);
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

    /**
     * The dashboard's and the metrics' overview: with the counts folded, with {@value #UNFOLDED} deltas waiting (some
     * seconds of a busy engine's status changes), and just after their fold, whose deleted rows PostgreSQL reads past
     * until vacuum; then, for comparison, the count of the inbox it replaced, fewer times (it reads every event).
     */
    private static void measureOverview(HikariDataSource pool, EventQueries queries, int repeats) throws SQLException {
        InboxStatusCounts counts = new InboxStatusCounts(pool, DatabaseClock.database(), "bench");
        counts.fold();
        Map<String, Long> counted = countByStatus(pool);
        check(queries.overview().byStatus().equals(counted));
        measure("overview (counts folded)", repeats, r -> check(queries.overview().count("PROCESSED") > 0));
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            // pairs that cancel out, so the counts stay those of the inbox
            st.execute("INSERT INTO inbox_status_delta (status, events) SELECT 'RECEIVED', 1 - 2 * (g % 2)"
                    + " FROM generate_series(1, " + UNFOLDED + ") g");
        }
        measure("overview (" + UNFOLDED + " deltas not folded)", repeats,
                r -> check(queries.overview().count("PROCESSED") > 0));
        counts.fold();
        measure("overview (just after their fold)", repeats, r -> check(queries.overview().count("PROCESSED") > 0));
        check(queries.overview().byStatus().equals(counted));
        measure("events per status by COUNT(*) (before)", Math.max(4, repeats / 20),
                r -> check(countByStatus(pool).equals(counted)));

        // The dashboard's chart: the last day's events per hour and status, from the counts per hour.
        Instant firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        long receivedToday = count(pool, "SELECT COUNT(*) FROM inbox_event WHERE received_at >= '" + firstHour + "'");
        check(queries.receivedPerHour(firstHour).stream().mapToLong(EventViews.HourCount::total).sum()
                == receivedToday);
        measure("the dashboard's chart (" + String.format(Locale.ROOT, "%,d", receivedToday) + " events in the day)",
                repeats, r -> check(!queries.receivedPerHour(firstHour).isEmpty() || receivedToday == 0));
        // The failures page: the latest failures grouped by cause.
        FailureGroups failures = new FailureGroups(pool, new EventOperations(pool, Clock.systemUTC()));
        measure("the failures page's groups (" + String.format(Locale.ROOT, "%,d", count(pool,
                "SELECT COUNT(*) FROM inbox_event WHERE status IN ('FAILED', 'RETRY_SCHEDULED')")) + " failing)",
                repeats, r -> check(!failures.current().isEmpty()));
    }

    private static Map<String, Long> countByStatus(HikariDataSource pool) throws SQLException {
        Map<String, Long> counted = new TreeMap<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery(COUNT_BY_STATUS)) {
            while (r.next()) {
                counted.put(r.getString(1), r.getLong(2));
            }
        }
        return counted;
    }

    /** The payment trace from each kind of id support is told: what it was resolved as must be that kind. */
    private static void measureLookups(PaymentTrace traces, int invoices, int repeats) throws SQLException {
        int refunds = reversals(invoices, REFUND_EVERY);
        int disputes = reversals(invoices, DISPUTE_EVERY);
        measure("trace: an event (evt_)", repeats, r -> resolved(traces, "event",
                "evt_b" + String.format(Locale.ROOT, "%09d", r.nextInt(invoices * 4))));
        measure("trace: a charge (ch_)", repeats, r -> resolved(traces, "object", "ch_b" + r.nextInt(invoices)));
        measure("trace: a payment intent (pi_)", repeats, r -> resolved(traces, "object", "pi_b" + r.nextInt(invoices)));
        measure("trace: a Checkout Session (cs_)", repeats, r -> resolved(traces, "object",
                "cs_b" + r.nextInt(invoices)));
        measure("trace: a refund (re_)", repeats, r -> resolved(traces, "object", "re_b" + r.nextInt(refunds)));
        measure("trace: a dispute (du_)", repeats, r -> resolved(traces, "object", "du_b" + r.nextInt(disputes)));
        measure("trace: a subscription (sub_)", repeats, r -> resolved(traces, "object",
                "sub_b" + r.nextInt(CUSTOMERS)));
        measure("trace: an invoice number", repeats, r -> resolved(traces, "invoice_number",
                invoiceNumber(r.nextInt(invoices))));
        measure("trace: a customer's e-mail address", repeats, r -> resolved(traces, "email",
                email(r.nextInt(CUSTOMERS)).toUpperCase(Locale.ROOT)));
        measure("trace: an order id (any format)", repeats, r -> resolved(traces, "order", order(r.nextInt(invoices))));
        measure("trace: a checkout attempt id", repeats, r -> resolved(traces, "checkout_attempt",
                attempt(r.nextInt(invoices))));
        measure("trace: a store order id", repeats, r -> resolved(traces, "store_order",
                storeOrder(r.nextInt(invoices))));
        measure("trace: a tenant", repeats, r -> resolved(traces, "tenant", "tenant_b" + r.nextInt(1000)));
    }

    private static void resolved(PaymentTrace traces, String kind, String id) throws SQLException {
        PaymentTrace.Trace trace = traces.trace(id);
        check(trace.found() && trace.resolvedAs().equals(kind) && !trace.payments().isEmpty());
    }

    /** How many of the invoices get a refund (every {@code every}th) or a dispute. */
    private static int reversals(int invoices, int every) {
        return (invoices + every - 1) / every;
    }

    // What the application, the store and Stripe call invoice k; the fill writes the same in SQL.
    private static String invoiceNumber(int k) {
        return String.format(Locale.ROOT, "BENCH-%07d", k);
    }

    private static String order(int k) {
        return "SO-" + k + "/B";
    }

    private static String attempt(int k) {
        return "chk_b" + Integer.toHexString(k * 31 + 7) + "x" + k;
    }

    private static String storeOrder(int k) {
        return "EU-" + k;
    }

    private static String email(int customer) {
        return "billing" + customer + "@tenant" + (customer % 1000) + ".example";
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

    /**
     * The refunds and disputes: for each, an event about its own object (whose body names only its payment), the
     * object's snapshot, the event linked to its payment's record, a posting filed under that payment and a state in
     * its history. A refund j is of invoice {@value #REFUND_EVERY}·j, a dispute j of invoice
     * {@value #DISPUTE_EVERY}·j + 50.
     */
    private static void fillReversals(Statement st, int invoices) throws SQLException {
        // in one transaction: a posting's entry and its lines are written apart, and the entry must have its
        // lines when it commits
        Connection c = st.getConnection();
        c.setAutoCommit(false);
        for (String[] kind : new String[][] {
                {"re_b", "refund", "refund.created", "succeeded", "refund", "REFUNDS", "PARTIALLY_REFUNDED",
                        String.valueOf(REFUND_EVERY), "0"},
                {"du_b", "dispute", "charge.dispute.created", "needs_response", "dispute_opened", "DISPUTES",
                        "DISPUTED", String.valueOf(DISPUTE_EVERY), "50"}}) {
            String prefix = kind[0];
            String invoice = "(j * " + kind[7] + " + " + kind[8] + ")";
            String series = " FROM generate_series(0, " + (reversals(invoices, Integer.parseInt(kind[7])) - 1) + ") j"
                    + " WHERE j * " + kind[7] + " + " + kind[8] + " < " + invoices;
            String eventId = "'evt_" + prefix + "' || lpad(j::text, 9, '0')";
            st.execute("INSERT INTO inbox_event (event_id, event_type, api_version, livemode, stripe_created, object_type,"
                    + " object_id, customer_id, payload, received_at, delivery_count, last_delivered_at, status,"
                    + " status_changed_at, tenant_id, attempt_count, cycle_attempts, source)"
                    + " SELECT " + eventId + ", '" + kind[2] + "', '2026-07-29.dahlia', FALSE, '" + END + "'::timestamptz"
                    + " - make_interval(secs => j), '" + kind[1] + "', '" + prefix + "' || j,"
                    + " 'cus_b' || (" + invoice + " % " + CUSTOMERS + "), convert_to('{}', 'UTF8'), now(), 1, now(),"
                    + " 'PROCESSED', now(), 'tenant_b' || (" + invoice + " % 1000), 1, 1, 'WEBHOOK'" + series);
            st.execute("INSERT INTO stripe_object (object_id, object_type, tenant_id, customer_id, status, deleted,"
                    + " livemode, version_created, version_rank, version_event_id, version_type)"
                    + " SELECT '" + prefix + "' || j, '" + kind[1] + "', 'tenant_b' || (" + invoice + " % 1000),"
                    + " 'cus_b' || (" + invoice + " % " + CUSTOMERS + "), '" + kind[3] + "', FALSE, FALSE, now(), 2, "
                    + eventId + ", '" + kind[2] + "'" + series);
            st.execute("INSERT INTO reconciliation_event (payment_key, event_id)"
                    + " SELECT 'invoice:in_b' || " + invoice + ", " + eventId + series);
            st.execute("INSERT INTO reconciliation_history (payment_key, state, reached_at, event_id)"
                    + " SELECT 'invoice:in_b' || " + invoice + ", '" + kind[6] + "', now(), " + eventId + series);
            st.execute("INSERT INTO journal_entry (tenant_id, currency, business_key, source_event_id, description,"
                    + " posted_at, object_id) SELECT 'tenant_b' || (" + invoice + " % 1000), 'USD', '" + kind[4]
                    + ":" + prefix + "' || j, " + eventId + ", '" + kind[1] + " " + prefix + "' || j, now(), '" + prefix
                    + "' || j" + series);
            st.execute("INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit)"
                    + " SELECT entry_id, n, tenant_id, currency, CASE WHEN n = 1 THEN '" + kind[5] + "'"
                    + " ELSE 'STRIPE_BALANCE' END, CASE WHEN n = 1 THEN 1500 ELSE 0 END, CASE WHEN n = 1 THEN 0"
                    + " ELSE 1500 END FROM journal_entry, generate_series(1, 2) n"
                    + " WHERE business_key LIKE '" + kind[4] + ":%'");
            st.execute("INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)"
                    + " SELECT 'tenant_b' || (" + invoice + " % 1000), '" + kind[4] + ":" + prefix + "' || j,"
                    + " 'invoice:in_b' || " + invoice + series);
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Generates the data inside PostgreSQL, 100,000 events a transaction. */
    private static void fill(HikariDataSource pool, int events) throws SQLException {
        String template = new String(StripeFixtures.get(FIXTURE).body(), StandardCharsets.UTF_8);
        String eventId = StripeFixtures.get(FIXTURE).eventId();
        long started = System.nanoTime();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE inbox_event, event_attempt, journal_line, journal_entry, journal_entry_payment,"
                    + " reconciliation_event, reconciliation_history, reconciliation_record, stripe_object, tenant,"
                    + " tenant_mapping CASCADE");
            st.execute("INSERT INTO tenant (tenant_id, name, status, created_at) SELECT 'tenant_b' || t, 'Tenant ' || t,"
                    + " 'ACTIVE', now() FROM generate_series(0, 999) t");
        }
        String events_sql = """
                INSERT INTO inbox_event (event_id, event_type, api_version, livemode, stripe_created, object_type, object_id,
                    customer_id, payload, received_at, delivery_count, last_delivered_at, status, status_reason,
                    status_changed_at, tenant_id, attempt_count, cycle_attempts, source, event_line)
                SELECT 'evt_b' || lpad(g::text, 9, '0'),
                       (CAST(? AS VARCHAR[]))[1 + g % 4],
                       '2026-07-29.dahlia', FALSE,
                       ?::timestamptz - make_interval(secs => ? - g * ?::double precision),
                       'invoice', 'in_b' || (g / 4), 'cus_b' || ((g / 4) % 20000),
                       convert_to(replace(replace(?, ?, 'evt_b' || lpad(g::text, 9, '0')), 'in_TEST1_SUB0001', 'in_b' || (g / 4)), 'UTF8'),
                       now(), 1, now(),
                       CASE WHEN g % 100 = 7 THEN 'FAILED' WHEN g % 250 = 3 THEN 'UNMAPPED' ELSE 'PROCESSED' END,
                       CASE WHEN g % 100 = 7 THEN 'IllegalStateException: boom' WHEN g % 250 = 3 THEN 'no tenant' END,
                       now(), CASE WHEN g % 250 = 3 THEN NULL ELSE 'tenant_b' || ((g / 4) % 1000) END, 1, 1, 'WEBHOOK',
                       CASE WHEN g % 100 <> 7 THEN (CAST(? AS VARCHAR[]))[1 + g % 4] END
                FROM generate_series(?, ?) g""";
        // The line the engine keeps with each event it settles (none for a failed one), per type of the fill.
        String[] types = {"invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded"};
        String[] lines = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            JsonObject event = JsonParser.parseString(template).getAsJsonObject();
            event.addProperty("type", types[i]);
            lines[i] = EventSummaries.lineToKeep(event);
        }
        int chunk = 100_000;
        for (int from = 0; from < events; from += chunk) {
            int to = Math.min(events, from + chunk) - 1;
            try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(events_sql)) {
                insert.setArray(1, c.createArrayOf("varchar", types));
                insert.setString(2, END.toString());
                insert.setLong(3, SPAN_SECONDS);
                insert.setDouble(4, (double) SPAN_SECONDS / events);
                insert.setString(5, template);
                insert.setString(6, eventId);
                insert.setArray(7, c.createArrayOf("varchar", lines));
                insert.setInt(8, from);
                insert.setInt(9, to);
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
            // Each invoice's payment with every id support may be told: its payment intent, charge, session and
            // subscription, the invoice number, the application's order (a format of its own), the checkout attempt
            // and the store's order; its three handled events linked; created and paid in its history.
            st.execute("INSERT INTO reconciliation_record (payment_key, tenant_id, invoice_id, payment_intent_id,"
                    + " charge_id, checkout_session_id, subscription_id, customer_id, invoice_number, order_id,"
                    + " checkout_attempt_id, store_order_id, store_id, livemode, status, status_rank, first_received_at,"
                    + " reconciled_at, updated_at)"
                    + " SELECT 'invoice:in_b' || k, 'tenant_b' || (k % 1000), 'in_b' || k, 'pi_b' || k, 'ch_b' || k,"
                    + " 'cs_b' || k, 'sub_b' || (k % " + CUSTOMERS + "), 'cus_b' || (k % " + CUSTOMERS + "),"
                    + " 'BENCH-' || lpad(k::text, 7, '0'), 'SO-' || k || '/B', 'chk_b' || to_hex(k * 31 + 7) || 'x' || k,"
                    + " 'EU-' || k, 'store_' || (k % 50), FALSE, 'PAID', 4, now(), now(), now()"
                    + " FROM generate_series(0, " + (invoices - 1) + ") k");
            st.execute("INSERT INTO reconciliation_event (payment_key, event_id)"
                    + " SELECT 'invoice:in_b' || (g / 4), 'evt_b' || lpad(g::text, 9, '0')"
                    + " FROM generate_series(0, " + (events - 1) + ") g WHERE g % 4 <> 0");
            st.execute("INSERT INTO reconciliation_history (payment_key, state, reached_at, event_id)"
                    + " SELECT 'invoice:' || object_id, CASE WHEN event_type = 'invoice.finalized' THEN 'CREATED'"
                    + " ELSE 'PAID' END, stripe_created, event_id FROM inbox_event"
                    + " WHERE event_type IN ('invoice.finalized', 'invoice.paid')");
            st.execute("INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)"
                    + " SELECT tenant_id, business_key, 'invoice:' || object_id FROM journal_entry");
            fillReversals(st, invoices);
            st.execute("INSERT INTO stripe_object (object_id, object_type, tenant_id, customer_id, status, deleted, livemode,"
                    + " version_created, version_rank, version_event_id, version_type, email)"
                    + " SELECT 'in_b' || k, 'invoice', 'tenant_b' || (k % 1000), 'cus_b' || (k % 20000), 'paid', FALSE, FALSE,"
                    + " now(), 4, 'evt_b' || lpad((4 * k + 3)::text, 9, '0'), 'invoice.payment_succeeded',"
                    + " 'billing' || (k % " + CUSTOMERS + ") || '@tenant' || (k % " + CUSTOMERS + " % 1000) || '.example'"
                    + " FROM generate_series(0, " + (invoices - 1) + ") k");
            // The customers, each with its e-mail address (its invoices carry the same as customer_email).
            st.execute("INSERT INTO stripe_object (object_id, object_type, tenant_id, customer_id, status, deleted, livemode,"
                    + " version_created, version_rank, version_event_id, version_type, email)"
                    + " SELECT 'cus_b' || c, 'customer', 'tenant_b' || (c % 1000), 'cus_b' || c, NULL, FALSE, FALSE,"
                    + " now(), 0, 'evt_c' || c, 'customer.created', 'billing' || c || '@tenant' || (c % 1000) || '.example'"
                    + " FROM generate_series(0, " + (CUSTOMERS - 1) + ") c");
            st.execute("ANALYZE");
        }
        System.out.printf(Locale.ROOT, "filled in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }
}
