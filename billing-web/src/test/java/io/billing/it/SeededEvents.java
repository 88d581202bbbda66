package io.billing.it;

import io.billing.testsupport.StripeFixtures;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Events written straight into the inbox as they would be after their attempts, for the admin's pages to show: a
 * globex customer.created of a customer and tenant of its own, whose payload is sound, so a retry processes it.
 */
final class SeededEvents {

    private SeededEvents() {
    }

    /** An event that failed twice and waits for its next attempt, a day from now: failing, not dead yet. */
    static String failing(TestEnvironment environment, String reason) throws Exception {
        String eventId = Unique.id("evt_failing_");
        try (Connection db = environment.openDatabase()) {
            customerEvent(db, eventId, "RETRY_SCHEDULED", reason, 2, Instant.now().plus(Duration.ofDays(1)));
        }
        return eventId;
    }

    /**
     * An event that failed for good earlier (a database timeout at the time, say): stored as it would be after its
     * last attempt, with that attempt.
     */
    static String failed(TestEnvironment environment) throws Exception {
        String eventId = Unique.id("evt_failed_");
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection db = environment.openDatabase()) {
            customerEvent(db, eventId, "FAILED", "SocketTimeoutException: Read timed out", 16, null);
            try (PreparedStatement attempt = db.prepareStatement("""
                    INSERT INTO event_attempt (event_id, attempt_no, node_id, started_at, finished_at, outcome, error_class,
                        error_message, stack_trace)
                    VALUES (?, 16, 'node-gone', ?, ?, 'FAILED', 'java.net.SocketTimeoutException', 'Read timed out',
                        'java.net.SocketTimeoutException: Read timed out\n\tat org.postgresql.core.PGStream.receive')""")) {
                attempt.setString(1, eventId);
                attempt.setTimestamp(2, now);
                attempt.setTimestamp(3, now);
                attempt.executeUpdate();
            }
        }
        return eventId;
    }

    private static void customerEvent(Connection db, String eventId, String status, String reason, int attempts,
                                      Instant dueAt) throws Exception {
        String customer = Unique.id("cus_SEEDED_");
        byte[] body = new String(StripeFixtures.get("globex/01_customer.created.json").withEventId(eventId).body(),
                StandardCharsets.UTF_8).replace("cus_TEST2", customer).replace("tenant_globex", Unique.id("tenant_seeded_"))
                .getBytes(StandardCharsets.UTF_8);
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO inbox_event (event_id, event_type, api_version, livemode, stripe_created, object_type,
                    object_id, customer_id, payload, received_at, delivery_count, last_delivered_at, status,
                    status_reason, status_changed_at, attempt_count, cycle_attempts, due_at)
                VALUES (?, 'customer.created', '2026-07-29.dahlia', FALSE, ?, 'customer', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?,
                    ?, ?)""")) {
            insert.setString(1, eventId);
            insert.setTimestamp(2, now);
            insert.setString(3, customer);
            insert.setString(4, customer);
            insert.setBytes(5, body);
            insert.setTimestamp(6, now);
            insert.setTimestamp(7, now);
            insert.setString(8, status);
            insert.setString(9, reason);
            insert.setTimestamp(10, now);
            insert.setInt(11, attempts);
            insert.setInt(12, attempts);
            insert.setTimestamp(13, dueAt == null ? null : Timestamp.from(dueAt));
            insert.executeUpdate();
        }
    }
}
