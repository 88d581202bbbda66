package io.billing.catalogue;

import io.billing.platform.persistence.DataAccess;
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
 * The catalogue's prices on PostgreSQL: only a newer snapshot replaces the stored one, and a plan's active
 * prices are found by recurrence. Prices are the merchant's, shared by every tenant: there is no tenant to
 * isolate, and no query takes one.
 */
class JpaCataloguePriceRepositoryTest {

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

    private static CataloguePrice.Snapshot price(String product, String interval, boolean active, boolean deleted) {
        return new CataloguePrice.Snapshot(product, "usd", 4900L, interval, interval == null ? null : 1, active,
                deleted, false);
    }

    private static void add(String id, CataloguePrice.Snapshot snapshot) throws Exception {
        data.inTransaction(unit -> {
            new JpaCataloguePriceRepository(unit.entityManager()).add(CataloguePrice.of(id, snapshot,
                    new SnapshotVersion(T0, 1, "evt_" + id)));
            return null;
        });
    }

    private static List<String> active(String product, boolean recurring) {
        return data.read(em -> new JpaCataloguePriceRepository(em).activePrices(product, recurring).stream()
                .map(CataloguePrice::id).toList());
    }

    @Test
    void aPlansActivePricesAreFoundByRecurrenceAndOnlyANewerSnapshotReplacesAPrice() throws Exception {
        add("price_PRO_MONTHLY", price("prod_PRO", "month", true, false));
        add("price_PRO_YEARLY", price("prod_PRO", "year", true, false));
        add("price_PRO_OLD", price("prod_PRO", "month", false, false));
        add("price_PRO_ONCE", price("prod_PRO", null, true, false));
        add("price_BUSINESS_MONTHLY", price("prod_BUSINESS", "month", true, false));

        assertEquals(List.of("price_PRO_MONTHLY", "price_PRO_YEARLY"), active("prod_PRO", true));
        assertEquals(List.of("price_PRO_ONCE"), active("prod_PRO", false));
        assertEquals(List.of(), active("prod_UNKNOWN", true));

        assertFalse(data.<Boolean>inTransaction(unit -> new JpaCataloguePriceRepository(unit.entityManager())
                .findForUpdate("price_PRO_YEARLY").orElseThrow()
                .replaceIfNewer(price("prod_PRO", "year", true, true), new SnapshotVersion(T0, 0, "evt_0"))));
        assertTrue(data.<Boolean>inTransaction(unit -> new JpaCataloguePriceRepository(unit.entityManager())
                .findForUpdate("price_PRO_YEARLY").orElseThrow()
                .replaceIfNewer(price("prod_PRO", "year", true, true), new SnapshotVersion(T0.plusSeconds(1), 0,
                        "evt_0"))));
        assertEquals(List.of("price_PRO_MONTHLY"), active("prod_PRO", true), "a deleted price is no longer offered");
        assertEquals(List.of("price_PRO_YEARLY | prod_PRO | usd | 4900 | year | 1 | true | true"), database.rows(
                "SELECT price_id, product_id, currency, unit_amount, billing_interval, interval_count, active, deleted"
                        + " FROM catalogue_price WHERE price_id = 'price_PRO_YEARLY'"));
    }
}
