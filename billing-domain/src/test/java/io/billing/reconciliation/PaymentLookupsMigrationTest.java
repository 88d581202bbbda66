package io.billing.reconciliation;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The migration that adds the payments' history and the postings' payments (V51) on a database that already holds
 * payments, on PostgreSQL and H2: every fact posted before is filed under its payment (an invoice's by its invoice,
 * a one-time order's by its payment intent, a refund's and a dispute's through their events' payment), and each
 * record's history starts with its earliest event.
 */
class PaymentLookupsMigrationTest {

    private static final String BEFORE = "31";

    private final String schema = "t_lookups_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private HikariDataSource pool;
    private boolean postgres;

    @AfterEach
    void drop() throws SQLException {
        if (pool != null) {
            pool.close();
        }
        if (postgres) {
            try (Connection admin = TestPostgres.server().connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private HikariDataSource emptyDatabase(String kind) throws SQLException {
        postgres = kind.equals("postgres");
        HikariConfig config = new HikariConfig();
        if (postgres) {
            TestPostgres.Server server = TestPostgres.server();
            try (Connection admin = server.connect()) {
                PostgresSchemas.recreate(admin, schema);
            }
            config.setJdbcUrl(PostgresSchemas.withSchema(server.url(), schema));
            config.setUsername(server.user());
            config.setPassword(server.password());
        } else {
            config.setJdbcUrl("jdbc:h2:mem:" + schema + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            config.setUsername("billing");
        }
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        return pool;
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void factsPostedBeforeAreFiledUnderTheirPaymentsAndHistoriesStartAtTheFirstEvent(String kind) throws Exception {
        HikariDataSource database = emptyDatabase(kind);
        SchemaMigration.configure(database, SchemaMigration.Online.none()).target(BEFORE).load().migrate();
        execute(database,
                event("evt_1", "invoice.paid", "2026-08-03 14:02:35+00", "in_1"),
                event("evt_2", "invoice.payment_succeeded", "2026-08-03 14:02:36+00", "in_1"),
                event("evt_3", "charge.succeeded", "2026-08-10 16:20:00+00", "ch_2"),
                event("evt_4", "refund.created", "2026-08-21 15:00:01+00", "re_2"),
                event("evt_5", "charge.dispute.created", "2026-10-05 08:00:03+00", "du_2"),
                record("invoice:in_1"), record("payment:pi_2"),
                link("invoice:in_1", "evt_2"), link("invoice:in_1", "evt_1"),
                link("payment:pi_2", "evt_3"), link("payment:pi_2", "evt_4"), link("payment:pi_2", "evt_5"),
                entry(1, "invoice_issued:in_1", "evt_1", "in_1"), entry(2, "invoice_paid:in_1", "evt_2", "in_1"),
                entry(3, "payment:pi_2", "evt_3", "pi_2"), entry(4, "refund:re_2", "evt_4", "re_2"),
                entry(5, "dispute_opened:du_2", "evt_5", "du_2"));

        SchemaMigration.migrate(database, SchemaMigration.Online.none());

        assertEquals(List.of("dispute_opened:du_2 payment:pi_2", "invoice_issued:in_1 invoice:in_1",
                        "invoice_paid:in_1 invoice:in_1", "payment:pi_2 payment:pi_2", "refund:re_2 payment:pi_2"),
                rows(database, "SELECT business_key || ' ' || payment_key FROM journal_entry_payment"
                        + " WHERE tenant_id = 'tenant_acme' ORDER BY business_key"));
        assertEquals(List.of("invoice:in_1 CREATED evt_1", "payment:pi_2 CREATED evt_3"), rows(database,
                "SELECT payment_key || ' ' || state || ' ' || event_id FROM reconciliation_history ORDER BY payment_key"));
    }

    private static String event(String id, String type, String created, String objectId) {
        return "INSERT INTO inbox_event (event_id, event_type, livemode, stripe_created, object_id, received_at,"
                + " delivery_count, last_delivered_at, status, tenant_id) VALUES ('" + id + "', '" + type + "', FALSE,"
                + " TIMESTAMP WITH TIME ZONE '" + created + "', '" + objectId + "', CURRENT_TIMESTAMP, 1,"
                + " CURRENT_TIMESTAMP, 'PROCESSED', 'tenant_acme')";
    }

    private static String record(String key) {
        return "INSERT INTO reconciliation_record (payment_key, tenant_id, status, status_rank, first_received_at,"
                + " updated_at) VALUES ('" + key + "', 'tenant_acme', 'PAID', 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
    }

    private static String link(String key, String eventId) {
        return "INSERT INTO reconciliation_event (payment_key, event_id) VALUES ('" + key + "', '" + eventId + "')";
    }

    private static String entry(long id, String key, String eventId, String objectId) {
        return "INSERT INTO journal_entry (entry_id, tenant_id, currency, business_key, source_event_id, description,"
                + " posted_at, object_id) VALUES (" + id + ", 'tenant_acme', 'USD', '" + key + "', '" + eventId
                + "', 'posted before', CURRENT_TIMESTAMP, '" + objectId + "')";
    }

    private static void execute(HikariDataSource database, String... sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private static List<String> rows(HikariDataSource database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
