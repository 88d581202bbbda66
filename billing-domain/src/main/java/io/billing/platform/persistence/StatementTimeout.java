package io.billing.platform.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Holds every statement of the current transaction to a time, on PostgreSQL: {@code SET LOCAL statement_timeout},
 * which ends with the transaction and so never leaks into the pooled connection's next user. A statement that
 * waits on a lock or runs away is cancelled by the server with SQLState 57014, and its attempt fails and is
 * retried instead of outliving its lease.
 *
 * <p>On H2 (the embedded database of a single node) nothing is set: H2 has only a session-wide query timeout,
 * which would stay on the pooled connection.
 */
public final class StatementTimeout {

    private StatementTimeout() {
    }

    public static void limit(Connection connection, Duration timeout) throws SQLException {
        if (!Databases.isPostgres(connection)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
        }
    }
}
