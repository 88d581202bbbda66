package io.billing.platform.time;

import io.billing.platform.persistence.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The clock that leases and due times are read from. Leases and due times are written by one node and compared
 * by another, so they must come from one clock the nodes share: the database's. A node whose own clock runs
 * ahead would otherwise take the other nodes' live leases, and one that runs behind would hold on to rows past
 * their time. Times that record what happened (an event's receipt, an attempt, the ledger, the audit log) stay
 * on the node's injected {@link Clock}.
 *
 * <p>Production reads the database's time on the connection of the caller's transaction ({@link #database()});
 * tests that travel in time follow their own clock instead ({@link #following(Clock)}).
 */
@FunctionalInterface
public interface DatabaseClock {

    /**
     * SQL for a row that is due at once, with one parameter: the node's time. It is the earlier of that and the
     * database's time, so the row is due at once whichever clock a claim compares with: a node whose clock runs
     * ahead would otherwise write a due time that the database's clock reaches only minutes later. Costs no round
     * trip, which matters on the intake's and the handlers' paths.
     */
    String DUE_AT_ONCE = "LEAST(CAST(? AS TIMESTAMP WITH TIME ZONE), CURRENT_TIMESTAMP)";

    /** The time now, for a lease or a due time, in the transaction of {@code connection}. */
    Instant now(Connection connection) throws SQLException;

    /**
     * The database's time. PostgreSQL's {@code clock_timestamp()} is the time of the statement, whatever the
     * transaction's age; H2 has no such function, and its {@code CURRENT_TIMESTAMP} (the transaction's start)
     * is close enough in the short transactions that read it, on the one node an embedded H2 serves.
     */
    static DatabaseClock database() {
        return connection -> {
            String sql = Databases.isPostgres(connection)
                    ? "SELECT clock_timestamp()" : "SELECT CURRENT_TIMESTAMP";
            try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        };
    }

    /** The time of {@code clock}, read without the database: for tests that move time by hand. */
    static DatabaseClock following(Clock clock) {
        return connection -> clock.instant();
    }
}
