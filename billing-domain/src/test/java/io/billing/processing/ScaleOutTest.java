package io.billing.processing;

import io.billing.platform.queue.RetryPolicy;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several engines on one database: leases, SKIP LOCKED and takeovers keep every event exactly-once. */
class ScaleOutTest {

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

    static byte[] syntheticEvent(int n) {
        return ("{\"id\":\"evt_scale_" + n + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\","
                + "\"created\":" + (1785765755L + n / 10) + ",\"livemode\":false,\"type\":\"invoice.paid\","
                + "\"data\":{\"object\":{\"id\":\"in_scale_" + (n % 700) + "\",\"object\":\"invoice\","
                + "\"customer\":\"cus_scale_" + (n % 50) + "\",\"status\":\"paid\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoNodesDrainFiveThousandEventsWithDuplicatesEachExactlyOnce() throws Exception {
        int events = 5000;
        List<Integer> deliveries = new ArrayList<>();
        Random random = new Random(7);
        for (int n = 0; n < events; n++) {
            deliveries.add(n);
            if (random.nextDouble() < 0.2) {
                deliveries.add(n);
            }
        }
        Collections.shuffle(deliveries, random);
        FaultyHandler recorder = new FaultyHandler("invoice.paid", 0);
        ProcessingEngine nodeA = harness.engine(EngineHarness.settings("node-a", 2, RetryPolicy.DEFAULT), List.of(recorder));
        ProcessingEngine nodeB = harness.engine(EngineHarness.settings("node-b", 2, RetryPolicy.DEFAULT), List.of(recorder));
        nodeA.start();
        nodeB.start();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int n : deliveries) {
                sent.add(senders.submit(() -> harness.deliver(syntheticEvent(n))));
            }
            for (Future<?> each : sent) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (harness.count("SELECT COUNT(*) FROM inbox_event WHERE status <> 'PROCESSED'") > 0
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        nodeA.close();
        nodeB.close();

        assertEquals(events, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PROCESSED'"),
                "every event processed, none stuck");
        assertEquals(events, harness.count("SELECT COUNT(*) FROM test_effect"), "each applied once");
        assertEquals(events, harness.count("SELECT COUNT(DISTINCT event_id) FROM test_effect"));
        assertEquals(events, harness.count("SELECT COUNT(*) FROM event_attempt"), "one attempt each");
        assertEquals(deliveries.size(), harness.count("SELECT SUM(delivery_count) FROM inbox_event"));
        Set<String> nodes = Set.copyOf(harness.rows("SELECT DISTINCT node FROM test_effect"));
        assertEquals(Set.of("node-a", "node-b"), nodes, "both nodes took their share");
    }

    @Test
    void aNodeThatDiesMidEventLosesItsLeaseAndAnotherNodeCompletesTheEventOnce() throws Exception {
        for (int n = 0; n < 3; n++) {
            harness.deliver(syntheticEvent(n));
        }
        FaultyHandler recorder = new FaultyHandler("invoice.paid", 0);
        EngineSettings settingsA = EngineHarness.settings("node-a", 1, RetryPolicy.DEFAULT);
        EventProcessor deadNode = harness.processor(settingsA, List.of(recorder));
        List<InboxWorkItem> claimedByTheDead = deadNode.claim();
        assertEquals(3, claimedByTheDead.size());

        ProcessingEngine survivor = harness.engine(EngineHarness.settings("node-b", 1, RetryPolicy.DEFAULT),
                List.of(recorder));
        assertEquals(0, survivor.drain(), "leased rows are not due while the lease lasts");
        harness.clock.advance(settingsA.lease().plusSeconds(1));
        assertEquals(3, survivor.drain());

        // The dead node comes back and finishes what it had claimed: its lease is gone, so nothing happens.
        for (InboxWorkItem stale : claimedByTheDead) {
            assertEquals(AttemptOutcome.LEASE_LOST, deadNode.process(stale));
        }
        assertEquals(3, harness.count("SELECT COUNT(*) FROM test_effect WHERE node = 'node-b'"));
        assertEquals(3, harness.count("SELECT COUNT(*) FROM test_effect"));
        assertEquals(List.of("1 | node-a | LEASE_EXPIRED", "2 | node-b | PROCESSED"),
                harness.rows("SELECT attempt_no, node_id, outcome FROM event_attempt WHERE event_id = 'evt_scale_0'"
                        + " ORDER BY attempt_no"));
    }

    @Test
    void aSlowNodeOvertakenAfterItsLeaseRollsBackAndTheEventIsAppliedOnce() throws Exception {
        harness.deliver(syntheticEvent(0));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
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
                recorder.handle(context);
                inside.countDown();
                assertTrue(release.await(30, TimeUnit.SECONDS));
            }
        };
        EventProcessor slowNode = harness.processor(EngineHarness.settings("node-a", 1, RetryPolicy.DEFAULT),
                List.of(slow));
        InboxWorkItem item = slowNode.claim().get(0);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<AttemptOutcome> outcome = thread.submit(() -> slowNode.process(item));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            harness.clock.advance(Duration.ofMinutes(5));
            ProcessingEngine other = harness.engine(EngineHarness.settings("node-b", 1, RetryPolicy.DEFAULT),
                    List.of(recorder));
            assertEquals(1, other.drain(), "the lease ran out: another node takes the event over");
            release.countDown();
            assertEquals(AttemptOutcome.LEASE_LOST, outcome.get(10, TimeUnit.SECONDS),
                    "the slow node finds its lease gone when it settles, and rolls back");
            assertEquals(0, other.drain());
            assertEquals(List.of("node-b"), harness.rows("SELECT node FROM test_effect"));
        } finally {
            thread.shutdownNow();
        }
        assertEquals(1, harness.count("SELECT COUNT(*) FROM test_effect"));
    }
}
