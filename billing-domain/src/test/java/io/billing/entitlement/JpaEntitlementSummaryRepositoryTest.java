package io.billing.entitlement;

import io.billing.platform.persistence.DataAccess;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.tenant.TenantId;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stripe's entitlement summaries on PostgreSQL: each tenant reads only its customers', newest summary wins. */
class JpaEntitlementSummaryRepositoryTest {

    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final TenantId GLOBEX = TenantId.of("tenant_globex");
    private static final Instant T0 = Instant.parse("2026-09-16T10:00:00Z");

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
        database.execute("DELETE FROM entitlement_summary");
    }

    private static void add(String customer, TenantId tenant, Set<String> features, SnapshotVersion version)
            throws Exception {
        data.inTransaction(unit -> {
            new JpaEntitlementSummaryRepository(unit.entityManager())
                    .add(EntitlementSummary.of(customer, tenant, features, version));
            return null;
        });
    }

    private static List<String> of(TenantId tenant) {
        return data.read(em -> new JpaEntitlementSummaryRepository(em).ofTenant(tenant).stream()
                .map(s -> s.customerId() + " " + s.features() + " at " + s.madeAt()).toList());
    }

    @Test
    void eachTenantReadsOnlyItsOwnCustomersSummaries() throws Exception {
        add("cus_A1", ACME, Set.of("sso", "api_access"), new SnapshotVersion(T0, 1, "evt_1"));
        add("cus_A2", ACME, Set.of(), new SnapshotVersion(T0, 1, "evt_2"));
        add("cus_G1", GLOBEX, Set.of("analytics"), new SnapshotVersion(T0, 1, "evt_3"));

        assertEquals(List.of("cus_A1 [api_access, sso] at " + T0, "cus_A2 [] at " + T0), of(ACME));
        assertEquals(List.of("cus_G1 [analytics] at " + T0), of(GLOBEX));
        assertEquals(List.of(), of(TenantId.of("tenant_initech")));
    }

    @Test
    void onlyANewerSummaryReplacesTheStoredOne() throws Exception {
        add("cus_A1", ACME, Set.of("sso"), new SnapshotVersion(T0, 1, "evt_2"));

        assertFalse(data.<Boolean>inTransaction(unit -> new JpaEntitlementSummaryRepository(unit.entityManager())
                .findForUpdate("cus_A1").orElseThrow()
                .replaceIfNewer(ACME, Set.of("old"), new SnapshotVersion(T0, 1, "evt_1"))));
        assertEquals(List.of("cus_A1 [sso] at " + T0), of(ACME));

        Instant later = T0.plusSeconds(60);
        assertTrue(data.<Boolean>inTransaction(unit -> new JpaEntitlementSummaryRepository(unit.entityManager())
                .findForUpdate("cus_A1").orElseThrow()
                .replaceIfNewer(ACME, Set.of("sso", "analytics"), new SnapshotVersion(later, 1, "evt_0"))));
        assertEquals(List.of("cus_A1 [analytics, sso] at " + later), of(ACME));
        assertTrue(data.<Boolean>inTransaction(unit -> new JpaEntitlementSummaryRepository(unit.entityManager())
                .findForUpdate("cus_unknown").isEmpty()));
    }
}
