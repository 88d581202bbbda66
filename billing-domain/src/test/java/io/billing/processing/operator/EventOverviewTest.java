package io.billing.processing.operator;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine at a glance ({@link EventQueries#overview()}), which the dashboard shows and the metrics' gauges
 * report: what it counts, on PostgreSQL and H2, and on PostgreSQL that no part of it reads more than an index range
 * or the kept counts, however many events and delivered messages are kept.
 */
class EventOverviewTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void countsEventsPerStatusTheOldestDueAndTheOutboxBacklog(String kind) throws SQLException {
        try (TestDatabase database = kind.equals("PostgreSQL") ? TestDatabase.postgres() : TestDatabase.h2()) {
            event(database, "evt_1", "PROCESSED", null);
            event(database, "evt_2", "PROCESSED", null);
            event(database, "evt_3", "RECEIVED", "2026-11-30 10:00:00+00");
            event(database, "evt_4", "RETRY_SCHEDULED", "2026-11-30 09:00:00+00");
            event(database, "evt_5", "FAILED", null);
            for (String status : new String[] {"PENDING", "SENDING", "RETRY_SCHEDULED", "DELIVERED", "DELIVERED",
                    "FAILED"}) {
                message(database, status);
            }
            database.execute("UPDATE inbox_event SET status = 'RESOLVED', due_at = NULL WHERE event_id = 'evt_5'");

            EventViews.Overview overview = new EventQueries(database.dataSource()).overview();
            assertEquals(Map.of("PROCESSED", 2L, "RECEIVED", 1L, "RETRY_SCHEDULED", 1L, "RESOLVED", 1L),
                    overview.byStatus(), "only the statuses that have events");
            assertEquals(Instant.parse("2026-11-30T09:00:00Z"), overview.oldestDue());
            assertEquals(3, overview.outboxBacklog(), "pending, sending and retrying");
            assertEquals(1, overview.outboxFailed());
        }
    }

    @Test
    void eachQueryReadsAnIndexRangeOnPostgres() throws SQLException {
        try (TestDatabase database = TestDatabase.postgres()) {
            String oldestDue = plan(database, EventQueries.OLDEST_DUE_SQL);
            assertTrue(oldestDue.contains("Limit") && oldestDue.contains("ix_inbox_event_due"),
                    "the first entry of the due times' index:\n" + oldestDue);
            String outbox = plan(database, EventQueries.OUTBOX_SQL);
            assertTrue(outbox.contains("ix_outbox_message_status") && outbox.contains("Index Cond: ((status)::text = ANY"),
                    "the undelivered messages' range of the status index, not the whole index:\n" + outbox);
            assertFalse(outbox.contains("Filter"), outbox);
        }
    }

    private static String plan(TestDatabase database, String sql) throws SQLException {
        String plan = database.plan(sql);
        assertFalse(plan.contains("Seq Scan"), plan);
        return plan;
    }

    private static void event(TestDatabase database, String eventId, String status, String dueAt) throws SQLException {
        database.execute("INSERT INTO inbox_event (event_id, event_type, livemode, stripe_created, received_at,"
                + " delivery_count, last_delivered_at, status, due_at) VALUES ('" + eventId + "', 'invoice.paid', FALSE,"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, '" + status + "', "
                + (dueAt == null ? "NULL" : "TIMESTAMP WITH TIME ZONE '" + dueAt + "'") + ")");
    }

    private static void message(TestDatabase database, String status) throws SQLException {
        database.execute("INSERT INTO outbox_message (idempotency_key, destination, payload, created_at, status,"
                + " attempt_count) VALUES ('" + UUID.randomUUID() + "', 'rating', '{}', CURRENT_TIMESTAMP, '" + status
                + "', 0)");
    }
}
