package io.billing.processing;

import io.billing.ledger.LedgerQueries;
import io.billing.ledger.Money;
import io.billing.platform.cluster.ClusterJobLease;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.time.DatabaseClock;
import io.billing.stripe.api.EventRecovery;
import io.billing.stripe.api.StripeApiSettings;
import io.billing.stripe.api.StripeJavaGateway;
import io.billing.testsupport.FakeStripeApi;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events the webhook dropped come back from the (fake) Events API: all of them, across pages, none twice,
 * once in the cluster, restartable after a failure, paced by the rate budget.
 */
class MissedEventRecoveryTest {

    private static final String KEY = "sk_test_recovery";

    private EngineHarness harness;
    private FakeStripeApi stripe;
    private final List<Duration> pauses = new ArrayList<>();
    private List<Fixture> story;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
        stripe = new FakeStripeApi(KEY);
        story = StripeFixtures.all().stream()
                .filter(f -> f.name().startsWith("acme/") || f.name().startsWith("globex/")).toList();
        story.forEach(f -> stripe.addEvent(new String(f.body(), StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        stripe.close();
        harness.close();
    }

    private EventRecovery recovery(String node) {
        return recovery(node, harness.clock, harness.databaseClock);
    }

    private EventRecovery recovery(String node, Clock nodeClock, DatabaseClock databaseClock) {
        // 200 days back from the harness clock (2026-11-22) covers the stories (August to November 2026)
        return new EventRecovery(harness.database.dataSource(), nodeClock, databaseClock,
                new StripeJavaGateway(new StripeApiSettings(KEY, stripe.baseUrl(), Duration.ofSeconds(2),
                        Duration.ofSeconds(5), 0)),
                node, new EventRecovery.Settings(Duration.ofDays(200), Duration.ofMinutes(5), 7, 4.0,
                Duration.ofMinutes(2)), pauses::add, () -> { });
    }

    @Test
    void recoversEveryDroppedEventAcrossPagesOnceAndASecondRunFindsNothingNew() throws Exception {
        // The webhook got every other event; the rest were dropped on the way in.
        int delivered = 0;
        for (int i = 0; i < story.size(); i += 2) {
            harness.deliver(story.get(i));
            delivered++;
        }
        EventRecovery.Run first = recovery("node-a").runOnce("test").orElseThrow();

        assertEquals(EventRecovery.SUCCEEDED, first.status());
        assertEquals(story.size(), first.eventsSeen());
        assertEquals(story.size() - delivered, first.eventsNew());
        assertEquals((story.size() + 6) / 7, first.pages(), "7 events a page");
        assertEquals(EngineHarness.START.minus(Duration.ofDays(200)), first.createdFrom());
        assertEquals(EngineHarness.START, first.watermarkAfter());
        assertEquals(story.size(), harness.count("SELECT COUNT(*) FROM inbox_event"));
        assertEquals(story.size() - delivered, harness.count(
                "SELECT COUNT(*) FROM inbox_event WHERE source = 'EVENTS_API' AND delivery_count = 1"));
        assertEquals(delivered, harness.count("SELECT COUNT(*) FROM inbox_event WHERE source = 'WEBHOOK'"));
        // At most one pause before each list call but the first, none longer than the 250 ms between calls (4 a
        // second): a page whose storing took longer than that on a busy machine is followed by no pause at all.
        assertTrue(!pauses.isEmpty() && pauses.size() <= first.pages() - 1, "pauses between list calls: " + pauses);
        assertTrue(pauses.stream().allMatch(p -> p.compareTo(Duration.ofMillis(250)) <= 0), "4 calls a second");

        // Processed like webhook events: the acme ledger ends as the story says.
        harness.engine("node-a").drain();
        LedgerQueries ledger = new LedgerQueries(harness.database.dataAccess());
        assertEquals(List.of(Money.ofStripe(0, "usd")), ledger.trialBalance("tenant_acme"));
        assertEquals(0, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status NOT IN"
                + " ('PROCESSED', 'IGNORED', 'UNMAPPED')"));

        harness.clock.advance(Duration.ofMinutes(15));
        EventRecovery.Run second = recovery("node-a").runOnce("test").orElseThrow();
        assertEquals(0, second.eventsNew());
        assertEquals(EngineHarness.START.minus(Duration.ofMinutes(5)), second.createdFrom(), "watermark less overlap");
        assertEquals(story.size(), harness.count("SELECT COUNT(*) FROM inbox_event"));
        assertEquals(2, recovery("node-a").recentRuns(10).size());
    }

    @Test
    void aRunThatFailsMidwayKeepsItsWatermarkAndTheNextRunCompletesWithoutDuplicates() throws Exception {
        stripe.failAfter("/v1/events", 2, 1, 500, "api_error", null, "An unknown error occurred");
        EventRecovery.Run failed = recovery("node-a").runOnce("test").orElseThrow();
        assertEquals(EventRecovery.FAILED, failed.status());
        assertEquals(2, failed.pages());
        assertEquals(14, failed.eventsNew());
        assertTrue(failed.error().startsWith("API_ERROR (HTTP 500)"), failed.error());
        assertEquals(null, failed.watermarkAfter());

        EventRecovery.Run retried = recovery("node-a").runOnce("test").orElseThrow();
        assertEquals(EventRecovery.SUCCEEDED, retried.status());
        assertEquals(failed.createdFrom(), retried.createdFrom(), "the same window again");
        assertEquals(story.size() - 14, retried.eventsNew());
        assertEquals(story.size(), harness.count("SELECT COUNT(*) FROM inbox_event"));
    }

    @Test
    void runsOnceInTheClusterWhileALeaseIsHeld() throws Exception {
        ClusterJobLease heldByA = new ClusterJobLease(EventRecovery.JOB, "node-a", harness.databaseClock);
        boolean taken = Transactions.inTransaction(harness.database.dataSource(), c ->
                heldByA.tryAcquire(c, Duration.ofMinutes(2)));
        assertTrue(taken);

        assertEquals(Optional.empty(), recovery("node-b").runOnce("test"));
        assertEquals(0, stripe.requests("GET", "/v1/events").size());

        harness.clock.advance(Duration.ofMinutes(3)); // node-a died: its lease runs out, node-b takes over
        assertEquals(EventRecovery.SUCCEEDED, recovery("node-b").runOnce("test").orElseThrow().status());
        assertEquals(story.size(), harness.count("SELECT COUNT(*) FROM inbox_event"));
    }

    @Test
    void aNodeWhoseClockRunsAheadDoesNotTakeALiveRecoveryLease() throws Exception {
        DatabaseClock databaseClock = DatabaseClock.database();
        ClusterJobLease heldByA = new ClusterJobLease(EventRecovery.JOB, "node-a", databaseClock);
        boolean taken = Transactions.inTransaction(harness.database.dataSource(), c ->
                heldByA.tryAcquire(c, Duration.ofSeconds(5)));
        assertTrue(taken);

        // Node B's clock runs 3 minutes ahead of node A's: by its own reckoning node A's lease ran out long ago.
        EventRecovery nodeB = recovery("node-b", Clock.offset(harness.clock, Duration.ofMinutes(3)), databaseClock);
        assertEquals(Optional.empty(), nodeB.runOnce("test"), "node A's lease is live by the database's clock");
        assertEquals(0, stripe.requests("GET", "/v1/events").size());

        // Node A died: once its lease has run out by the database's clock, node B takes the job over.
        Optional<EventRecovery.Run> run = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            run = nodeB.runOnce("test");
        }
        assertEquals(EventRecovery.SUCCEEDED, run.orElseThrow().status());
        assertEquals(story.size(), harness.count("SELECT COUNT(*) FROM inbox_event"));
    }
}
