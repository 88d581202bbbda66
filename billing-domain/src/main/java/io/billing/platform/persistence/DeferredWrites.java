package io.billing.platform.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a unit of work sends together when it commits, as one JDBC batch per statement: inserts of rows that
 * nothing in the same transaction reads back (a posting's payment, the events and the state history of a
 * reconciliation record, a paid invoice's period, a learnt mapping's tenant, audit entries). The engine runs a batch
 * of events in one transaction; each of these rows was one round trip to the database per event, and now the batch's
 * rows of one kind are one. The rows of one statement go in the order they were written.
 *
 * <p>Only for statements whose order among themselves does not matter and which no later statement of the
 * transaction depends on: they run after everything else the transaction did, just before its commit. A failing
 * one fails the commit, so its unit's events run again one at a time, where it is the one event's failure.
 *
 * <p>Last of all run the {@link Gathered} steps: a statement that looks at once for everything the unit's events
 * gathered (the parked events waiting for the customers a batch mapped), after the engine has settled those events.
 *
 * <p>An EntityManager that is no unit of work's (a read on the side, a test's) gets writes that run at once.
 */
public final class DeferredWrites {

    /** Where a unit of work's EntityManager carries its deferred writes. */
    static final String PROPERTY = "io.billing.deferred-writes";

    private final Map<String, List<Object[]>> rowsBySql = new LinkedHashMap<>();
    private final Map<Gathered, List<Object[]>> gathered = new LinkedHashMap<>();

    DeferredWrites() {
    }

    /** The writes of the unit of work this EntityManager belongs to; otherwise writes that run at once. */
    public static Writer of(EntityManager entityManager) {
        Object deferred = entityManager.getProperties().get(PROPERTY);
        if (deferred instanceof DeferredWrites writes) {
            return writes::add;
        }
        return (sql, parameters) -> {
            try (PreparedStatement statement = entityManager.unwrap(Connection.class).prepareStatement(sql)) {
                StatementParameters.bind(statement, parameters);
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new PersistenceException("could not run " + sql, e);
            }
        };
    }

    /**
     * Work a unit of work does once at its commit for every row gathered under it, after the batched rows and so after
     * everything else its transaction wrote (the engine's settling of its events included): what many events of a
     * batch ask for, answered by one set-based statement. Keep each one a constant: the unit gathers rows by it.
     */
    @FunctionalInterface
    public interface Gathered {
        void run(Connection connection, List<Object[]> rows) throws SQLException;
    }

    /**
     * Gathers a row for {@code step}, run at the commit of the unit of work this EntityManager belongs to; for an
     * EntityManager of no unit, runs it at once for this row alone.
     */
    public static void gather(EntityManager entityManager, Gathered step, Object... row) {
        if (entityManager.getProperties().get(PROPERTY) instanceof DeferredWrites writes) {
            writes.gathered.computeIfAbsent(step, s -> new ArrayList<>()).add(row.clone());
            return;
        }
        try {
            step.run(entityManager.unwrap(Connection.class), List.<Object[]>of(row.clone()));
        } catch (SQLException e) {
            throw new PersistenceException("could not run a gathered statement", e);
        }
    }

    /** Adds one statement's parameters: {@code String}, {@code Long}, {@code Integer}, {@code Instant} or null. */
    @FunctionalInterface
    public interface Writer {
        void write(String sql, Object... parameters);
    }

    private void add(String sql, Object... parameters) {
        rowsBySql.computeIfAbsent(sql, s -> new ArrayList<>()).add(parameters.clone());
    }

    /** Sends every write on the transaction's connection, one batch per statement, and forgets them. */
    void execute(Connection connection) throws SQLException {
        try {
            for (Map.Entry<String, List<Object[]>> statement : rowsBySql.entrySet()) {
                try (PreparedStatement batch = connection.prepareStatement(statement.getKey())) {
                    for (Object[] row : statement.getValue()) {
                        StatementParameters.bind(batch, row);
                        batch.addBatch();
                    }
                    batch.executeBatch();
                }
            }
            for (Map.Entry<Gathered, List<Object[]>> step : gathered.entrySet()) {
                step.getKey().run(connection, step.getValue());
            }
        } finally {
            discard();
        }
    }

    /** Forgets the writes: their unit of work rolled back. */
    void discard() {
        rowsBySql.clear();
        gathered.clear();
    }
}
