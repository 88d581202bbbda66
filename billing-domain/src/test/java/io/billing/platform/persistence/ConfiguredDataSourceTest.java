package io.billing.platform.persistence;

import io.billing.testsupport.ConnectionOnlyDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfiguredDataSourceTest {

    @Test
    void postgresUrlsGetPgjdbcWithTimeoutsThatCannotHangForEver() {
        PGSimpleDataSource pg = assertInstanceOf(PGSimpleDataSource.class, ConfiguredDataSource.create(
                new DatabaseSettings("jdbc:postgresql://db.example:5432/billing", "billing", "secret")));
        assertEquals(30, pg.getSocketTimeout());
        assertEquals(5, pg.getConnectTimeout());
        assertEquals("billing", pg.getUser());
    }

    @Test
    void timeoutsGivenInTheUrlWin() {
        PGSimpleDataSource pg = assertInstanceOf(PGSimpleDataSource.class, ConfiguredDataSource.create(
                new DatabaseSettings("jdbc:postgresql://db/billing?socketTimeout=7&connectTimeout=3", "u", "")));
        assertEquals(7, pg.getSocketTimeout());
        assertEquals(3, pg.getConnectTimeout());
    }

    @Test
    void h2UrlsGetTheEmbeddedDatabaseAndItWorks() throws Exception {
        ConfiguredDataSource ds = new ConfiguredDataSource(
                new DatabaseSettings("jdbc:h2:mem:configured;MODE=PostgreSQL", "billing", ""));
        assertTrue(ds.isWrapperFor(JdbcDataSource.class));
        try (Connection c = ds.getConnection()) {
            assertTrue(c.isValid(1));
        }
    }

    @Test
    void otherDatabasesAreRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfiguredDataSource.create(
                new DatabaseSettings("jdbc:mysql://db/billing?password=hunter2", "u", "p")));
        assertTrue(e.getMessage().contains("billing.db.url"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "no credentials in messages");
    }

    @Test
    void describeLeavesParametersAndCredentialsOut() {
        assertEquals("jdbc:postgresql://db:5432/billing",
                new DatabaseSettings("jdbc:postgresql://db:5432/billing?password=hunter2", "u", "p").describe());
        assertEquals("jdbc:h2:file:~/.billing-service/h2/billing",
                new DatabaseSettings(DatabaseSettings.EMBEDDED_URL, "u", "").describe());
        assertFalse(new DatabaseSettings("jdbc:postgresql://db/x", "u", "hunter2").toString().contains("hunter2"));
    }

    @Test
    void atStartItWaitsForAnUnreachableDatabaseUntilItAnswers() throws Exception {
        ScriptedDataSource db = new ScriptedDataSource(refused(), refused(), null);
        try (Connection c = new ConfiguredDataSource(db, "db", Duration.ofSeconds(30)).getConnection()) {
            assertNotNull(c);
        }
        assertEquals(3, db.attempts);
    }

    @Test
    void onceTheDatabaseHasAnsweredAFailureIsReportedAtOnce() throws Exception {
        ScriptedDataSource db = new ScriptedDataSource(null, refused(), null);
        ConfiguredDataSource ds = new ConfiguredDataSource(db, "db", Duration.ofSeconds(30));
        ds.getConnection().close();
        SQLException e = assertThrows(SQLException.class, ds::getConnection);
        assertEquals("08001", e.getSQLState());
        assertEquals(2, db.attempts, "no second try: a delivery during an outage must get its 503 now");
    }

    @Test
    void itGivesUpWhenTheStartupWaitIsOver() {
        ScriptedDataSource db = new ScriptedDataSource(refused(), refused(), refused(), refused(), refused());
        long start = System.nanoTime();
        SQLException e = assertThrows(SQLException.class,
                () -> new ConfiguredDataSource(db, "db", Duration.ofMillis(700)).getConnection());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("08001", e.getSQLState());
        assertTrue(tookMillis >= 700 && tookMillis < 5_000, "took " + tookMillis + " ms");
        assertTrue(db.attempts >= 2 && db.attempts <= 3, db.attempts + " attempts");
    }

    @Test
    void aRefusedLoginIsNotWaitedFor() {
        ScriptedDataSource db = new ScriptedDataSource(new SQLException("password authentication failed", "28P01"), null);
        SQLException e = assertThrows(SQLException.class,
                () -> new ConfiguredDataSource(db, "db", Duration.ofSeconds(30)).getConnection());
        assertEquals("28P01", e.getSQLState());
        assertEquals(1, db.attempts);
    }

    private static SQLException refused() {
        return new SQLException("Connection to 127.0.0.1:5432 refused.", "08001");
    }

    /** Answers each attempt from a script: an exception is thrown, null gives an in-memory H2 connection. */
    private static final class ScriptedDataSource extends ConnectionOnlyDataSource {
        private final Deque<Optional<SQLException>> script = new ArrayDeque<>();
        private final JdbcDataSource h2 = new JdbcDataSource();
        int attempts;

        ScriptedDataSource(SQLException... answers) {
            for (SQLException answer : answers) {
                script.add(Optional.ofNullable(answer));
            }
            h2.setURL("jdbc:h2:mem:scripted");
        }

        @Override
        public Connection getConnection() throws SQLException {
            attempts++;
            Optional<SQLException> next = script.isEmpty() ? Optional.empty() : script.poll();
            if (next.isPresent()) {
                throw next.get();
            }
            return h2.getConnection();
        }
    }
}
