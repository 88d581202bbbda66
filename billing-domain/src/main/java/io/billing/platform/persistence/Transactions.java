package io.billing.platform.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs a unit of JDBC work in one local transaction: committed if it returns, rolled back if it throws.
 * The engine, the outbox and the operator services write with plain JDBC on purpose: short
 * transactions whose SQL is visible, on any thread, inside or outside the container.
 */
public final class Transactions {

    /** Work to run on a connection whose transaction the caller does not manage. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
