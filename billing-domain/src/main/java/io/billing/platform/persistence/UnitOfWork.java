package io.billing.platform.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One database transaction seen two ways: an EntityManager whose changes the aggregates' repositories make, and
 * the JDBC connection it runs on, for the hot set-based statements that stay plain SQL. Both commit together or
 * not at all. Closing a unit that was not committed rolls it back.
 *
 * <p>The entity changes are written when the unit is {@link #flush() flushed} (the engine flushes after each
 * event, so that a constraint error belongs to the event that caused it) or committed; a JDBC statement does not
 * see entity changes that were not flushed yet. The {@link DeferredWrites} of the unit go last, at the commit.
 * Some look-ups the unit makes once and remembers until it ends ({@link UnitReads}).
 */
public final class UnitOfWork implements AutoCloseable {

    private final EntityManager entityManager;
    private final Connection connection;
    private final DeferredWrites deferred;

    private UnitOfWork(EntityManager entityManager, Connection connection, DeferredWrites deferred) {
        this.entityManager = entityManager;
        this.connection = connection;
        this.deferred = deferred;
    }

    static UnitOfWork begin(EntityManager entityManager) {
        try {
            entityManager.getTransaction().begin();
            // EclipseLink starts the database transaction now and hands out the connection it holds until commit.
            Connection connection = entityManager.unwrap(Connection.class);
            if (connection == null) {
                throw new IllegalStateException("the persistence unit gave no connection for its transaction");
            }
            DeferredWrites deferred = new DeferredWrites();
            entityManager.setProperty(DeferredWrites.PROPERTY, deferred);
            entityManager.setProperty(UnitReads.PROPERTY, UnitReads.forUnit());
            return new UnitOfWork(entityManager, connection, deferred);
        } catch (RuntimeException e) {
            if (entityManager.getTransaction().isActive()) {
                entityManager.getTransaction().rollback();
            }
            entityManager.close();
            throw e;
        }
    }

    public EntityManager entityManager() {
        return entityManager;
    }

    /** The transaction's connection: statements on it commit with the entities. Never close it. */
    public Connection connection() {
        return connection;
    }

    /** Writes the entity changes made so far, so that their constraint errors surface here. */
    public void flush() {
        entityManager.flush();
    }

    /** Commits, after the entity changes and the {@link DeferredWrites deferred writes} are written. */
    public void commit() {
        entityManager.flush();
        try {
            deferred.execute(connection);
        } catch (SQLException e) {
            throw new PersistenceException("could not write the unit of work's batched rows", e);
        }
        entityManager.getTransaction().commit();
    }

    public void rollback() {
        deferred.discard();
        if (entityManager.getTransaction().isActive()) {
            entityManager.getTransaction().rollback();
        }
    }

    @Override
    public void close() {
        try {
            rollback();
        } finally {
            entityManager.close();
        }
    }
}
