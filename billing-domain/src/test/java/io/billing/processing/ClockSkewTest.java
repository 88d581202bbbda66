package io.billing.processing;

import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.GroupCommitWriter;
import io.billing.inbox.StoreOutcome;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.queue.WorkSignal;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes whose clocks differ share one inbox. Leases and retry due times are on the database's clock, so a node
 * whose own clock runs minutes ahead takes over no lease another node still holds and runs no retry early.
 * Each node keeps its own clock for what it records.
 */
class ClockSkewTest {

    /** How far node B's clock runs ahead of node A's: far beyond the 30 s lease of the harness's settings. */
    private static final Duration AHEAD = Duration.ofMinutes(3);

    private EngineHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new EngineHarness(TestDatabase.postgres());
        harness.database.execute(FaultyHandler.TABLE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** A node on its own clock, leasing on the database's, as the application wires it. */
    private EventProcessor node(String name, Clock nodeClock, List<EventHandler> handlers) {
        return harness.processor(EngineHarness.settings(name, 1, RetryPolicy.DEFAULT), handlers, nodeClock,
                DatabaseClock.database());
    }

    @Test
    void aNodeWhoseClockRunsAheadTakesOverNoLiveLeaseAndEveryEventRunsOnce() throws Exception {
        int firstBatch = 8;
        int events = 24;
        for (int n = 0; n < firstBatch; n++) {
            harness.deliver(ScaleOutTest.syntheticEvent(n));
        }
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch nodeAWorking = new CountDownLatch(1);
        FaultyHandler recorder = new FaultyHandler("invoice.paid", 0);
        EventHandler slow = new EventHandler() {
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
                // Counted outside the transaction: a run that is rolled back still counts.
                runs.computeIfAbsent(context.event().eventId(), id -> new AtomicInteger()).incrementAndGet();
                recorder.handle(context);
                if ("node-a".equals(context.event().lease().owner())) {
                    nodeAWorking.countDown();
                }
                // Slow work: a batch of 8 holds its leases for over a second; the other node polls every 20 ms.
                TimeUnit.MILLISECONDS.sleep(150);
            }
        };
        try (ProcessingEngine nodeA = new ProcessingEngine(node("node-a", harness.clock, List.of(slow)),
                new WorkSignal(), Thread::new);
             ProcessingEngine nodeB = new ProcessingEngine(node("node-b", Clock.offset(harness.clock, AHEAD),
                     List.of(slow)), new WorkSignal(), Thread::new)) {
            nodeA.start();
            // Node A holds the leases of all the waiting events, for over a second, when node B starts polling.
            assertTrue(nodeAWorking.await(10, TimeUnit.SECONDS));
            nodeB.start();
            // More events arrive while node A is still at work: node B takes these.
            for (int n = firstBatch; n < events; n++) {
                harness.deliver(ScaleOutTest.syntheticEvent(n));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (harness.count("SELECT COUNT(*) FROM inbox_event WHERE status <> 'PROCESSED'") > 0
                    && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        assertEquals(events, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PROCESSED'"));
        Map<String, Integer> repeated = new TreeMap<>();
        runs.forEach((event, count) -> {
            if (count.get() != 1) {
                repeated.put(event, count.get());
            }
        });
        assertEquals(Map.of(), repeated, "handler runs of events that ran more than once");
        assertEquals(events, runs.size());
        assertEquals(0, harness.count("SELECT COUNT(*) FROM event_attempt WHERE outcome = 'LEASE_EXPIRED'"),
                "no lease taken over");
        assertEquals(events, harness.count("SELECT COUNT(*) FROM event_attempt"), "one attempt each");
        assertEquals(events, harness.count("SELECT COUNT(DISTINCT event_id) FROM test_effect"));
        assertEquals(events, harness.count("SELECT COUNT(*) FROM test_effect"), "each applied once");
        assertEquals(Set.of("node-a", "node-b"), Set.copyOf(harness.rows("SELECT DISTINCT node FROM test_effect")),
                "both nodes took their share, side by side");
    }

    @Test
    void aRetryIsDueByTheDatabasesClockSoANodeAheadDoesNotRunItEarly() throws Exception {
        harness.deliver(ScaleOutTest.syntheticEvent(0));
        FaultyHandler failsOnce = new FaultyHandler("invoice.paid", 1);
        EventProcessor nodeA = node("node-a", harness.clock, List.of(failsOnce));
        List<InboxWorkItem> claimed = nodeA.claim();
        assertEquals(1, claimed.size());
        assertEquals(AttemptOutcome.RETRY_SCHEDULED, nodeA.process(claimed.get(0)));

        EventProcessor nodeB = node("node-b", Clock.offset(harness.clock, AHEAD), List.of(failsOnce));
        assertEquals(List.of(), nodeB.claim(), "not due yet, however far ahead node B's clock runs");
        assertEquals(1, failsOnce.calls.get());
        // The harness's jitter draw of 0.5 makes the first backoff the nominal minute, from the database's now.
        assertEquals(1, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'RETRY_SCHEDULED'"
                + " AND due_at BETWEEN clock_timestamp() + INTERVAL '45 seconds'"
                + " AND clock_timestamp() + INTERVAL '60 seconds'"));
    }

    @Test
    void anEventReceivedByANodeWhoseClockRunsAheadIsDueAtOnce() throws Exception {
        // Ahead of the database's clock itself, not only of the harness's (which stands a few days back).
        Clock ahead = Clock.offset(Clock.systemUTC(), AHEAD);
        try (GroupCommitWriter intake = new GroupCommitWriter(harness.database.dataSource(), ahead,
                new GroupCommitWriter.Settings(1, 16, 64, Duration.ofSeconds(10)), Thread::new)) {
            assertEquals(StoreOutcome.STORED, intake.store(new EventEnvelopeParser().parse(
                    ScaleOutTest.syntheticEvent(0))));
        }
        EventProcessor nodeA = node("node-a", Clock.systemUTC(), List.of(new FaultyHandler("invoice.paid", 0)));
        assertEquals(1, nodeA.claim().size(), "due at once, not when the database's clock reaches the node's");
        assertEquals(1, harness.count("SELECT COUNT(*) FROM inbox_event"
                + " WHERE received_at > clock_timestamp() + INTERVAL '2 minutes'"),
                "the receipt keeps the node's time");
    }
}
