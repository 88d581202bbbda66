package io.billing.subscription;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.view.Period;
import io.billing.tenant.TenantId;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subscription repository on PostgreSQL: each tenant sees only its own, and only newer snapshots win. */
class JpaSubscriptionRepositoryTest {

    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final TenantId GLOBEX = TenantId.of("tenant_globex");
    private static final Instant T0 = Instant.parse("2026-08-03T14:02:31Z");

    private static TestDatabase database;
    private static DataAccess data;

    @BeforeAll
    static void start() {
        database = TestDatabase.postgres();
        data = database.dataAccess();
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @BeforeEach
    void empty() throws Exception {
        database.execute("DELETE FROM subscription_item", "DELETE FROM subscription_paid_period",
                "DELETE FROM subscription");
    }

    private static SubscriptionSnapshot snapshot(TenantId tenant, String status, SubscriptionSnapshot.Item... items) {
        return new SubscriptionSnapshot(tenant, "cus_" + tenant.value(), status,
                new Period(T0, T0.plusSeconds(30 * 86400)), null, false, null, null, "ord_1", List.of(items));
    }

    private static SubscriptionSnapshot.Item item(String id, String product, long quantity) {
        return new SubscriptionSnapshot.Item(id, "price_" + product, product, quantity);
    }

    private static SnapshotVersion version(long secondsAfter, String eventId) {
        return new SnapshotVersion(T0.plusSeconds(secondsAfter), 5, eventId);
    }

    private static void add(String id, SubscriptionSnapshot snapshot, SnapshotVersion version) throws Exception {
        data.inTransaction(unit -> {
            new JpaSubscriptionRepository(unit.entityManager()).add(Subscription.of(id, snapshot, version));
            return null;
        });
    }

    /** Applies a snapshot as the projection does: lock, then replace only if newer. */
    private static boolean apply(String id, SubscriptionSnapshot snapshot, SnapshotVersion version) throws Exception {
        return data.inTransaction(unit -> new JpaSubscriptionRepository(unit.entityManager()).findForUpdate(id)
                .orElseThrow().replaceIfNewer(snapshot, version));
    }

    private static List<String> listed(TenantId tenant) {
        return data.read(em -> new JpaSubscriptionRepository(em).ofTenant(tenant).stream()
                .map(s -> s.id() + " " + s.status() + " " + s.items().stream()
                        .map(i -> i.itemId() + ":" + i.productId() + "x" + i.quantity()).toList())
                .toList());
    }

    @Test
    void eachTenantListsOnlyItsOwnSubscriptionsWithTheirItems() throws Exception {
        add("sub_A1", snapshot(ACME, "active", item("si_A1", "prod_PRO", 1)), version(0, "evt_1"));
        add("sub_A2", snapshot(ACME, "canceled", item("si_A2", "prod_ADDON", 2)), version(0, "evt_2"));
        add("sub_G1", snapshot(GLOBEX, "trialing", item("si_G1", "prod_PRO", 5), item("si_G0", "prod_SSO", 1)),
                version(0, "evt_3"));

        assertEquals(List.of("sub_A1 active [si_A1:prod_PROx1]", "sub_A2 canceled [si_A2:prod_ADDONx2]"), listed(ACME));
        assertEquals(List.of("sub_G1 trialing [si_G0:prod_SSOx1, si_G1:prod_PROx5]"), listed(GLOBEX));
        assertEquals(List.of(), listed(TenantId.of("tenant_initech")));
        assertEquals(List.of("tenant_globex"), database.rows(
                "SELECT DISTINCT tenant_id FROM subscription_item WHERE subscription_id = 'sub_G1'"));
    }

    @Test
    void eachTenantReadsOnlyItsOwnSubscriptionsByStatusAndItsOwnPaidPeriods() throws Exception {
        add("sub_A1", snapshot(ACME, "active", item("si_A1", "prod_PRO", 1)), version(0, "evt_1"));
        add("sub_A2", snapshot(ACME, "incomplete", item("si_A2", "prod_PRO", 1)), version(0, "evt_2"));
        add("sub_G1", snapshot(GLOBEX, "past_due", item("si_G1", "prod_PRO", 1)), version(0, "evt_3"));
        Instant renewed = T0.plusSeconds(60 * 86400);
        data.inTransaction(unit -> {
            SubscriptionRepository subscriptions = new JpaSubscriptionRepository(unit.entityManager());
            subscriptions.recordPaidPeriod(new PaidPeriod("sub_A1", "in_1", ACME, T0.plusSeconds(30 * 86400)));
            subscriptions.recordPaidPeriod(new PaidPeriod("sub_A1", "in_2", ACME, renewed));
            subscriptions.recordPaidPeriod(new PaidPeriod("sub_A1", "in_2", ACME, renewed));
            subscriptions.recordPaidPeriod(new PaidPeriod("sub_G1", "in_3", GLOBEX, T0));
            return null;
        });
        data.inTransaction(unit -> {
            new JpaSubscriptionRepository(unit.entityManager())
                    .recordPaidPeriod(new PaidPeriod("sub_A1", "in_2", ACME, renewed));
            return null;
        });

        assertEquals(List.of("in_1", "in_2", "in_3"), database.rows(
                "SELECT invoice_id FROM subscription_paid_period ORDER BY invoice_id"),
                "once per invoice: invoice.paid and invoice.payment_succeeded both record it, in one transaction or two");

        assertEquals(List.of("sub_A1"), data.read(em -> new JpaSubscriptionRepository(em)
                .ofTenantInStatuses(ACME, Subscription.EVER_LIVE).stream().map(Subscription::id).toList()),
                "incomplete was never live; globex's is not acme's");
        assertEquals(List.of("sub_G1"), data.read(em -> new JpaSubscriptionRepository(em)
                .ofTenantInStatuses(GLOBEX, Set.of("active", "past_due")).stream().map(Subscription::id).toList()));
        assertEquals(Map.of("sub_A1", renewed), data.read(em -> new JpaSubscriptionRepository(em)
                .latestPaidPeriodEnds(ACME, List.of("sub_A1", "sub_A2", "sub_G1"))), "the latest, and acme's only");
        assertEquals(Map.of("sub_G1", T0), data.read(em -> new JpaSubscriptionRepository(em)
                .latestPaidPeriodEnds(GLOBEX, List.of("sub_A1", "sub_G1"))));
        assertEquals(Map.of(), data.read(em -> new JpaSubscriptionRepository(em)
                .latestPaidPeriodEnds(GLOBEX, List.of())));
    }

    @Test
    void aNewerSnapshotReplacesTheStateAndTheItemsAndAnOlderOneChangesNothing() throws Exception {
        add("sub_A1", snapshot(ACME, "active", item("si_PRO", "prod_PRO", 1), item("si_ADDON", "prod_ADDON", 1)),
                version(10, "evt_2"));

        assertFalse(apply("sub_A1", snapshot(ACME, "incomplete"), version(0, "evt_1")), "older: stale");
        assertFalse(apply("sub_A1", snapshot(ACME, "incomplete"), version(10, "evt_2")), "the same: stale");
        assertEquals(List.of("sub_A1 active [si_ADDON:prod_ADDONx1, si_PRO:prod_PROx1]"), listed(ACME));

        assertTrue(apply("sub_A1", snapshot(ACME, "past_due", item("si_PRO", "prod_BUSINESS", 3),
                item("si_SSO", "prod_SSO", 1)), version(10, "evt_3")), "same second, greater event id: newer");
        assertEquals(List.of("sub_A1 past_due [si_PRO:prod_BUSINESSx3, si_SSO:prod_SSOx1]"), listed(ACME),
                "the kept item changed in place, the gone one removed, the new one added");
        assertEquals(List.of("sub_A1 | past_due | evt_3"),
                database.rows("SELECT subscription_id, status, version_event_id FROM subscription"));
    }

    @Test
    void twoWorkersApplyingSnapshotsOfOneSubscriptionSerialiseAndTheNewerWins() throws Exception {
        add("sub_A1", snapshot(ACME, "active", item("si_PRO", "prod_PRO", 1)), version(0, "evt_1"));

        // The first worker holds the lock with the newer snapshot applied but not committed yet.
        try (UnitOfWork first = data.begin()) {
            new JpaSubscriptionRepository(first.entityManager()).findForUpdate("sub_A1").orElseThrow()
                    .replaceIfNewer(snapshot(ACME, "canceled"), version(20, "evt_3"));
            first.flush();
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return apply("sub_A1", snapshot(ACME, "past_due", item("si_PRO", "prod_PRO", 1)),
                            version(10, "evt_2"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TimeUnit.MILLISECONDS.sleep(300);
            assertFalse(second.isDone(), "the second worker waits for the lock");
            first.commit();
            assertFalse(second.get(10, TimeUnit.SECONDS),
                    "after the wait it sees the newer state: its snapshot is stale");
        }
        assertEquals(List.of("sub_A1 canceled []"), listed(ACME));
    }
}
