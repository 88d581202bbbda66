package io.billing.platform.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;
import java.util.function.Function;

/**
 * JPA reports a failing database as an unchecked {@link PersistenceException}. The services built on the
 * persistence unit keep the contract of the ones built on JDBC and throw {@link SQLException} instead: the
 * operator API answers it with 503 and the admin with a message, and a JPA failure must not become a 500.
 * The database's own error (with its SQLState) is kept as far as the provider hands it on.
 */
public final class DatabaseFailures {

    /** PostgreSQL's and H2's SQLState for a unique constraint (or primary key) violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private DatabaseFailures() {
    }

    /** {@link DataAccess#read}, with a database failure as SQLException. */
    public static <T> T read(DataAccess data, Function<EntityManager, T> work) throws SQLException {
        try {
            return data.read(work);
        } catch (PersistenceException e) {
            throw asSqlException(e);
        }
    }

    /** {@link DataAccess#inTransaction}, with a database failure (in the work or at commit) as SQLException. */
    public static <T> T inTransaction(DataAccess data, DataAccess.Work<T> work) throws SQLException {
        try {
            return data.inTransaction(work);
        } catch (PersistenceException e) {
            throw asSqlException(e);
        }
    }

    /** The failure as an SQLException carrying the database's SQLState, if the provider passed it on. */
    public static SQLException asSqlException(PersistenceException failure) {
        SQLException database = databaseError(failure);
        return database == null ? new SQLException(failure.getMessage(), failure)
                : new SQLException(failure.getMessage(), database.getSQLState(), database.getErrorCode(), failure);
    }

    /**
     * Whether a write failed on a unique constraint: the guard where two transactions may create the same row
     * and the one that loses has nothing left to do.
     */
    public static boolean isUniqueViolation(Throwable failure) {
        SQLException database = databaseError(failure);
        return database != null && UNIQUE_VIOLATION.equals(database.getSQLState());
    }

    /** The first SQLException with an SQLState among the failure and its causes. */
    private static SQLException databaseError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql;
            }
        }
        return null;
    }
}
