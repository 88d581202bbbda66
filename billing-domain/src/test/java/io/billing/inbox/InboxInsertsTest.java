package io.billing.inbox;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbox's inserts on both databases: PostgreSQL's one statement for a whole batch and H2's batch of statements
 * store the same rows and tell a new event from one stored before, or earlier in the same batch, alike. On
 * PostgreSQL the batch is one statement, which its counts' trigger sees once.
 */
class InboxInsertsTest {

    private static final Timestamp NOW = Timestamp.from(Instant.parse("2026-11-22T12:00:00.123456Z"));

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void storesEachNewEventOnceInTheOrderGiven(String kind) throws SQLException {
        try (TestDatabase database = kind.equals("PostgreSQL") ? TestDatabase.postgres() : TestDatabase.h2()) {
            assertEquals(List.of(StoreOutcome.STORED), insert(database, List.of(event("evt_x", false, null))));
            List<StoreOutcome> outcomes = insert(database, List.of(event("evt_a", true, "acct_1"),
                    event("evt_b", false, null), event("evt_a", false, null), event("evt_x", false, null)));
            assertEquals(List.of(StoreOutcome.STORED, StoreOutcome.STORED, StoreOutcome.DUPLICATE,
                    StoreOutcome.DUPLICATE), outcomes, "a repeat in the batch and one stored before are duplicates");
            assertEquals(List.of(
                    "evt_a | invoice.paid | true | acct_1 | 2026-08-03T14:02:35.250Z | in_evt_a | {\"id\":\"evt_a\"}"
                            + " | RECEIVED | 1 | 2026-11-22T12:00:00.123456Z | EVENTS_API | true",
                    "evt_b | invoice.paid | false | null | 2026-08-03T14:02:35.250Z | in_evt_b | {\"id\":\"evt_b\"}"
                            + " | RECEIVED | 1 | 2026-11-22T12:00:00.123456Z | EVENTS_API | true"),
                    rows(database, "SELECT event_id, event_type, livemode, account_id, stripe_created, object_id,"
                            + " payload, status, delivery_count, received_at, source, due_at IS NOT NULL"
                            + " FROM inbox_event WHERE event_id <> 'evt_x' ORDER BY event_id"));

            database.execute("DELETE FROM inbox_status_delta");
            List<EventEnvelope> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(event("evt_n" + i, false, null));
            }
            insert(database, batch);
            assertEquals(database.isPostgres() ? 1 : 50, database.count("SELECT COUNT(*) FROM inbox_status_delta"),
                    "PostgreSQL counts the batch once, as one statement; H2 row by row");
            assertEquals(50, database.count("SELECT SUM(events) FROM inbox_status_delta WHERE status = 'RECEIVED'"));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void aRowTheDatabaseRefusesFailsItsBatchWithADataError(String kind) throws SQLException {
        try (TestDatabase database = kind.equals("PostgreSQL") ? TestDatabase.postgres() : TestDatabase.h2()) {
            EventEnvelope tooLong = new EventEnvelope("evt_c", "x".repeat(300), "2026-07-29.dahlia", false, null,
                    Instant.ofEpochSecond(1785765755), "invoice", "in_1", "cus_1", new byte[] {'{', '}'},
                    EventSource.WEBHOOK);
            SQLException refused = assertThrows(SQLException.class,
                    () -> insert(database, List.of(event("evt_a", false, null), tooLong)));
            assertTrue(refused.getSQLState().startsWith("22"), "a data error, which the group commit retries row by"
                    + " row: " + refused.getSQLState());
            assertEquals(0, database.count("SELECT COUNT(*) FROM inbox_event"));
        }
    }

    /**
     * A Stripe event's body is kept out of the inbox row on PostgreSQL ({@code V83__inbox_payload_out_of_line}), so
     * that the engine's two updates of the row (claim and settle) write a short row and leave the body where it is.
     */
    @Test
    void aStripeSizedBodyIsKeptOutOfTheRowWhichUpdatesLeaveAlone() throws SQLException {
        try (TestDatabase database = TestDatabase.postgres()) {
            assertEquals(List.of("{toast_tuple_target=128}"),
                    database.rows("SELECT reloptions FROM pg_class WHERE oid = 'inbox_event'::regclass"));
            String toast = database.rows("SELECT reltoastrelid::regclass FROM pg_class"
                    + " WHERE oid = 'inbox_event'::regclass").get(0);
            StringBuilder json = new StringBuilder("{\"id\":\"evt_big\",\"lines\":[");
            Random random = new Random(7); // varied text, which compresses as an event's does
            while (json.length() < 2_600) {
                json.append("{\"id\":\"il_").append(Long.toString(random.nextLong(), 36)).append("\",\"amount\":")
                        .append(random.nextInt(100_000)).append("},");
            }
            String body = json.append("{}]}").toString();
            EventEnvelope big = new EventEnvelope("evt_big", "invoice.paid", "2026-07-29.dahlia", false, null,
                    Instant.parse("2026-08-03T14:02:35.250Z"), "invoice", "in_big", null,
                    body.getBytes(StandardCharsets.UTF_8), EventSource.WEBHOOK);
            insert(database, List.of(big, event("evt_small", false, null)));
            long chunks = database.count("SELECT COUNT(*) FROM " + toast);
            assertTrue(chunks >= 1, "the body went to the table's TOAST storage");
            assertTrue(database.count("SELECT pg_column_size(payload) FROM inbox_event WHERE event_id = 'evt_big'")
                    < body.length(), "compressed there");

            database.execute("UPDATE inbox_event SET status = 'PROCESSING', attempt_count = attempt_count + 1",
                    "UPDATE inbox_event SET status = 'PROCESSED', due_at = NULL");
            assertEquals(chunks, database.count("SELECT COUNT(*) FROM " + toast),
                    "the updates' new versions of the row point at the one stored body");
            assertEquals(List.of(body + " | {\"id\":\"evt_small\"}"), rows(database, "SELECT"
                    + " (SELECT payload FROM inbox_event WHERE event_id = 'evt_big'),"
                    + " (SELECT payload FROM inbox_event WHERE event_id = 'evt_small')"), "both read back whole");
        }
    }

    private static List<StoreOutcome> insert(TestDatabase database, List<EventEnvelope> events) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<StoreOutcome> outcomes = InboxInserts.insert(connection, events, NOW);
                connection.commit();
                return outcomes;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static EventEnvelope event(String id, boolean livemode, String account) {
        return new EventEnvelope(id, "invoice.paid", "2026-07-29.dahlia", livemode, account,
                Instant.parse("2026-08-03T14:02:35.250Z"), "invoice", "in_" + id, null,
                ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), EventSource.EVENTS_API);
    }

    /** Rows as text, times as instants, so that both databases print them alike. */
    private static List<String> rows(TestDatabase database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             var statement = connection.createStatement(); var row = statement.executeQuery(sql)) {
            int columns = row.getMetaData().getColumnCount();
            while (row.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = row.getObject(i);
                    values.add(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                            : value instanceof java.time.temporal.TemporalAccessor || value instanceof Timestamp
                            ? row.getTimestamp(i).toInstant().toString() : String.valueOf(value));
                }
                rows.add(String.join(" | ", values));
            }
        }
        return rows;
    }
}
