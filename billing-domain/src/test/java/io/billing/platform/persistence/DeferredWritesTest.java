package io.billing.platform.persistence;

import io.billing.testsupport.TestDatabase;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A unit of work's deferred writes, on PostgreSQL and H2: sent at the commit, lost with a rollback; a failing one
 * fails the commit and takes the unit's other writes with it.
 */
class DeferredWritesTest {

    private static final String INSERT = "INSERT INTO reconciliation_event (payment_key, event_id) VALUES (?, ?)"
            + " ON CONFLICT DO NOTHING";

    private static TestDatabase database(boolean postgres) {
        return postgres ? TestDatabase.postgres() : TestDatabase.h2();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void writtenAtTheCommitAndLostWithARollback(boolean postgres) throws Exception {
        try (TestDatabase database = database(postgres)) {
            database.dataAccess().inTransaction(unit -> {
                DeferredWrites.Writer writes = DeferredWrites.of(unit.entityManager());
                writes.write(INSERT, "payment:pi_1", "evt_1");
                writes.write(INSERT, "payment:pi_1", "evt_2");
                writes.write(INSERT, "payment:pi_1", "evt_1");
                assertEquals(0, count(unit, "payment:pi_1"), "not written before the commit");
                return null;
            });
            assertEquals(2, database.count("SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = 'payment:pi_1'"));

            try (UnitOfWork unit = database.dataAccess().begin()) {
                DeferredWrites.of(unit.entityManager()).write(INSERT, "payment:pi_1", "evt_3");
                unit.rollback();
            }
            assertEquals(2, database.count("SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = 'payment:pi_1'"));

            // A write that fails (no event id) fails the commit: nothing of the unit is kept.
            assertThrows(RuntimeException.class, () -> database.dataAccess().inTransaction(unit -> {
                DeferredWrites.of(unit.entityManager()).write(INSERT, "payment:pi_1", "evt_4");
                DeferredWrites.of(unit.entityManager()).write(INSERT, "payment:pi_1", null);
                return null;
            }));
            assertEquals(2, database.count("SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = 'payment:pi_1'"));
        }
    }

    @Test
    void anEntityManagerOfNoUnitOfWorkWritesAtOnce() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            database.dataAccess().read(entityManager -> {
                entityManager.getTransaction().begin();
                DeferredWrites.of(entityManager).write(INSERT, "payment:pi_2", "evt_1");
                assertEquals(1, count(entityManager, "payment:pi_2"), "written at once");
                entityManager.getTransaction().commit();
                return null;
            });
            assertEquals(1, database.count("SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = 'payment:pi_2'"));
        }
    }

    private static long count(UnitOfWork unit, String paymentKey) throws java.sql.SQLException {
        try (var query = unit.connection().prepareStatement(
                "SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = ?")) {
            query.setString(1, paymentKey);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long count(EntityManager entityManager, String paymentKey) {
        return ((Number) entityManager.createNativeQuery(
                "SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = ?")
                .setParameter(1, paymentKey).getSingleResult()).longValue();
    }
}
