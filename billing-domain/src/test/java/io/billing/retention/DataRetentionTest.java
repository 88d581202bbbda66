package io.billing.retention;

import io.billing.platform.time.DatabaseClock;
import io.billing.inbox.InboxStatus;
import io.billing.platform.cluster.ClusterJobLease;
import io.billing.platform.persistence.Transactions;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import io.billing.trace.PaymentTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data retention on a real PostgreSQL (and once on the embedded H2): it removes exactly what is due and nothing
 * else, keeps the envelope and the body's hash, trims old attempts, removes delivered messages only, never
 * touches the audit log, runs on one node at a time and works in bounded transactions.
 */
class DataRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    private static final int BATCH = 3;
    /** Bodies and delivered messages after 90 days, attempt details after 30. */
    private static final RetentionSettings SETTINGS = new RetentionSettings(Duration.ofDays(90), Duration.ofDays(30),
            Duration.ofDays(90), BATCH, Duration.ZERO, Duration.ofMinutes(5));

    private final MutableClock clock = new MutableClock(NOW);
    private final List<String> removals = Collections.synchronizedList(new ArrayList<>());
    private TestDatabase database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private DataRetention retention(String node) {
        return retention(node, database.dataSource(), (kind, rows) -> removals.add(kind.label() + " " + rows));
    }

    private DataRetention retention(String node, DataSource dataSource, DataRetention.Observer observer) {
        return new DataRetention(dataSource, clock, DatabaseClock.following(clock), node, SETTINGS, observer);
    }

    @Test
    void removesTheBodiesOfEventsSettledBeforeTheCutoffAndKeepsEverythingElse() throws Exception {
        database = TestDatabase.postgres();
        for (int i = 1; i <= 7; i++) {
            event("evt_processed_old_" + i, InboxStatus.PROCESSED, days(91 + i), null);
        }
        event("evt_ignored_old_1", InboxStatus.IGNORED, days(120), null);
        event("evt_ignored_old_2", InboxStatus.IGNORED, days(91), null);
        event("evt_processed_recent", InboxStatus.PROCESSED, days(89), null);
        event("evt_failed_old", InboxStatus.FAILED, days(200), null);
        event("evt_waiting_old", InboxStatus.RETRY_SCHEDULED, days(200), null);
        event("evt_received_old", InboxStatus.RECEIVED, days(200), null);
        event("evt_unmapped_old", InboxStatus.UNMAPPED, days(200), null);
        event("evt_resolved_old", InboxStatus.RESOLVED, days(200), null);
        event("evt_leased_old", InboxStatus.PROCESSING, days(200), "node-x");
        event("evt_settled_but_leased", InboxStatus.PROCESSED, days(200), "node-x");
        database.execute("INSERT INTO audit_log (at, actor, action, target_type, target_id, before_value,"
                + " after_value, reason) VALUES (TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 'ops', 'RERUN',"
                + " 'event', 'evt_processed_old_1', 'PROCESSED', 'RETRY_SCHEDULED', 'handler fixed')");
        List<String> envelopesBefore = envelopes();
        List<String> auditBefore = database.rows("SELECT * FROM audit_log ORDER BY audit_id");

        DataRetention.Run run = retention("node-a").runOnce().orElseThrow();

        assertTrue(run.complete());
        assertEquals(9, run.payloads());
        assertEquals(List.of("payload 3", "payload 3", "payload 1", "payload 2"), removals,
                "PROCESSED in batches of 3, then IGNORED");
        List<String> removed = database.rows("SELECT event_id FROM inbox_event WHERE payload IS NULL ORDER BY event_id");
        assertEquals(List.of("evt_ignored_old_1", "evt_ignored_old_2", "evt_processed_old_1", "evt_processed_old_2",
                "evt_processed_old_3", "evt_processed_old_4", "evt_processed_old_5", "evt_processed_old_6",
                "evt_processed_old_7"), removed);
        for (String eventId : removed) {
            assertArrayEquals(sha256(body(eventId)), bytes("SELECT payload_sha256 FROM inbox_event WHERE event_id = '"
                    + eventId + "'"), eventId + " keeps its body's SHA-256");
        }
        assertEquals(9, database.count("SELECT COUNT(*) FROM inbox_event WHERE payload_removed_at = TIMESTAMP WITH TIME"
                + " ZONE '2026-11-30 00:00:00+00'"));
        for (String kept : List.of("evt_processed_recent", "evt_failed_old", "evt_waiting_old", "evt_received_old",
                "evt_unmapped_old", "evt_resolved_old", "evt_leased_old", "evt_settled_but_leased")) {
            assertArrayEquals(body(kept), bytes("SELECT payload FROM inbox_event WHERE event_id = '" + kept + "'"),
                    kept + " keeps its body");
        }
        assertEquals(0, database.count("SELECT COUNT(*) FROM inbox_event WHERE payload IS NOT NULL"
                + " AND (payload_removed_at IS NOT NULL OR payload_sha256 IS NOT NULL)"));
        assertEquals(envelopesBefore, envelopes(), "ids, types, objects, customers, statuses, tenants stay");
        assertEquals(auditBefore, database.rows("SELECT * FROM audit_log ORDER BY audit_id"));

        assertEquals(0, retention("node-a").runOnce().orElseThrow().payloads(), "nothing is due twice");
        clock.advance(Duration.ofDays(2));
        assertEquals(1, retention("node-a").runOnce().orElseThrow().payloads(), "evt_processed_recent is due now");
    }

    @Test
    void screensAndOperatorsSeeWhenABodyWasRemovedAndCannotRunTheEventAgain() throws Exception {
        database = TestDatabase.postgres();
        event("evt_processed_old", InboxStatus.PROCESSED, days(100), null);
        event("evt_ignored_old", InboxStatus.IGNORED, days(100), null);
        event("evt_ignored_recent", InboxStatus.IGNORED, days(10), null);
        retention("node-a").runOnce().orElseThrow();

        EventViews.Detail detail = new EventQueries(database.dataSource()).detail("evt_processed_old").orElseThrow();
        assertNull(detail.payload());
        assertEquals(NOW, detail.payloadRemovedAt());
        assertEquals(java.util.HexFormat.of().formatHex(sha256(body("evt_processed_old"))), detail.payloadSha256());
        assertEquals("The body of this event was removed by data retention on 2026-11-30T00:00:00Z. Its SHA-256 was "
                + detail.payloadSha256() + ".", detail.payloadRemovedNotice());
        EventViews.Detail kept = new EventQueries(database.dataSource()).detail("evt_ignored_recent").orElseThrow();
        assertEquals(new String(body("evt_ignored_recent"), StandardCharsets.UTF_8), kept.payload());
        assertNull(kept.payloadRemovedNotice());

        PaymentTrace.Trace trace = new PaymentTrace(database.dataAccess()).trace("in_evt_processed_old");
        assertEquals(List.of(NOW), trace.events().stream().map(PaymentTrace.Event::payloadRemovedAt).toList());
        assertEquals("PROCESSED", trace.events().get(0).status());

        EventOperations operations = new EventOperations(database.dataSource(), clock);
        assertFalse(operations.retry("evt_ignored_old", "ops", "try again"), "no body, nothing to run");
        assertTrue(operations.retry("evt_ignored_recent", "ops", "try again"));
        assertEquals(0, operations.rerunProcessed("invoice.paid", null, "ops", "handler fixed"));
        assertEquals(List.of("IGNORED"), database.rows("SELECT status FROM inbox_event WHERE event_id = 'evt_ignored_old'"));
    }

    @Test
    void trimsTheErrorDetailsOfOldAttemptsInKeyRangesFromWhereTheLastRunStopped() throws Exception {
        database = TestDatabase.postgres();
        event("evt_a", InboxStatus.PROCESSED, days(1), null);
        event("evt_b", InboxStatus.FAILED, days(1), null);
        for (int i = 1; i <= 7; i++) {
            attempt("evt_b", i, days(60 - i), "java.lang.IllegalStateException", "no customer jane@example.com " + i,
                    "at io.billing.Handler.handle(Handler.java:" + i + ")");
        }
        attempt("evt_a", 1, days(50), null, null, null); // a success: nothing to trim
        attempt("evt_a", 2, days(10), "java.sql.SQLException", "recent failure", "at recent");

        DataRetention.Run first = retention("node-a").runOnce().orElseThrow();

        assertEquals(7, first.attemptDetails());
        assertEquals(List.of("attempt_detail 3", "attempt_detail 3", "attempt_detail 1"), removals);
        assertEquals(List.of("evt_b | 1 | java.lang.IllegalStateException | null | null | FAILED"),
                database.rows("SELECT event_id, attempt_no, error_class, error_message, stack_trace, outcome"
                        + " FROM event_attempt WHERE event_id = 'evt_b' AND attempt_no = 1"), "the outcome and class stay");
        assertEquals(7, database.count("SELECT COUNT(*) FROM event_attempt WHERE details_removed_at IS NOT NULL"));
        assertEquals(List.of("recent failure | at recent | null"), database.rows("SELECT error_message, stack_trace,"
                + " details_removed_at FROM event_attempt WHERE event_id = 'evt_a' AND attempt_no = 2"));
        assertEquals(1, database.count("SELECT COUNT(*) FROM event_attempt WHERE event_id = 'evt_a' AND attempt_no = 1"
                + " AND details_removed_at IS NULL"), "an attempt without details is left as it was");
        assertEquals(List.of("2026-10-31 00:00:00+00"),
                database.rows("SELECT TO_CHAR(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'"
                        + " FROM cluster_job WHERE job_name = 'data-retention'"), "the next run starts at this cutoff");
        EventViews.Attempt shown = new EventQueries(database.dataSource()).detail("evt_b").orElseThrow().attempts().get(0);
        assertEquals(NOW, shown.detailsRemovedAt());
        assertNull(shown.stackTrace());

        removals.clear();
        clock.advance(Duration.ofDays(25)); // the recent failure is 35 days old now
        DataRetention.Run second = retention("node-a").runOnce().orElseThrow();
        assertEquals(1, second.attemptDetails());
        assertEquals(List.of("attempt_detail 1"), removals);
        assertEquals(List.of("null | null"), database.rows("SELECT error_message, stack_trace FROM event_attempt"
                + " WHERE event_id = 'evt_a' AND attempt_no = 2"));
    }

    @Test
    void removesDeliveredMessagesWithTheirAttemptsAndNothingElseOfTheOutbox() throws Exception {
        database = TestDatabase.postgres();
        event("evt_a", InboxStatus.PROCESSED, days(1), null);
        message("rating:pi_old_1", "DELIVERED", days(100), days(100));
        message("rating:pi_old_2", "DELIVERED", days(95), days(91));
        message("rating:pi_recent", "DELIVERED", days(100), days(80)); // delivered late: kept 90 days from delivery
        message("rating:pi_failed", "FAILED", days(200), null);
        message("rating:pi_waiting", "RETRY_SCHEDULED", days(200), null);
        message("rating:pi_pending", "PENDING", days(200), null);
        for (String key : List.of("rating:pi_old_1", "rating:pi_old_2", "rating:pi_recent", "rating:pi_failed")) {
            outboxAttempt(key, 1);
            outboxAttempt(key, 2);
        }

        DataRetention.Run run = retention("node-a").runOnce().orElseThrow();

        assertEquals(2, run.outboxMessages());
        assertEquals(4, run.outboxAttempts());
        assertEquals(List.of("outbox_message 2", "outbox_attempt 4"), removals);
        assertEquals(List.of("rating:pi_failed", "rating:pi_pending", "rating:pi_recent", "rating:pi_waiting"),
                database.rows("SELECT idempotency_key FROM outbox_message ORDER BY idempotency_key"));
        assertEquals(List.of("rating:pi_failed | 2", "rating:pi_recent | 2"), database.rows("SELECT idempotency_key,"
                + " COUNT(*) FROM outbox_attempt GROUP BY idempotency_key ORDER BY idempotency_key"));
    }

    @Test
    void runsOnOneNodeAtATimeAndStopsWhenAnotherNodeTookItsExpiredLease() throws Exception {
        database = TestDatabase.postgres();
        for (int i = 1; i <= 5; i++) {
            event("evt_old_" + i, InboxStatus.PROCESSED, days(100), null);
        }
        ClusterJobLease heldByA = new ClusterJobLease(DataRetention.JOB, "node-a", DatabaseClock.following(clock));
        boolean taken = Transactions.inTransaction(database.dataSource(), c ->
                heldByA.tryAcquire(c, Duration.ofMinutes(5)));
        assertTrue(taken);
        assertEquals(Optional.empty(), retention("node-b").runOnce(), "node-a holds the job");
        assertEquals(0, database.count("SELECT COUNT(*) FROM inbox_event WHERE payload IS NULL"));
        Transactions.inTransaction(database.dataSource(), c -> {
            heldByA.release(c);
            return null;
        });

        // node-a runs and stops after its first transaction, as if stalled there
        CountDownLatch inFirstBatch = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        DataRetention nodeA = retention("node-a", database.dataSource(), (kind, rows) -> {
            inFirstBatch.countDown();
            await(goOn);
        });
        CompletableFuture<Optional<DataRetention.Run>> runOfA = CompletableFuture.supplyAsync(() -> {
            try {
                return nodeA.runOnce();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(inFirstBatch.await(30, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), retention("node-b").runOnce(), "node-a's run holds the job");
        assertEquals(BATCH, database.count("SELECT COUNT(*) FROM inbox_event WHERE payload IS NULL"));

        clock.advance(Duration.ofMinutes(6)); // node-a's lease runs out: node-b takes the job over and finishes it
        DataRetention.Run runOfB = retention("node-b").runOnce().orElseThrow();
        assertEquals(2, runOfB.payloads());
        goOn.countDown();
        DataRetention.Run stopped = runOfA.get(30, TimeUnit.SECONDS).orElseThrow();
        assertFalse(stopped.complete(), "node-a found its lease gone and stopped");
        assertEquals(BATCH, stopped.payloads());
        assertEquals(5, database.count("SELECT COUNT(*) FROM inbox_event WHERE payload IS NULL"));
    }

    @Test
    void neverWaitsForARowSomeoneElseHoldsAndTakesItOnTheNextRun() throws Exception {
        database = TestDatabase.postgres();
        event("evt_held", InboxStatus.PROCESSED, days(100), null);
        event("evt_free", InboxStatus.PROCESSED, days(100), null);
        try (Connection operator = database.dataSource().getConnection()) {
            operator.setAutoCommit(false);
            try (PreparedStatement lock = operator.prepareStatement(
                    "SELECT event_id FROM inbox_event WHERE event_id = 'evt_held' FOR UPDATE")) {
                lock.executeQuery().close();
            }
            DataRetention.Run run = retention("node-a").runOnce().orElseThrow(); // would hang here if it waited
            assertEquals(1, run.payloads());
            operator.rollback();
        }
        assertEquals(List.of("evt_free"), database.rows("SELECT event_id FROM inbox_event WHERE payload IS NULL"));
        assertEquals(1, retention("node-a").runOnce().orElseThrow().payloads());
    }

    @Test
    void everyTransactionRunsAFewStatementsOverAtMostOneBatchOfRows() throws Exception {
        database = TestDatabase.postgres();
        for (int i = 1; i <= 10; i++) {
            event("evt_old_" + i, InboxStatus.PROCESSED, days(100 + i), null);
            attempt("evt_old_" + i, 1, days(40), "java.lang.IllegalStateException", "failed", "at x");
            attempt("evt_old_" + i, 2, days(40), null, null, null);
            message("rating:pi_" + i, "DELIVERED", days(100), days(100));
            outboxAttempt("rating:pi_" + i, 1);
        }
        StatementCounter counter = new StatementCounter(database.dataSource());

        DataRetention.Run run = retention("node-a", counter.dataSource(),
                (kind, rows) -> removals.add(kind.label() + " " + rows)).runOnce().orElseThrow();

        assertEquals(10, run.payloads());
        assertEquals(10, run.attemptDetails());
        assertEquals(10, run.outboxMessages());
        assertEquals(List.of("payload 3", "payload 3", "payload 3", "payload 1",
                "attempt_detail 2", "attempt_detail 1", "attempt_detail 2", "attempt_detail 1", "attempt_detail 2",
                "attempt_detail 1", "attempt_detail 1",
                "outbox_message 3", "outbox_attempt 3", "outbox_message 3", "outbox_attempt 3",
                "outbox_message 3", "outbox_attempt 3", "outbox_message 1", "outbox_attempt 1"), removals,
                "each batch holds at most 3 rows (attempts: a range of 3, every other one with details)");
        // payloads: 4 batches for PROCESSED, 1 that finds no IGNORED; attempts: 20 in 7 ranges; messages: 4 batches
        assertEquals(4 + 1 + 7 + 4, run.transactions());
        assertEquals(run.transactions() + 2, counter.transactions().size(), "and one to take the lease, one to release it");
        assertTrue(counter.transactions().stream().allMatch(statements -> statements <= 4),
                "at most 4 statements a transaction: " + counter.transactions());
    }

    @Test
    void runsOnTheEmbeddedH2Too() throws Exception {
        database = TestDatabase.h2();
        event("evt_old", InboxStatus.PROCESSED, days(100), null);
        event("evt_recent", InboxStatus.PROCESSED, days(10), null);
        attempt("evt_old", 1, days(40), "java.lang.IllegalStateException", "failed", "at x");
        message("rating:pi_old", "DELIVERED", days(100), days(100));
        outboxAttempt("rating:pi_old", 1);

        DataRetention.Run run = retention("node-a").runOnce().orElseThrow();

        assertEquals(List.of(1L, 1L, 1L, 1L),
                List.of(run.payloads(), run.attemptDetails(), run.outboxMessages(), run.outboxAttempts()));
        assertArrayEquals(sha256(body("evt_old")),
                bytes("SELECT payload_sha256 FROM inbox_event WHERE event_id = 'evt_old'"));
        assertArrayEquals(body("evt_recent"), bytes("SELECT payload FROM inbox_event WHERE event_id = 'evt_recent'"));
    }

    // --- the rows, written as the intake, the engine and the outbox write them

    private static Instant days(int ago) {
        return NOW.minus(Duration.ofDays(ago));
    }

    private static byte[] body(String eventId) {
        return ("{\"id\":\"" + eventId + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_" + eventId
                + "\",\"customer_email\":\"jane@example.com\",\"customer_name\":\"Jane Doe\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void event(String eventId, InboxStatus status, Instant statusChangedAt, String leaseOwner)
            throws SQLException {
        boolean waits = status == InboxStatus.RECEIVED || status == InboxStatus.RETRY_SCHEDULED
                || status == InboxStatus.PROCESSING;
        update("""
                INSERT INTO inbox_event (event_id, event_type, livemode, stripe_created, object_type, object_id,
                                         customer_id, payload, received_at, delivery_count, last_delivered_at, status,
                                         status_changed_at, due_at, lease_owner, tenant_id, status_reason)
                VALUES (?, 'invoice.paid', FALSE, ?, 'invoice', ?, 'cus_jane', ?, ?, 1, ?, ?, ?, ?, ?, 'tenant_acme', ?)""",
                eventId, statusChangedAt.minusSeconds(60), "in_" + eventId, body(eventId),
                statusChangedAt.minusSeconds(30), statusChangedAt.minusSeconds(30), status.name(), statusChangedAt,
                waits ? statusChangedAt : null, leaseOwner, "tenant tenant_acme from the object's metadata");
    }

    private void attempt(String eventId, int attemptNo, Instant finishedAt, String errorClass, String message,
                         String stack) throws SQLException {
        update("""
                INSERT INTO event_attempt (event_id, attempt_no, node_id, started_at, finished_at, outcome, error_class,
                                           error_message, stack_trace)
                VALUES (?, ?, 'node-x', ?, ?, ?, ?, ?, ?)""", eventId, attemptNo, finishedAt.minusMillis(5),
                finishedAt, errorClass == null ? "PROCESSED" : "FAILED", errorClass, message, stack);
    }

    private void message(String key, String status, Instant createdAt, Instant deliveredAt) throws SQLException {
        update("""
                INSERT INTO outbox_message (idempotency_key, destination, tenant_id, source_event_id, payload, created_at,
                                            status, attempt_count, delivered_at)
                VALUES (?, 'rating', 'tenant_acme', 'evt_a', '{"amount":4900}', ?, ?, 2, ?)""",
                key, createdAt, status, deliveredAt);
    }

    private void outboxAttempt(String key, int attemptNo) throws SQLException {
        update("""
                INSERT INTO outbox_attempt (idempotency_key, attempt_no, node_id, started_at, finished_at, outcome,
                                            http_status)
                VALUES (?, ?, 'node-x', ?, ?, 'DELIVERED', 200)""", key, attemptNo, days(100), days(100));
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                statement.setObject(i + 1, value instanceof Instant at ? Timestamp.from(at) : value);
            }
            statement.executeUpdate();
        }
    }

    private byte[] bytes(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet row = query.executeQuery()) {
            assertTrue(row.next(), sql);
            byte[] value = row.getBytes(1);
            assertNotNull(value, sql);
            return value;
        }
    }

    private List<String> envelopes() throws SQLException {
        return database.rows("SELECT event_id, event_type, stripe_created, object_id, customer_id, status,"
                + " status_changed_at, tenant_id, status_reason, delivery_count FROM inbox_event ORDER BY event_id");
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A data source that counts the statements each committed transaction ran. */
    private static final class StatementCounter {

        private final DataSource target;
        private final List<Integer> transactions = Collections.synchronizedList(new ArrayList<>());

        StatementCounter(DataSource target) {
            this.target = target;
        }

        List<Integer> transactions() {
            return transactions;
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> method.getName().equals("getConnection")
                            ? counting((Connection) invoke(target, method, args)) : invoke(target, method, args));
        }

        private Connection counting(Connection connection) {
            AtomicInteger statements = new AtomicInteger();
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "prepareStatement", "createStatement" -> statements.incrementAndGet();
                    case "commit" -> transactions.add(statements.getAndSet(0));
                    default -> { }
                }
                return invoke(connection, method, args);
            };
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    handler);
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
