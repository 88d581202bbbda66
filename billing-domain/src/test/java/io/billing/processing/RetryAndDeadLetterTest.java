package io.billing.processing;

import io.billing.platform.queue.LoopSupervisor;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.queue.WorkSignal;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.operator.EventOperations;
import io.billing.stripe.StripeModes;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures, backoff on the injected clock, the dead letter and the manual retry out of it. */
class RetryAndDeadLetterTest {

    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(10), 4, 0.2);
    private static final String PAID = "acme/05_invoice.paid.subscription_create.json";

    private EngineHarness harness;
    private String eventId;

    @BeforeEach
    void start() throws Exception {
        harness = new EngineHarness(TestDatabase.postgres());
        harness.database.execute(FaultyHandler.TABLE);
        eventId = StripeFixtures.get(PAID).eventId();
        harness.deliver(StripeFixtures.get(PAID));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aHandlerThatFailsTwiceSucceedsOnTheThirdAttemptAfterBackoff() throws Exception {
        FaultyHandler handler = new FaultyHandler("invoice.paid", 2);
        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 1, RETRY), List.of(handler));

        assertEquals(1, engine.drain());
        assertEquals("RETRY_SCHEDULED", status());
        // With the harness's fixed jitter draw of 0.5 the delay is the nominal one: 1 minute, then 2.
        harness.clock.advance(Duration.ofSeconds(59));
        assertEquals(0, engine.drain(), "not due before its backoff has passed");
        harness.clock.advance(Duration.ofSeconds(1));
        assertEquals(1, engine.drain());
        assertEquals("RETRY_SCHEDULED", status());
        harness.clock.advance(Duration.ofSeconds(119));
        assertEquals(0, engine.drain());
        harness.clock.advance(Duration.ofSeconds(1));
        assertEquals(1, engine.drain());

        assertEquals("PROCESSED", status());
        assertEquals(List.of(
                "1 | node-a | RETRY_SCHEDULED | java.lang.IllegalStateException | rating service answered 503 for " + eventId,
                "2 | node-a | RETRY_SCHEDULED | java.lang.IllegalStateException | rating service answered 503 for " + eventId,
                "3 | node-a | PROCESSED | null | null"), attempts());
        assertTrue(harness.rows("SELECT stack_trace FROM event_attempt WHERE attempt_no = 1").get(0)
                .contains("at io.billing.processing.FaultyHandler.handle"), "the stack trace is kept");
        assertEquals(1, harness.count("SELECT COUNT(*) FROM test_effect"), "failed attempts left no effect behind");
    }

    @Test
    void aHandlerThatAlwaysFailsIsDeadLetteredThenRetriedByHandOnceFixed() throws Exception {
        FaultyHandler handler = new FaultyHandler("invoice.paid", Integer.MAX_VALUE);
        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 1, RETRY), List.of(handler));
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            assertEquals(1, engine.drain(), "attempt " + attempt);
            harness.clock.advance(RETRY.cap());
        }
        assertEquals("FAILED", status());
        assertEquals(4, attempts().size());
        assertTrue(attempts().get(3).startsWith("4 | node-a | FAILED | java.lang.IllegalStateException"));
        harness.clock.advance(Duration.ofDays(3));
        assertEquals(0, engine.drain(), "the dead letter stays put");

        handler.failuresLeft.set(0);
        EventOperations operations = new EventOperations(harness.database.dataSource(), harness.clock);
        assertTrue(operations.retry(eventId, "alice", "rating service is back"));
        assertEquals(1, engine.drain());
        assertEquals("PROCESSED", status());
        assertEquals("5 | node-a | PROCESSED | null | null", attempts().get(4));
        assertEquals(List.of("alice | RETRY | FAILED | RETRY_SCHEDULED | rating service is back"),
                harness.rows("SELECT actor, action, before_value, after_value, reason FROM audit_log"));
        assertEquals(1, harness.count("SELECT COUNT(*) FROM test_effect"));
    }

    @Test
    void oneFailingEventInABatchCostsItsNeighboursNothing() throws Exception {
        String created = "acme/20_invoice.created.json";
        String finalized = "acme/21_invoice.finalized.json";
        harness.deliver(StripeFixtures.get(created));
        harness.deliver(StripeFixtures.get(finalized));
        FaultyHandler paid = new FaultyHandler("invoice.paid", Integer.MAX_VALUE);
        FaultyHandler others = new FaultyHandler("invoice.created", 0);
        FaultyHandler finalizedHandler = new FaultyHandler("invoice.finalized", 0);
        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 1, RETRY),
                List.of(paid, others, finalizedHandler));

        assertEquals(3, engine.runOnce(), "all three claimed in one batch");
        assertEquals(List.of("PROCESSED", "PROCESSED", "RETRY_SCHEDULED"), harness.rows(
                "SELECT status FROM inbox_event ORDER BY CASE event_type WHEN 'invoice.created' THEN 1"
                        + " WHEN 'invoice.finalized' THEN 2 ELSE 3 END"));
        assertEquals(2, harness.count("SELECT COUNT(*) FROM test_effect WHERE event_id <> '" + eventId + "'"),
                "the neighbours applied once, though the batch ran twice");
        assertEquals(0, harness.count("SELECT COUNT(*) FROM test_effect WHERE event_id = '" + eventId + "'"));
        assertEquals(3, harness.count("SELECT COUNT(*) FROM event_attempt"), "one attempt each on the record");
    }

    @Test
    void aPaymentsReconciliationRecordCountsItsRetries() throws Exception {
        List<EventHandler> handlers = new ArrayList<>(harness.productionHandlers());
        handlers.add(new FaultyHandler("invoice.paid", 1));
        ProcessingEngine engine = harness.engine(EngineHarness.settings("node-a", 1, RETRY), handlers);
        engine.drain();
        assertEquals(0, harness.count("SELECT COUNT(*) FROM reconciliation_record"), "the failed attempt left nothing");
        harness.clock.advance(Duration.ofMinutes(2));
        engine.drain();
        assertEquals(List.of("PAID | 1 | " + Timestamp.from(harness.clock.instant())),
                harness.rows("SELECT status, retry_count, last_retry_at FROM reconciliation_record"
                        + " WHERE payment_key = 'invoice:in_TEST1_SUB0001'"));
    }

    private String status() throws Exception {
        return harness.rows("SELECT status FROM inbox_event WHERE event_id = '" + eventId + "'").get(0);
    }

    private List<String> attempts() throws Exception {
        return harness.rows("SELECT attempt_no, node_id, outcome, error_class, error_message FROM event_attempt"
                + " WHERE event_id = '" + eventId + "' ORDER BY attempt_no");
    }

    /**
     * An event whose attempts never finish (the node dies in it, or it hangs until its lease runs out) counts
     * each expired lease as a failed attempt and reaches the dead letter after the configured attempts, with a
     * reason that says so, instead of being taken again forever.
     */
    @Test
    void anEventWhoseAttemptsNeverFinishIsDeadLetteredAfterTheConfiguredAttempts() throws Exception {
        EngineSettings settings = EngineHarness.settings("node-a", 1, RETRY);
        EventProcessor hanging = harness.processor(settings, List.of(new FaultyHandler("invoice.paid", 0)));
        for (int attempt = 1; attempt <= RETRY.maxAttempts(); attempt++) {
            assertEquals(1, hanging.claim().size(), "attempt " + attempt + " is claimed, then never finishes");
            assertEquals(0, hanging.claim().size(), "not due again while its lease runs");
            harness.clock.advance(settings.lease().plusSeconds(1));
        }
        assertEquals(0, hanging.claim().size(), "the last expired lease sends it to the dead letter, not to a worker");
        assertEquals("FAILED", status());
        assertTrue(harness.rows("SELECT status_reason FROM inbox_event").get(0)
                .startsWith("attempt 4 of 4 never finished (node node-a died or hung past its lease)"));
        List<String> attempts = attempts();
        assertEquals(4, attempts.size(), attempts.toString());
        attempts.forEach(attempt -> assertTrue(attempt.contains("| node-a | LEASE_EXPIRED |"), attempt));
        assertEquals(0, harness.count("SELECT COUNT(*) FROM inbox_event WHERE due_at IS NOT NULL"),
                "a dead letter is never due");
    }

    /**
     * A handler that throws an {@link Error} (a stack overflow) kills its worker's loop: the supervisor restarts
     * the worker, the event's unfinished attempt ends with its lease, and the restarted worker applies it once.
     */
    @Test
    void aWorkerKilledByAnErrorIsRestartedAndTheEventIsAppliedOnce() throws Exception {
        FaultyHandler effect = new FaultyHandler("invoice.paid", 0);
        AtomicBoolean overflowed = new AtomicBoolean();
        EventHandler overflowingOnce = handlerOf(context -> {
            effect.handle(context);
            if (overflowed.compareAndSet(false, true)) {
                throw new StackOverflowError("a handler recursed for ever");
            }
        });
        EngineSettings settings = EngineHarness.settings("node-a", 1, RETRY);
        LoopSupervisor supervisor = new LoopSupervisor(Duration.ofMillis(10), 5, Duration.ofMinutes(5));
        try (ProcessingEngine engine = new ProcessingEngine(harness.processor(settings, List.of(overflowingOnce)),
                new WorkSignal(), Thread::new, supervisor)) {
            engine.start();
            awaitTrue(() -> supervisor.restarts().values().stream().mapToLong(Long::longValue).sum() == 1);
            assertEquals("PROCESSING", status(), "its attempt is unfinished until its lease runs out");
            harness.clock.advance(settings.lease().plusSeconds(1));
            awaitTrue(() -> "PROCESSED".equals(status()));
        }
        assertEquals(1, harness.count("SELECT COUNT(*) FROM test_effect"), "applied once: the died attempt left nothing");
        List<String> attempts = attempts();
        assertEquals(2, attempts.size(), attempts.toString());
        assertTrue(attempts.get(0).startsWith("1 | node-a | LEASE_EXPIRED"), attempts.get(0));
        assertTrue(attempts.get(1).startsWith("2 | node-a | PROCESSED"), attempts.get(1));
        assertFalse(supervisor.keepsDying());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 20 s");
            }
            Thread.sleep(20);
        }
    }

    /** A handler stuck in a query or in itself ends its attempt at half the lease, not when the lease runs out. */
    @Test
    void anAttemptThatRunsPastHalfItsLeaseIsEndedAndRetried() throws Exception {
        EngineSettings settings = new EngineSettings("node-a", 1, 8, Duration.ofSeconds(2), Duration.ofMillis(20), RETRY,
                StripeModes.LIVE_AND_TEST);
        EventHandler stuckQuery = handlerOf(context -> {
            try (var sleep = context.connection().prepareStatement("SELECT pg_sleep(30)")) {
                sleep.execute();
            }
        });
        long started = System.nanoTime();
        EventProcessor stuck = harness.processor(settings, List.of(stuckQuery));
        assertEquals(AttemptOutcome.RETRY_SCHEDULED, stuck.processBatch(stuck.claim()).get(0));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0,
                "ended by the statement timeout, long before the query's 30 s");
        assertTrue(attempts().get(0).contains("statement timeout"), attempts().get(0));

        harness.clock.advance(RETRY.cap());
        EventProcessor slow = harness.processor(settings, List.of(handlerOf(context -> Thread.sleep(1_500))));
        assertEquals(AttemptOutcome.RETRY_SCHEDULED, slow.processBatch(slow.claim()).get(0));
        assertTrue(attempts().get(1).contains("AttemptTimedOutException"), attempts().get(1));
        assertEquals("RETRY_SCHEDULED", status());
    }

    private interface Handling {
        void handle(HandlingContext context) throws Exception;
    }

    private static EventHandler handlerOf(Handling handling) {
        return new EventHandler() {
            @Override
            public Set<String> eventTypes() {
                return Set.of("invoice.paid");
            }

            @Override
            public boolean tenantScoped() {
                return false;
            }

            @Override
            public void handle(HandlingContext context) throws Exception {
                handling.handle(context);
            }
        };
    }
}
