package io.billing.stripe.objects;

import io.billing.testsupport.Deliveries;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The version rule on its own: which of several snapshots of one object a version guard keeps, above all
 * when Stripe's one-second {@code created} ties them.
 */
class SnapshotVersionTest {

    private static final Instant SECOND = Instant.ofEpochSecond(1789466402);

    private static SnapshotVersion version(Instant created, String objectType, String status, String eventType,
                                           String eventId) {
        return new SnapshotVersion(created, SnapshotVersion.rank(objectType, status, eventType), eventId);
    }

    private static SnapshotVersion subscription(String status, String eventId) {
        return version(SECOND, "subscription", status, "customer.subscription.updated", eventId);
    }

    /** What a guard keeps of the deliveries: a snapshot replaces the kept one only if it is newer (VersionedUpsert). */
    private static SnapshotVersion kept(List<SnapshotVersion> deliveries) {
        SnapshotVersion kept = deliveries.get(0);
        for (SnapshotVersion delivered : deliveries) {
            if (delivered.isNewerThan(kept)) {
                kept = delivered;
            }
        }
        return kept;
    }

    /** Of the two, {@code newer} is newer and the other is not, so a guard keeps {@code newer} in either order. */
    private static void assertNewerWhateverTheOrder(SnapshotVersion newer, SnapshotVersion older) {
        assertTrue(newer.isNewerThan(older));
        assertFalse(older.isNewerThan(newer));
        assertEquals(newer, kept(List.of(newer, older)));
        assertEquals(newer, kept(List.of(older, newer)));
    }

    @Test
    void twoSnapshotsOfTheSameSecondEndInTheSameStateWhateverTheirOrder() {
        // past_due comes after active in a subscription's life, so it wins though its event id is the smaller.
        assertNewerWhateverTheOrder(subscription("past_due", "evt_A"), subscription("active", "evt_B"));
    }

    @Test
    void twoSnapshotsOfTheSameSecondAndStatusEndWithTheGreaterEventIdWhateverTheirOrder() {
        assertNewerWhateverTheOrder(subscription("active", "evt_1ACME0028b"), subscription("active", "evt_1ACME0028a"));
    }

    @Test
    void withinOneSecondThePaidInvoiceWinsOverTheOpenOneWhateverTheirEventIds() {
        assertNewerWhateverTheOrder(version(SECOND, "invoice", "paid", "invoice.paid", "evt_A"),
                version(SECOND, "invoice", "open", "invoice.finalized", "evt_Z"));
    }

    @Test
    void aLaterSecondWinsWhateverTheStatusOrEventId() {
        assertNewerWhateverTheOrder(version(SECOND.plusSeconds(1), "subscription", "incomplete",
                        "customer.subscription.created", "evt_A"),
                version(SECOND, "subscription", "canceled", "customer.subscription.deleted", "evt_Z"));
    }

    @Test
    void theSameSnapshotDeliveredAgainIsNotNewer() {
        SnapshotVersion paid = version(SECOND, "invoice", "paid", "invoice.paid", "evt_1");
        assertFalse(paid.isNewerThan(new SnapshotVersion(paid.created(), paid.rank(), paid.eventId())),
                "a redelivery changes nothing");
        assertEquals(0, paid.compareTo(paid));
    }

    @Test
    void everyLifeCycleRanksItsStatusesInTheirDocumentedOrderBetweenCreatedAndDeleted() {
        for (Map.Entry<String, List<String>> lifeCycle : SnapshotVersion.STATUS_PRECEDENCE.entrySet()) {
            String type = lifeCycle.getKey();
            List<String> statuses = lifeCycle.getValue();
            int created = SnapshotVersion.rank(type, statuses.get(0), type + ".created");
            int unknown = SnapshotVersion.rank(type, "a_status_stripe_adds_later", type + ".updated");
            int deleted = SnapshotVersion.rank(type, statuses.get(0), type + ".deleted");
            assertTrue(created < unknown, type + ": *.created ranks below a status it does not know");
            int previous = unknown;
            for (String status : statuses) {
                int rank = SnapshotVersion.rank(type, status, type + ".updated");
                assertTrue(previous < rank, type + ": " + status + " ranks above what comes before it");
                previous = rank;
            }
            assertTrue(previous < deleted, type + ": *.deleted outranks every status");
        }
    }

    @Test
    void anObjectWithoutStatusOrLifeCycleRanksLikeAnUnknownStatus() {
        int unknown = SnapshotVersion.rank("subscription", "a_status_stripe_adds_later", "customer.subscription.updated");
        assertEquals(unknown, SnapshotVersion.rank("customer", null, "customer.updated"));
        assertEquals(unknown, SnapshotVersion.rank("subscription", null, "customer.subscription.updated"));
        assertTrue(SnapshotVersion.rank("customer", null, "customer.created") < unknown);
        assertTrue(SnapshotVersion.rank("customer", null, "customer.deleted") > unknown);
    }

    /**
     * Random same-second snapshots of one object (statuses from its life cycle, a *.created and a *.deleted
     * now and then, some sharing a status), shuffled and repeated: the guard always keeps the one the rule
     * puts first, worked out here from the life-cycle lists, not from the rank.
     */
    @Test
    void snapshotsOfOneSecondShuffledAndRepeatedAlwaysKeepTheOneTheRulePutsFirst() {
        Random random = new Random(20261122);
        for (Map.Entry<String, List<String>> lifeCycle : SnapshotVersion.STATUS_PRECEDENCE.entrySet()) {
            String type = lifeCycle.getKey();
            List<String> statuses = lifeCycle.getValue();
            for (int story = 0; story < 50; story++) {
                List<Generated> snapshots = new ArrayList<>();
                int count = 2 + random.nextInt(5);
                for (int i = 0; i < count; i++) {
                    // Ids drawn at random, so that the event id's order is unrelated to the status's.
                    String eventId = "evt_" + Integer.toString(100_000 + random.nextInt(900_000), 36) + "_" + i;
                    int pick = random.nextInt(statuses.size() + 2);
                    String eventType = pick == statuses.size() ? type + ".created"
                            : pick == statuses.size() + 1 ? type + ".deleted" : type + ".updated";
                    // The documented precedence: *.created lowest, then the life cycle in order, *.deleted highest.
                    int precedence = pick == statuses.size() ? -1 : pick == statuses.size() + 1 ? statuses.size() : pick;
                    String status = statuses.get(pick < statuses.size() ? pick : random.nextInt(statuses.size()));
                    snapshots.add(new Generated(version(SECOND, type, status, eventType, eventId), precedence));
                }
                SnapshotVersion expected = snapshots.stream()
                        .max(Comparator.comparingInt(Generated::precedence)
                                .thenComparing(g -> g.version().eventId()))
                        .orElseThrow().version();
                List<SnapshotVersion> versions = snapshots.stream().map(Generated::version).toList();
                for (int order = 0; order < 6; order++) {
                    List<SnapshotVersion> deliveries = Deliveries.shuffledWithDuplicates(versions, random, 0.3);
                    assertEquals(expected, kept(deliveries), type + " " + deliveries);
                }
            }
        }
    }

    private record Generated(SnapshotVersion version, int precedence) {
    }
}
