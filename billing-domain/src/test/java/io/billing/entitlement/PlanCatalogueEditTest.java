package io.billing.entitlement;

import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Operators edit the catalogue: a product's features replaced or removed, validated and audited. */
class PlanCatalogueEditTest {

    @Test
    void replacesAProductsFeaturesAndAuditsBeforeAndAfter() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            PlanCatalogue.parse("prod_PRO=api_access,advanced_reports").seedIfEmpty(database.dataAccess());
            MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));

            PlanCatalogue.setFeatures(database.dataAccess(), clock, "prod_PRO", Set.of("api_access", "sso"), "dana",
                    "sso moves down to Pro");
            PlanCatalogue.setFeatures(database.dataAccess(), clock, "prod_NEW", Set.of("analytics"), "dana",
                    "new plan");
            assertEquals(Map.of("prod_PRO", Set.of("api_access", "sso"), "prod_NEW", Set.of("analytics")),
                    PlanCatalogue.load(database.dataAccess()).products());
            assertEquals(List.of("dana | SET_PLAN_FEATURES | prod_PRO | advanced_reports,api_access | api_access,sso"),
                    database.rows("SELECT actor, action, target_id, before_value, after_value FROM audit_log"
                            + " WHERE target_id = 'prod_PRO'"));

            PlanCatalogue.setFeatures(database.dataAccess(), clock, "prod_NEW", Set.of(), "dana", "plan retired");
            assertEquals(0, database.count("SELECT COUNT(*) FROM plan_feature WHERE product_id = 'prod_NEW'"));
            assertThrows(IllegalArgumentException.class, () -> PlanCatalogue.setFeatures(database.dataAccess(), clock,
                    "prod PRO", Set.of("x"), "dana", "bad id"));
            assertThrows(IllegalArgumentException.class, () -> PlanCatalogue.setFeatures(database.dataAccess(), clock,
                    "prod_PRO", Set.of("Not A Key"), "dana", "bad feature"));
            assertThrows(IllegalArgumentException.class, () -> PlanCatalogue.setFeatures(database.dataAccess(), clock,
                    "prod_PRO", Set.of("x"), "dana", " "));
        }
    }
}
