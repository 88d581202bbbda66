package io.billing.processing.operator;

import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failing events grouped by cause: the retrying ones beside the dead, ids and numbers left out of the pattern, an
 * operator's requeue not taken for a failure, and a group's retry queueing exactly the events its preview counted.
 */
class FailureGroupsTest {

    @Test
    void onPostgres() throws SQLException {
        groupsAndRetries(TestDatabase::postgres);
    }

    @Test
    void onTheEmbeddedDatabase() throws SQLException {
        groupsAndRetries(TestDatabase::h2);
    }

    private static void groupsAndRetries(Supplier<TestDatabase> databases) throws SQLException {
        try (TestDatabase database = databases.get()) {
            seed(database, "evt_a1", "invoice.paid", "RETRY_SCHEDULED", 2,
                    "NullPointerException: no period on sub_A1 line il_9F3k2", "2026-11-30 09:00:00+00");
            seed(database, "evt_a2", "invoice.paid", "RETRY_SCHEDULED", 5,
                    "NullPointerException: no period on sub_B77 line il_0000x", "2026-11-30 09:30:00+00");
            seed(database, "evt_a3", "invoice.paid", "FAILED", 16,
                    "NullPointerException: no period on sub_C3 line il_X1x1", "2026-11-29 10:00:00+00");
            seed(database, "evt_b1", "charge.refunded", "RETRY_SCHEDULED", 1,
                    "SQLTimeoutException: canceling statement after 5000 ms", "2026-11-30 09:45:00+00");
            // Queued again by an operator: waiting, not failing.
            seed(database, "evt_c1", "invoice.paid", "RETRY_SCHEDULED", 0,
                    "retried by ada: handler fixed", "2026-11-30 09:50:00+00");
            seed(database, "evt_d1", "invoice.paid", "PROCESSED", 1, null, "2026-11-30 09:55:00+00");

            MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
            FailureGroups groups = new FailureGroups(database.dataSource(),
                    new EventOperations(database.dataSource(), clock));
            List<FailureGroups.Group> current = groups.current();
            assertEquals(2, current.size(), current.toString());
            FailureGroups.Group handler = current.get(0);
            assertEquals("invoice.paid", handler.eventType());
            assertEquals("NullPointerException: no period on … line …", handler.cause());
            assertEquals(2, handler.retrying());
            assertEquals(1, handler.dead());
            assertEquals(Instant.parse("2026-11-29T10:00:00Z"), handler.firstAt());
            assertEquals(Instant.parse("2026-11-30T09:30:00Z"), handler.lastAt());
            assertEquals("evt_a2", handler.example());
            FailureGroups.Group timeout = current.get(1);
            assertEquals("SQLTimeoutException: canceling statement after # ms", timeout.cause());
            assertEquals(1, timeout.retrying());

            assertEquals(List.of("evt_a2", "evt_a1", "evt_a3"), groups.eventIds(handler.key()));
            assertEquals(3, groups.retry(handler.key(), "ada", "period fix deployed"));
            assertEquals(List.of("charge.refunded"),
                    groups.current().stream().map(FailureGroups.Group::eventType).toList());
            assertEquals(3, database.count("SELECT COUNT(*) FROM audit_log WHERE action = 'RETRY' AND actor = 'ada'"));
        }
    }

    @Test
    void aCauseKeepsTheErrorAndLeavesOutWhatDiffersFromEventToEvent() {
        assertEquals("IllegalStateException: the payment payment:… is recorded for another tenant than tenant_acme",
                FailureGroups.causeOf("IllegalStateException: the payment payment:pi_3Pq9 is recorded for another"
                        + " tenant than tenant_acme"));
        assertEquals("UnknownHostException: … unreachable after # tries",
                FailureGroups.causeOf("UnknownHostException: 7f3a9c0e-1d2b-4c5d-8e9f-0a1b2c3d4e5f unreachable after 3 tries"));
        assertEquals("PSQLException: null value in column tenant_id of relation journal_entry",
                FailureGroups.causeOf("PSQLException: null value in column tenant_id of relation journal_entry"));
        assertEquals("(no error recorded)", FailureGroups.causeOf(null));
        assertTrue(FailureGroups.causeOf("x".repeat(500)).length() <= 161);
    }

    private static void seed(TestDatabase database, String eventId, String type, String status, int cycleAttempts,
                             String reason, String at) throws SQLException {
        database.execute("INSERT INTO inbox_event (event_id, event_type, livemode, stripe_created, received_at,"
                + " delivery_count, last_delivered_at, status, status_reason, status_changed_at, attempt_count,"
                + " cycle_attempts) VALUES ('" + eventId + "', '" + type + "', FALSE, TIMESTAMP WITH TIME ZONE '" + at
                + "', TIMESTAMP WITH TIME ZONE '" + at + "', 1, TIMESTAMP WITH TIME ZONE '" + at + "', '" + status + "', "
                + (reason == null ? "NULL" : "'" + reason + "'") + ", TIMESTAMP WITH TIME ZONE '" + at + "', "
                + cycleAttempts + ", " + cycleAttempts + ")");
    }
}
