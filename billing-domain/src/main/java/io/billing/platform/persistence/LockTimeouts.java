package io.billing.platform.persistence;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Bounds every lock wait of a migration on PostgreSQL, so that a schema change on a running cluster never
 * holds the intake up for long: an {@code ALTER TABLE} waiting for its lock behind a long transaction would
 * make every insert queue behind it.
 *
 * <p>A migration that runs in a transaction (DDL) gets {@code SET LOCAL lock_timeout}, gone with its
 * transaction. A migration that runs outside one ({@code executeInTransaction=false}: a concurrent index
 * build) gets the longer index timeout for its session, reset afterwards, so the connection goes back to the
 * pool as it came. A migration that hits its timeout fails with SQLSTATE 55P03 and the deployment with it; the
 * nodes still running the previous version go on serving (see docs/operations.md).
 */
final class LockTimeouts implements Callback {

    private final Duration inTransaction;
    private final Duration indexBuild;

    LockTimeouts(Duration inTransaction, Duration indexBuild) {
        this.inTransaction = inTransaction;
        this.indexBuild = indexBuild;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            // Flyway runs a non-transactional migration on a connection in auto-commit; a transactional one
            // inside the transaction it opened.
            boolean transactional = !connection.getAutoCommit();
            if (event == Event.BEFORE_EACH_MIGRATE) {
                statement.execute(transactional
                        ? "SET LOCAL lock_timeout = " + inTransaction.toMillis()
                        : "SET lock_timeout = " + indexBuild.toMillis());
            } else if (!transactional) {
                statement.execute("RESET lock_timeout");
            }
        } catch (SQLException e) {
            throw new FlywayException("could not set the migration's lock timeout: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "lock timeouts";
    }
}
