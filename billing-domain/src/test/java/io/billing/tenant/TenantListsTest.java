package io.billing.tenant;

import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin's lists of tenants and of every mapping, on PostgreSQL and H2: a search by the start of an id (an
 * underscore in it meant literally), pages that walk every row once, customers' mappings before Connect accounts';
 * and on PostgreSQL, under a collation other than {@code C}, each search planned on its index.
 */
class TenantListsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static TestDatabase database(boolean postgres) {
        return postgres ? TestDatabase.postgres() : TestDatabase.h2();
    }

    /** Customers and accounts of three tenants, mapped one minute apart, and a tenant whose id has a '%'. */
    private static TenantQueries seeded(TestDatabase database) throws SQLException {
        MutableClock clock = new MutableClock(T0);
        TenantMappings mappings = new TenantMappings(database.dataAccess(), clock);
        for (String[] mapping : new String[][] {{"cus_AB1", "tenant_acme"}, {"cus_AB2", "tenant_acme"},
                {"cus_ABC", "tenant_globex"}, {"cusXAB9", "tenant_globex"}, {"cus_ZZ1", "tenant_initech"},
                {"cus_ZZ2", "ten%ant_odd"}}) {
            clock.advance(Duration.ofMinutes(1));
            mappings.put(mapping[0], mapping[1], "dana", "onboarding");
        }
        clock.advance(Duration.ofMinutes(1));
        mappings.putAccount("acct_SHOP1", "tenant_acme", "dana", "the shop's account");
        mappings.putAccount("acct_SHOP2", "tenant_initech", "dana", "the shop's account");
        return new TenantQueries(database.dataAccess());
    }

    private static List<String> ids(TenantQueries.MappingPage page) {
        return page.mappings().stream().map(m -> m.kind() + " " + m.id() + " " + m.tenantId()).toList();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void mappingsAreFoundByTheStartOfTheirIdOrTheirTenantsAndPagedCustomersFirst(boolean postgres) throws Exception {
        try (TestDatabase database = database(postgres)) {
            TenantQueries queries = seeded(database);

            assertEquals(List.of("customer cus_AB1 tenant_acme", "customer cus_AB2 tenant_acme",
                    "customer cus_ABC tenant_globex"), ids(queries.mappings("cus_AB", null, 10)),
                    "the underscore is meant literally: cusXAB9 does not start with cus_AB");
            assertEquals(List.of("customer cus_AB1 tenant_acme", "customer cus_AB2 tenant_acme",
                    "account acct_SHOP1 tenant_acme"), ids(queries.mappings(" tenant_acme ", null, 10)),
                    "a tenant's customers and accounts");
            assertEquals(List.of("customer cus_ZZ2 ten%ant_odd"), ids(queries.mappings("ten%", null, 10)));
            assertEquals(List.of(), ids(queries.mappings("ten%x", null, 10)), "the '%' is meant literally");
            assertEquals(List.of("account acct_SHOP2 tenant_initech"), ids(queries.mappings("acct_SHOP2", null, 10)));
            assertEquals(List.of(), ids(queries.mappings("nothing", null, 10)));

            List<String> walked = new ArrayList<>();
            TenantQueries.MappingPage page = queries.mappings(null, null, 3);
            List<Integer> sizes = new ArrayList<>();
            while (true) {
                walked.addAll(ids(page));
                sizes.add(page.mappings().size());
                if (page.next() == null) {
                    break;
                }
                page = queries.mappings(null, page.next(), 3);
            }
            List<String> inOrder = new ArrayList<>();
            // The database's own order of the ids, whatever its collation.
            database.rows("SELECT 'customer ' || customer_id || ' ' || tenant_id FROM tenant_mapping"
                    + " ORDER BY customer_id").forEach(inOrder::add);
            database.rows("SELECT 'account ' || account_id || ' ' || tenant_id FROM tenant_account_mapping"
                    + " ORDER BY account_id").forEach(inOrder::add);
            assertEquals(8, inOrder.size());
            assertEquals(inOrder, walked, "every mapping once: customers by id, then accounts by id");
            assertEquals(List.of(3, 3, 2), sizes);

            TenantQueries.MappingPage searched = queries.mappings("tenant_", null, 2);
            List<String> rest = ids(queries.mappings("tenant_", searched.next(), 10));
            List<String> found = new ArrayList<>(ids(searched));
            found.addAll(rest);
            assertEquals(inOrder.stream().filter(row -> row.contains(" tenant_")).toList(), found,
                    "a search's next page goes on with the search");
            assertEquals(List.of(2, 5), List.of(searched.mappings().size(), rest.size()));
            assertThrows(IllegalArgumentException.class, () -> queries.mappings("x".repeat(256), null, 10));
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void tenantsAreListedNewestFirstAFewAtATimeAndFoundByTheStartOfTheirId(boolean postgres) throws Exception {
        try (TestDatabase database = database(postgres)) {
            TenantQueries queries = seeded(database);
            List<String> walked = new ArrayList<>();
            TenantQueries.TenantPage page = queries.tenants(null, null, 2);
            while (true) {
                page.tenants().forEach(t -> walked.add(t.tenantId()));
                if (page.next() == null) {
                    break;
                }
                page = queries.tenants(null, page.next(), 2);
            }
            assertEquals(List.of("ten%ant_odd", "tenant_initech", "tenant_globex", "tenant_acme"), walked,
                    "registered in the order of their first mapping, newest first");
            assertEquals(List.of("tenant_initech", "tenant_globex", "tenant_acme"),
                    queries.tenants("tenant_", null, 10).tenants().stream().map(TenantQueries.Registered::tenantId)
                            .toList());
            assertEquals(List.of("tenant_globex"), queries.tenants("tenant_g", null, 10).tenants().stream()
                    .map(TenantQueries.Registered::tenantId).toList());
            TenantQueries.Registered acme = queries.tenants("tenant_acme", null, 10).tenants().get(0);
            assertEquals(new TenantQueries.Registered("tenant_acme", "tenant_acme", Tenant.ACTIVE,
                    T0.plus(Duration.ofMinutes(1))), acme);
            assertNull(queries.tenants("tenant_", null, 3).next(), "three of three: no next page");
            assertEquals(walked, queries.tenants(null, "not-a-cursor", 10).tenants().stream()
                    .map(TenantQueries.Registered::tenantId).toList(), "a malformed cursor is the first page");
        }
    }

    @Test
    void onPostgresEachSearchIsPlannedOnItsIndexWhateverTheCollation() throws Exception {
        try (TestDatabase database = TestDatabase.postgres(); Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            boolean icu;
            try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM pg_collation WHERE collname = 'und-x-icu'")) {
                row.next();
                icu = row.getInt(1) == 1;
            }
            Assumptions.assumeTrue(icu, "this PostgreSQL has no ICU collation to search under");
            // Under a linguistic collation a plain index serves no LIKE: only the pattern_ops indexes can.
            for (String column : List.of("tenant_mapping.customer_id", "tenant_mapping.tenant_id",
                    "tenant_account_mapping.account_id", "tenant_account_mapping.tenant_id", "tenant.tenant_id")) {
                String[] parts = column.split("\\.");
                statement.execute("ALTER TABLE " + parts[0] + " ALTER COLUMN " + parts[1]
                        + " TYPE VARCHAR(255) COLLATE \"und-x-icu\"");
            }
            statement.execute("INSERT INTO tenant (tenant_id, name, status, created_at) SELECT 'tenant_' || i,"
                    + " 'tenant_' || i, 'ACTIVE', TIMESTAMP '2026-11-01 00:00:00' + i * INTERVAL '1 second'"
                    + " FROM generate_series(1, 5000) i");
            statement.execute("INSERT INTO tenant_mapping (customer_id, tenant_id, source, created_at, updated_at)"
                    + " SELECT 'cus_' || md5(i::text), 'tenant_' || (i % 5000 + 1), 'event', NOW(), NOW()"
                    + " FROM generate_series(1, 20000) i");
            statement.execute("INSERT INTO tenant_account_mapping (account_id, tenant_id, source, created_at,"
                    + " updated_at) SELECT 'acct_' || md5(i::text), 'tenant_' || i, 'operator', NOW(), NOW()"
                    + " FROM generate_series(1, 5000) i");
            statement.execute("ANALYZE tenant");
            statement.execute("ANALYZE tenant_mapping");
            statement.execute("ANALYZE tenant_account_mapping");
            assertPlannedOn(statement, "SELECT * FROM tenant_mapping WHERE (customer_id LIKE 'cus\\_ab%'"
                            + " OR tenant_id LIKE 'cus\\_ab%') ORDER BY customer_id LIMIT 51",
                    List.of("ix_tenant_mapping_customer_search", "ix_tenant_mapping_tenant_search"));
            assertPlannedOn(statement, "SELECT * FROM tenant_account_mapping WHERE (account_id LIKE 'tenant\\_12%'"
                            + " OR tenant_id LIKE 'tenant\\_12%') ORDER BY account_id LIMIT 51",
                    List.of("ix_tenant_account_mapping_account_search", "ix_tenant_account_mapping_tenant_search"));
            assertPlannedOn(statement, "SELECT * FROM tenant WHERE tenant_id LIKE 'tenant\\_12%'"
                    + " ORDER BY created_at DESC, tenant_id LIMIT 51", List.of("ix_tenant_search"));
        }
    }

    private static void assertPlannedOn(Statement statement, String sql, List<String> indexes) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("EXPLAIN " + sql)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        assertFalse(plan.toString().contains("Seq Scan"), sql + ":\n" + plan);
        for (String index : indexes) {
            assertTrue(plan.toString().contains(index), sql + " on " + index + ":\n" + plan);
        }
    }
}
