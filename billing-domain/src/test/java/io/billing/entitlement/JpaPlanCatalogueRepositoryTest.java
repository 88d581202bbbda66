package io.billing.entitlement;

import io.billing.platform.persistence.DataAccess;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan catalogue's table on PostgreSQL. The catalogue is the merchant's, shared by every tenant: there is no
 * tenant to isolate, and no query takes one.
 */
class JpaPlanCatalogueRepositoryTest {

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
        database.execute("DELETE FROM plan_feature");
    }

    private static PlanCatalogue catalogue() {
        return data.read(em -> new JpaPlanCatalogueRepository(em).catalogue());
    }

    @Test
    void addsOnceAndReadsTheCatalogueByProductAndFeature() throws Exception {
        assertTrue(data.<Boolean>read(em -> new JpaPlanCatalogueRepository(em).isEmpty()));
        List<Boolean> added = data.inTransaction(unit -> {
            PlanCatalogueRepository table = new JpaPlanCatalogueRepository(unit.entityManager());
            return List.of(table.addIfAbsent("prod_PRO", "sso"), table.addIfAbsent("prod_PRO", "api_access"),
                    table.addIfAbsent("prod_PRO", "sso"), table.addIfAbsent("prod_ADDON", "analytics"));
        });
        assertEquals(List.of(true, true, false, true), added, "a feature that is there is left alone");
        assertFalse(data.<Boolean>read(em -> new JpaPlanCatalogueRepository(em).isEmpty()));

        PlanCatalogue catalogue = catalogue();
        assertEquals(List.of("api_access", "sso"), List.copyOf(catalogue.featuresOf("prod_PRO")), "in feature order");
        assertEquals(Map.of("prod_ADDON", Set.of("analytics"), "prod_PRO", Set.of("api_access", "sso")),
                catalogue.products());
        assertEquals(Set.of(), catalogue.featuresOf("prod_UNKNOWN"));
    }

    @Test
    void replacingAProductsFeaturesKeepsTheSameRemovesTheGoneAddsTheNewAndSaysWhatWasThere() throws Exception {
        data.inTransaction(unit -> {
            PlanCatalogueRepository table = new JpaPlanCatalogueRepository(unit.entityManager());
            table.addIfAbsent("prod_PRO", "api_access");
            table.addIfAbsent("prod_PRO", "advanced_reports");
            table.addIfAbsent("prod_ADDON", "analytics");
            return null;
        });

        Set<String> before = data.inTransaction(unit -> new JpaPlanCatalogueRepository(unit.entityManager())
                .replaceFeatures("prod_PRO", Set.of("api_access", "sso")));
        assertEquals(Set.of("api_access", "advanced_reports"), before);
        assertEquals(Map.of("prod_ADDON", Set.of("analytics"), "prod_PRO", Set.of("api_access", "sso")),
                catalogue().products());

        assertEquals(Set.of("analytics"), data.inTransaction(unit -> new JpaPlanCatalogueRepository(
                unit.entityManager()).replaceFeatures("prod_ADDON", Set.of())));
        assertEquals(Set.of(), data.inTransaction(unit -> new JpaPlanCatalogueRepository(
                unit.entityManager()).replaceFeatures("prod_NEW", Set.of("x"))));
        assertEquals(Map.of("prod_NEW", Set.of("x"), "prod_PRO", Set.of("api_access", "sso")), catalogue().products());
    }
}
