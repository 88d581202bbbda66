package io.billing.tenant;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants and their mappings on PostgreSQL. Two tenants share the database, each with its customers and an
 * account; every query that reads one tenant's data returns that tenant's rows and never the other's.
 */
class JpaTenantRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final TenantId GLOBEX = TenantId.of("tenant_globex");
    /** Tenants whose mappings the tests that write add, apart from the two above. */
    private static final TenantId INITECH = TenantId.of("tenant_initech");
    private static final TenantId UMBRELLA = TenantId.of("tenant_umbrella");

    private static TestDatabase database;
    private static DataAccess data;

    @BeforeAll
    static void twoTenants() throws SQLException {
        database = TestDatabase.postgres();
        data = database.dataAccess();
        data.inTransaction(unit -> {
            TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
            tenants.register(ACME, T0);
            tenants.register(GLOBEX, T0.plusSeconds(60));
            tenants.add(new CustomerMapping("cus_ACME_1", ACME, "event evt_1", T0));
            tenants.add(new CustomerMapping("cus_ACME_2", ACME, "operator bob", T0.plusSeconds(120)));
            tenants.add(new CustomerMapping("cus_GLOBEX_1", GLOBEX, "event evt_2", T0.plusSeconds(180)));
            tenants.add(new AccountMapping("acct_ACME", ACME, "operator bob", T0));
            tenants.add(new AccountMapping("acct_GLOBEX", GLOBEX, "operator bob", T0));
            return null;
        });
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    private static <T> T read(Function<TenantRepository, T> query) {
        return read(data, query);
    }

    private static <T> T read(DataAccess data, Function<TenantRepository, T> query) {
        return data.read(entityManager -> query.apply(new JpaTenantRepository(entityManager)));
    }

    @Test
    void aTenantSeesOnlyItsOwnRecordAndMappings() {
        assertEquals("tenant_acme", read(tenants -> tenants.find(ACME)).orElseThrow().name());
        assertEquals(Tenant.ACTIVE, read(tenants -> tenants.find(ACME)).orElseThrow().status());
        assertEquals(GLOBEX, read(tenants -> tenants.find(GLOBEX)).orElseThrow().id());
        assertEquals(Optional.empty(), read(tenants -> tenants.find(TenantId.of("tenant_unknown"))));

        assertEquals(List.of("cus_ACME_1", "cus_ACME_2"), read(tenants -> tenants.customerMappings(ACME).stream()
                .map(CustomerMapping::customerId).toList()));
        assertEquals(List.of("cus_GLOBEX_1"), read(tenants -> tenants.customerMappings(GLOBEX).stream()
                .map(CustomerMapping::customerId).toList()));
        assertEquals(List.of(), read(tenants -> tenants.customerMappings(TenantId.of("tenant_unknown"))));

        assertEquals(Optional.of("cus_ACME_2"), read(tenants -> tenants.latestCustomer(ACME)), "the latest of its own");
        assertEquals(Optional.of("cus_GLOBEX_1"), read(tenants -> tenants.latestCustomer(GLOBEX)),
                "not the other tenant's later one");
        assertEquals(Optional.empty(), read(tenants -> tenants.latestCustomer(TenantId.of("tenant_unknown"))));
    }

    @Test
    void aStripeIdResolvesToItsOwnTenant() {
        assertEquals(Optional.of(ACME), read(tenants -> tenants.tenantOfCustomer("cus_ACME_1")));
        assertEquals(Optional.of(GLOBEX), read(tenants -> tenants.tenantOfCustomer("cus_GLOBEX_1")));
        assertEquals(Optional.empty(), read(tenants -> tenants.tenantOfCustomer("cus_UNKNOWN")));
        assertEquals(Optional.of(ACME), read(tenants -> tenants.tenantOfAccount("acct_ACME")));
        assertEquals(Optional.of(GLOBEX), read(tenants -> tenants.tenantOfAccount("acct_GLOBEX")));
        assertEquals(Optional.empty(), read(tenants -> tenants.tenantOfAccount("cus_ACME_1")), "accounts are not customers");
    }

    @Test
    void aMappingIsLockedForItsChange() throws SQLException {
        assertEquals(Optional.of(ACME), data.inTransaction(unit -> new JpaTenantRepository(unit.entityManager())
                .lockMapping(CustomerMapping.class, "cus_ACME_2").map(TenantMapping::tenant)));
        assertEquals(Optional.of(GLOBEX), data.inTransaction(unit -> new JpaTenantRepository(unit.entityManager())
                .lockMapping(AccountMapping.class, "acct_GLOBEX").map(TenantMapping::tenant)));
        assertEquals(Optional.empty(), data.inTransaction(unit -> new JpaTenantRepository(unit.entityManager())
                .lockMapping(CustomerMapping.class, "cus_UNKNOWN")));
    }

    @Test
    void theOperatorsListHoldsEveryTenantNewestFirst() {
        assertEquals(List.of(GLOBEX, ACME), read(tenants -> tenants.recentlyRegistered(10).stream()
                .filter(t -> t.id().equals(ACME) || t.id().equals(GLOBEX)).map(Tenant::id).toList()));
        assertEquals(1, read(tenants -> tenants.recentlyRegistered(1)).size());
    }

    @Test
    void registeringATenantTwiceKeepsTheFirstRegistration() throws SQLException {
        data.inTransaction(unit -> {
            new JpaTenantRepository(unit.entityManager()).register(ACME, T0.plus(Duration.ofDays(1)));
            return null;
        });
        assertEquals(T0, read(tenants -> tenants.find(ACME)).orElseThrow().createdAt());
    }

    @Test
    void aLearntMappingIsSeenInItsTransactionAndNeverReplacesOne() throws SQLException {
        learnsOnceAndNeverReplaces(data);
    }

    @Test
    void theEmbeddedDatabaseLearnsMappingsTheSameWay() throws SQLException {
        try (TestDatabase embedded = TestDatabase.h2()) {
            DataAccess h2 = embedded.dataAccess();
            h2.inTransaction(unit -> {
                TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
                tenants.register(ACME, T0);
                tenants.add(new CustomerMapping("cus_ACME_1", ACME, "event evt_1", T0));
                return null;
            });
            learnsOnceAndNeverReplaces(h2);
        }
    }

    /** On a database where {@code cus_ACME_1} is mapped to ACME and {@code cus_NEW_1} to nobody. */
    private static void learnsOnceAndNeverReplaces(DataAccess data) throws SQLException {
        Optional<TenantId> before = data.inTransaction(unit -> {
            TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
            Optional<TenantId> found = tenants.mapUnlessMapped(new CustomerMapping("cus_NEW_1", INITECH, "event evt_3", T0));
            assertEquals(Optional.of(INITECH), tenants.tenantOfCustomer("cus_NEW_1"), "the batch's later events see it");
            assertEquals(Optional.of(INITECH), tenants.mapUnlessMapped(
                    new CustomerMapping("cus_NEW_1", UMBRELLA, "event evt_8", T0)), "a later event is told it");
            return found;
        });
        assertEquals(Optional.empty(), before, "recorded: the customer had no mapping");
        Optional<TenantId> replaced = data.inTransaction(unit -> new JpaTenantRepository(unit.entityManager())
                .mapUnlessMapped(new CustomerMapping("cus_ACME_1", INITECH, "event evt_4", T0)));
        assertEquals(Optional.of(ACME), replaced, "the mapping there is the answer");
        assertEquals(Optional.of(ACME), read(data, tenants -> tenants.tenantOfCustomer("cus_ACME_1")));
        assertEquals(Optional.of(INITECH), read(data, tenants -> tenants.tenantOfCustomer("cus_NEW_1")));
    }

    @Test
    void aUnitOfWorkReadsAFoundMappingOnceAndLooksForAMissingOneAgain() throws SQLException {
        data.inTransaction(unit -> {
            new JpaTenantRepository(unit.entityManager()).add(new CustomerMapping("cus_ONCE", INITECH, "operator bob", T0));
            return null;
        });
        try (UnitOfWork unit = data.begin()) {
            TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
            assertEquals(Optional.of(INITECH), tenants.tenantOfCustomer("cus_ONCE"));
            assertEquals(Optional.empty(), tenants.tenantOfCustomer("cus_ONCE_LATER"));
            unit.entityManager().clear(); // as the engine does between two events of a batch
            data.inTransaction(other -> { // an operator's change and another worker's learnt mapping, committed meanwhile
                TenantRepository elsewhere = new JpaTenantRepository(other.entityManager());
                elsewhere.lockMapping(CustomerMapping.class, "cus_ONCE").orElseThrow()
                        .reassign(UMBRELLA, "operator bob", T0);
                elsewhere.mapUnlessMapped(new CustomerMapping("cus_ONCE_LATER", UMBRELLA, "event evt_7", T0));
                return null;
            });
            assertEquals(Optional.of(INITECH), tenants.tenantOfCustomer("cus_ONCE"),
                    "read once: the unit's later events see what its first one saw");
            assertEquals(Optional.of(UMBRELLA), tenants.tenantOfCustomer("cus_ONCE_LATER"),
                    "a mapping not found is looked for again");

            tenants.lockMapping(CustomerMapping.class, "cus_ONCE").orElseThrow().reassign(GLOBEX, "operator eve", T0);
            assertEquals(Optional.of(GLOBEX), tenants.tenantOfCustomer("cus_ONCE"), "the unit's own change is read");
        }
        assertEquals(Optional.of(UMBRELLA), read(tenants -> tenants.tenantOfCustomer("cus_ONCE")),
                "the change committed meanwhile is what the next reader sees; the rolled-back one is gone");
    }

    @Test
    void twoWorkersLearningOneCustomerAtOnceEndWithOneMappingAndNoError() throws Exception {
        CustomerMapping first = new CustomerMapping("cus_RACE", INITECH, "event evt_5", T0);
        CustomerMapping second = new CustomerMapping("cus_RACE", UMBRELLA, "event evt_6", T0);
        try (UnitOfWork one = data.begin(); UnitOfWork other = data.begin()) {
            assertEquals(Optional.empty(), new JpaTenantRepository(one.entityManager()).mapUnlessMapped(first));
            CompletableFuture<Optional<TenantId>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return new JpaTenantRepository(other.entityManager()).mapUnlessMapped(second);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200); // the other insert waits on the first one's uncommitted row
            assertFalse(waiting.isDone(), "the primary key holds the other worker until the first commits");
            one.commit();
            // Its statement's snapshot predates the first commit, so it answers nothing and the repository asks again.
            assertEquals(Optional.of(INITECH), waiting.get(10, TimeUnit.SECONDS),
                    "the other worker records nothing and is told the first one's tenant");
            assertEquals(Optional.of(INITECH), new JpaTenantRepository(other.entityManager()).tenantOfCustomer("cus_RACE"),
                    "and reads the first worker's mapping, not its own");
            other.commit();
        }
        assertEquals(Optional.of(INITECH), read(tenants -> tenants.tenantOfCustomer("cus_RACE")));
    }
}
