package io.billing.platform.time;

import io.billing.platform.persistence.Transactions;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database's clock on both databases the service runs on, PostgreSQL and the embedded H2 in PostgreSQL mode,
 * and a row due at once by whichever clock is earlier.
 */
class DatabaseClockTest {

    private static final Duration AHEAD = Duration.ofMinutes(3);

    @Test
    void onPostgreSqlItIsTheTimeOfTheStatementNotOfTheTransaction() throws SQLException {
        try (TestDatabase database = TestDatabase.postgres()) {
            Instant[] read = Transactions.inTransaction(database.dataSource(), connection -> {
                Instant first = DatabaseClock.database().now(connection);
                try (PreparedStatement pause = connection.prepareStatement("SELECT pg_sleep(0.05)")) {
                    pause.execute();
                }
                Instant later = DatabaseClock.database().now(connection);
                return new Instant[] {instant(connection, "SELECT CURRENT_TIMESTAMP"), first, later};
            });
            Instant transactionStart = read[0];
            assertFalse(read[1].isBefore(transactionStart));
            assertTrue(Duration.between(transactionStart, read[2]).compareTo(Duration.ofMillis(50)) >= 0,
                    "a lease read late in a transaction is not dated back to its start: " + transactionStart + ", "
                            + read[2]);
        }
    }

    @Test
    void onH2ItIsTheTimeOfTheTransactionThatReadsIt() throws Exception {
        try (TestDatabase database = TestDatabase.h2()) {
            Instant before = Instant.now();
            Instant first = Transactions.inTransaction(database.dataSource(), DatabaseClock.database()::now);
            // The embedded H2 runs in this JVM, on its clock.
            assertTrue(Duration.between(before, first).abs().compareTo(Duration.ofSeconds(5)) < 0,
                    first + " vs " + before);
            TimeUnit.MILLISECONDS.sleep(50);
            // The pool hands the same connection out again: its next transaction reads a new time.
            Instant next = Transactions.inTransaction(database.dataSource(), DatabaseClock.database()::now);
            assertTrue(Duration.between(first, next).compareTo(Duration.ofMillis(50)) >= 0, first + ", then " + next);
        }
    }

    @Test
    void aRowDueAtOnceIsDueByTheDatabasesClockWhenTheNodesRunsAheadOnBothDatabases() throws SQLException {
        for (TestDatabase database : new TestDatabase[] {TestDatabase.postgres(), TestDatabase.h2()}) {
            try (database) {
                Instant[] read = Transactions.inTransaction(database.dataSource(), connection -> {
                    Instant ahead = DatabaseClock.database().now(connection).plus(AHEAD);
                    return new Instant[] {dueAtOnce(connection, ahead), DatabaseClock.database().now(connection)};
                });
                assertFalse(read[0].isAfter(read[1]), "due " + read[0] + ", database's now " + read[1]);
            }
        }
    }

    @Test
    void aRowDueAtOnceKeepsTheNodesTimeWhenThatIsEarlierOnBothDatabases() throws SQLException {
        Instant behind = Instant.parse("2026-11-22T12:00:00.123456Z");
        for (TestDatabase database : new TestDatabase[] {TestDatabase.postgres(), TestDatabase.h2()}) {
            try (database) {
                assertEquals(behind, Transactions.inTransaction(database.dataSource(),
                        connection -> dueAtOnce(connection, behind)));
            }
        }
    }

    @Test
    void followingAClockReadsThatClockAndNotTheDatabase() throws SQLException {
        Instant fixed = Instant.parse("2026-11-22T12:00:00Z");
        // No connection at all: a test that moves its clock never asks the database.
        assertEquals(fixed, DatabaseClock.following(Clock.fixed(fixed, ZoneOffset.UTC)).now(null));
    }

    private static Instant dueAtOnce(Connection connection, Instant nodeTime) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + DatabaseClock.DUE_AT_ONCE)) {
            query.setTimestamp(1, Timestamp.from(nodeTime));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private static Instant instant(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }
}
