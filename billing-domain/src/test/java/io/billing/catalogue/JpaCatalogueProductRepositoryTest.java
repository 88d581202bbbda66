package io.billing.catalogue;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue's products on PostgreSQL: only a newer snapshot replaces the stored one. Products are the
 * merchant's, shared by every tenant: there is no tenant to isolate, and no query takes one.
 */
class JpaCatalogueProductRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-08-01T00:00:00Z");

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

    private static boolean apply(String id, CatalogueProduct.Snapshot snapshot, SnapshotVersion version)
            throws Exception {
        return data.inTransaction(unit -> new JpaCatalogueProductRepository(unit.entityManager())
                .findForUpdate(id).orElseThrow().replaceIfNewer(snapshot, version));
    }

    @Test
    void aProductIsAddedOnceAndOnlyANewerSnapshotReplacesIt() throws Exception {
        assertTrue(data.<Boolean>inTransaction(unit -> new JpaCatalogueProductRepository(unit.entityManager())
                .findForUpdate("prod_PRO").isEmpty()));
        data.inTransaction(unit -> {
            new JpaCatalogueProductRepository(unit.entityManager()).add(CatalogueProduct.of("prod_PRO",
                    new CatalogueProduct.Snapshot("Pro", true, false, "pro", false),
                    new SnapshotVersion(T0, 1, "evt_2")));
            return null;
        });

        assertFalse(apply("prod_PRO", new CatalogueProduct.Snapshot("Old", true, false, null, false),
                new SnapshotVersion(T0, 0, "evt_1")), "a product.created of the same second ranks lower");
        assertTrue(apply("prod_PRO", new CatalogueProduct.Snapshot("Pro", false, true, "pro", false),
                new SnapshotVersion(T0, 1000, "evt_3")), "product.deleted ranks highest");

        assertEquals(List.of("prod_PRO | Pro | false | true | pro | evt_3"), database.rows(
                "SELECT product_id, name, active, deleted, plan_code, version_event_id FROM catalogue_product"));
        CatalogueProduct stored = data.inTransaction(unit -> new JpaCatalogueProductRepository(unit.entityManager())
                .findForUpdate("prod_PRO")).orElseThrow();
        assertEquals(new SnapshotVersion(T0, 1000, "evt_3"), stored.version());
    }

    @Test
    void theLockingReadSeesWhatAnotherTransactionCommittedSinceTheUnitReadTheProduct() throws Exception {
        data.inTransaction(unit -> {
            new JpaCatalogueProductRepository(unit.entityManager()).add(CatalogueProduct.of("prod_SEEN",
                    new CatalogueProduct.Snapshot("First", true, false, null, false),
                    new SnapshotVersion(T0, 1, "evt_10")));
            return null;
        });
        try (UnitOfWork unit = data.begin()) {
            JpaCatalogueProductRepository products = new JpaCatalogueProductRepository(unit.entityManager());
            assertEquals("First", products.find("prod_SEEN").orElseThrow().name(), "a copy held before the lock");
            assertTrue(apply("prod_SEEN", new CatalogueProduct.Snapshot("Second", true, false, null, false),
                    new SnapshotVersion(T0.plusSeconds(1), 1, "evt_11")), "another worker's newer snapshot, committed");

            CatalogueProduct locked = products.findForUpdate("prod_SEEN").orElseThrow();
            assertEquals("Second", locked.name(), "the locked row, not the stale copy");
            assertEquals(new SnapshotVersion(T0.plusSeconds(1), 1, "evt_11"), locked.version(),
                    "so an older snapshot compared with it cannot overwrite the newer one");
        }
    }
}
