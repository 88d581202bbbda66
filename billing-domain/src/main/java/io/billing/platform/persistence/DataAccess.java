package io.billing.platform.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The application's one database, as plain JDBC and as the JPA persistence unit {@value #UNIT} over the same
 * data source. The unit is resource-local on purpose: the engine runs each batch of events in one transaction
 * that its own JDBC statements (work queue, status, attempts, outbox) and the handlers' entities share, by
 * running its statements on the connection of the batch's {@link UnitOfWork}.
 *
 * <p>The application bootstraps the unit itself from {@value #DESCRIPTOR} over the data source it is given, in
 * the container (the container's data source {@code java:app/jdbc/billing}) and in the tests alike, so both run
 * the same unit with the same settings.
 */
public final class DataAccess implements AutoCloseable {

    /** The persistence unit's name. */
    public static final String UNIT = "billing";

    /** The unit's descriptor, on the class path. */
    public static final String DESCRIPTOR = "META-INF/billing-persistence.xml";

    /** Work on a unit of work whose transaction the caller does not manage. */
    @FunctionalInterface
    public interface Work<T> {
        T run(UnitOfWork unit) throws SQLException;
    }

    private final DataSource dataSource;
    private final EntityManagerFactory entityManagers;

    private DataAccess(DataSource dataSource, EntityManagerFactory entityManagers) {
        this.dataSource = dataSource;
        this.entityManagers = entityManagers;
    }

    /** The unit bootstrapped over a data source. {@link #close()} closes it. */
    public static DataAccess over(DataSource dataSource) {
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(UNIT, Map.of(
                "eclipselink.persistencexml", DESCRIPTOR,
                "jakarta.persistence.nonJtaDataSource", dataSource));
        return new DataAccess(dataSource, factory);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A new unit of work: its own EntityManager, a started transaction and the connection it runs on. */
    public UnitOfWork begin() {
        return UnitOfWork.begin(entityManagers.createEntityManager());
    }

    /**
     * Runs read-only work on a short-lived EntityManager (admin pages, APIs): no transaction is started, so
     * nothing it loads can be written back.
     */
    public <T> T read(Function<EntityManager, T> work) {
        EntityManager entityManager = entityManagers.createEntityManager();
        try {
            return work.apply(entityManager);
        } finally {
            entityManager.close();
        }
    }

    /** Runs work in its own unit of work: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (UnitOfWork unit = begin()) {
            T result = work.run(unit);
            unit.commit();
            return result;
        }
    }

    @Override
    public void close() {
        if (entityManagers.isOpen()) {
            entityManagers.close();
        }
    }
}
