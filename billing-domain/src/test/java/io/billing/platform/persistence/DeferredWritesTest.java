package io.billing.platform.persistence;

import io.billing.testsupport.TestDatabase;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void gatheredRowsRunOnceAtTheCommitAfterTheBatchedRows(boolean postgres) throws Exception {
        List<String> runs = new ArrayList<>();
        DeferredWrites.Gathered step = (connection, rows) -> runs.add(rows.stream().map(row -> (String) row[0])
                .collect(Collectors.joining(",")) + " after " + count(connection, "payment:pi_3") + " links");
        try (TestDatabase database = database(postgres)) {
            database.dataAccess().inTransaction(unit -> {
                DeferredWrites.gather(unit.entityManager(), step, "cus_1");
                DeferredWrites.of(unit.entityManager()).write(INSERT, "payment:pi_3", "evt_1");
                DeferredWrites.gather(unit.entityManager(), step, "cus_2");
                DeferredWrites.gather(unit.entityManager(), step, "cus_1");
                assertEquals(List.of(), runs, "nothing before the commit");
                return null;
            });
            assertEquals(List.of("cus_1,cus_2,cus_1 after 1 links"), runs, "one run for the unit, after its rows");

            try (UnitOfWork unit = database.dataAccess().begin()) {
                DeferredWrites.gather(unit.entityManager(), step, "cus_3");
                unit.rollback();
            }
            assertEquals(1, runs.size(), "a rolled-back unit runs nothing");
        }
    }

    @Test
    void anEntityManagerOfNoUnitOfWorkWritesAtOnce() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            database.dataAccess().read(entityManager -> {
                entityManager.getTransaction().begin();
                DeferredWrites.of(entityManager).write(INSERT, "payment:pi_2", "evt_1");
                assertEquals(1, count(entityManager, "payment:pi_2"), "written at once");
                List<String> gathered = new ArrayList<>();
                DeferredWrites.gather(entityManager, (connection, rows) -> gathered.add((String) rows.get(0)[0]), "cus_9");
                assertEquals(List.of("cus_9"), gathered, "run at once");
                entityManager.getTransaction().commit();
                return null;
            });
            assertEquals(1, database.count("SELECT COUNT(*) FROM reconciliation_event WHERE payment_key = 'payment:pi_2'"));
        }
    }

    private static long count(UnitOfWork unit, String paymentKey) throws java.sql.SQLException {
        return count(unit.connection(), paymentKey);
    }

    private static long count(Connection connection, String paymentKey) throws java.sql.SQLException {
        try (var query = connection.prepareStatement(
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
