package io.billing.platform.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.TestPostgres;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.flywaydb.core.api.MigrationInfo;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Migrations on a database in use: on PostgreSQL indexes are built concurrently and every lock wait is bounded,
 * so a schema change gives up rather than hold the intake up; the connections go back as they came; a concurrent
 * build that gave up runs again once its failed entry is repaired. H2 runs the same scripts.
 */
class SchemaMigrationTest {

    /**
     * A concurrent build waits for every older transaction in the database, other test classes' and benchmarks'
     * on the shared server too: the tests that expect it to finish give it minutes.
     */
    private static final SchemaMigration.Online LIVE =
            SchemaMigration.Online.live(Duration.ofSeconds(2), Duration.ofMinutes(5));
    /** The last migration before the retention's. */
    private static final String BEFORE_RETENTION = "27.2";
    /** The last migration before the inbox's partial indexes ({@code V77}). */
    private static final String BEFORE_PARTIAL_INDEXES = "76";

    private final String schema = "t_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private HikariDataSource pool;

    @AfterEach
    void drop() throws SQLException {
        if (pool != null) {
            pool.close();
            try (Connection admin = TestPostgres.server().connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private HikariDataSource emptySchema() throws SQLException {
        TestPostgres.Server server = TestPostgres.server();
        try (Connection admin = server.connect()) {
            PostgresSchemas.recreate(admin, schema);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresSchemas.withSchema(server.url(), schema));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(2); // Flyway's two connections: the check below sees every one it used
        pool = new HikariDataSource(config);
        return pool;
    }

    @Test
    void aLiveMigrationBuildsIndexesConcurrentlyAndHandsItsConnectionsBackWithoutALockTimeout() throws Exception {
        HikariDataSource dataSource = emptySchema();
        assertEquals(Map.of(SchemaMigration.CONCURRENTLY, "CONCURRENTLY", SchemaMigration.PATTERN_OPS,
                "varchar_pattern_ops"), SchemaMigration.configure(dataSource, LIVE).getPlaceholders());
        assertEquals(Map.of(SchemaMigration.CONCURRENTLY, "", SchemaMigration.PATTERN_OPS, "varchar_pattern_ops"),
                SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).getPlaceholders());

        SchemaMigration.migrate(dataSource, LIVE);

        assertEquals(List.of("ix_event_attempt_finished | true", "ix_inbox_event_payload_retention | true"),
                indexes(dataSource));
        try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
            assertEquals("0", lockTimeout(one));
            assertEquals("0", lockTimeout(two));
        }
    }

    @Test
    void aSchemaChangeWaitingForALockGivesUpAtItsTimeoutAndTheIntakeGoesOn() throws Exception {
        HikariDataSource dataSource = emptySchema();
        SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).target(BEFORE_RETENTION).load().migrate();
        try (Connection report = connectToSchema()) {
            // A long read (an export, a report) holds the inbox: ALTER TABLE must wait for it to end.
            report.setAutoCommit(false);
            try (Statement read = report.createStatement()) {
                read.executeQuery("SELECT COUNT(*) FROM inbox_event").close();
            }
            CompletableFuture<Throwable> migration = CompletableFuture.supplyAsync(() -> {
                try {
                    SchemaMigration.migrate(dataSource, LIVE);
                    return null;
                } catch (FlywayException e) {
                    return e;
                }
            });
            try (Connection intake = connectToSchema()) {
                awaitWaitingAlter(intake);
                // Queued behind the waiting ALTER, the insert goes through once the ALTER gives up, while the
                // report still holds its lock: without the timeout it would wait for the report to end.
                try (Statement insert = intake.createStatement()) {
                    insert.setQueryTimeout(30);
                    insert.executeUpdate("""
                            INSERT INTO inbox_event (event_id, event_type, livemode, stripe_created, payload, received_at,
                                                     delivery_count, last_delivered_at, status)
                            VALUES ('evt_during_migration', 'invoice.paid', FALSE, now(), '{}', now(), 1, now(),
                                    'RECEIVED')""");
                }
            }
            Throwable failure = migration.get(30, TimeUnit.SECONDS);
            assertTrue(failure != null && sqlStates(failure).contains("55P03"),
                    "the migration gave up at its lock timeout: " + failure);
            report.rollback();
        }
        assertEquals(BEFORE_RETENTION, currentVersion(dataSource), "rolled back whole: nothing to repair");

        SchemaMigration.migrate(dataSource, LIVE);
        assertEquals(latestVersion(dataSource), currentVersion(dataSource));
    }

    @Test
    void aConcurrentIndexBuildThatGaveUpRunsAgainOnceItsFailedEntryIsRepaired() throws Exception {
        HikariDataSource dataSource = emptySchema();
        SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).target("30").load().migrate();
        SchemaMigration.Online impatient = SchemaMigration.Online.live(Duration.ofSeconds(2), Duration.ofMillis(500));
        givesUpBehindAnOlderSnapshot(dataSource, impatient);
        assertEquals(List.of("ix_inbox_event_payload_retention | false"), indexes(dataSource),
                "a build that gave up leaves an invalid index");

        SchemaMigration.configure(dataSource, impatient).load().repair();
        SchemaMigration.migrate(dataSource, LIVE);

        assertEquals(List.of("ix_event_attempt_finished | true", "ix_inbox_event_payload_retention | true"),
                indexes(dataSource));
        assertEquals(latestVersion(dataSource), currentVersion(dataSource));
    }

    @Test
    void theInboxsPartialIndexesAreBuiltAgainOnceTheirFailedEntryIsRepaired() throws Exception {
        HikariDataSource dataSource = emptySchema();
        SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).target(BEFORE_PARTIAL_INDEXES).load()
                .migrate();
        SchemaMigration.Online impatient = SchemaMigration.Online.live(Duration.ofSeconds(2), Duration.ofMillis(500));
        givesUpBehindAnOlderSnapshot(dataSource, impatient);
        assertEquals(List.of("ix_inbox_event_account | valid | whole",
                        "ix_inbox_event_account_partial | invalid | partial"),
                inboxIndexes(dataSource, "ix_inbox_event_account%"),
                "the old index serves on; the new one's build that gave up left it invalid");

        SchemaMigration.configure(dataSource, impatient).load().repair();
        SchemaMigration.migrate(dataSource, LIVE);

        assertEquals(PARTIAL_INBOX_INDEXES, inboxIndexes(dataSource, "%"));
        assertEquals(latestVersion(dataSource), currentVersion(dataSource));
    }

    @Test
    void theInboxsPartialIndexesPickUpWhereAnEarlierRunStopped() throws Exception {
        HikariDataSource dataSource = emptySchema();
        SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).target(BEFORE_PARTIAL_INDEXES).load()
                .migrate();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // As a run leaves the inbox that stopped after its first index and between its second's two steps.
            statement.execute("CREATE INDEX ix_inbox_event_account_partial ON inbox_event (account_id)"
                    + " WHERE account_id IS NOT NULL");
            statement.execute("DROP INDEX ix_inbox_event_account");
            statement.execute("ALTER INDEX ix_inbox_event_account_partial RENAME TO ix_inbox_event_account");
            statement.execute("CREATE INDEX ix_inbox_event_awaiting_partial ON inbox_event (awaiting_id)"
                    + " WHERE awaiting_id IS NOT NULL");
            statement.execute("DROP INDEX ix_inbox_event_awaiting");
        }

        SchemaMigration.migrate(dataSource, LIVE);

        assertEquals(PARTIAL_INBOX_INDEXES, inboxIndexes(dataSource, "%"));
    }

    @Test
    void theEmbeddedH2RunsTheSameScriptsWithoutConcurrently() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:migration-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        h2.setUser("billing");
        assertEquals(Map.of(SchemaMigration.CONCURRENTLY, "", SchemaMigration.PATTERN_OPS, ""),
                SchemaMigration.configure(h2, LIVE).getPlaceholders());

        assertEquals(latestVersion(h2), SchemaMigration.migrate(h2, LIVE).targetSchemaVersion);
    }

    // ---

    /** A connection of its own in the test's schema, beside the two of the pool Flyway uses. */
    private Connection connectToSchema() throws SQLException {
        Connection connection = TestPostgres.server().connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    private void awaitWaitingAlter(Connection connection) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (PreparedStatement waiting = connection.prepareStatement("""
                SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = 'inbox_event' AND l.mode = 'AccessExclusiveLock' AND NOT l.granted""")) {
            waiting.setString(1, schema);
            while (System.nanoTime() < deadline) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
        throw new AssertionError("the migration's ALTER TABLE never waited for the report's lock");
    }

    /**
     * The inbox's secondary indexes once V77 and V79 have run: seven partial, all valid, none left under a temporary
     * name.
     */
    private static final List<String> PARTIAL_INBOX_INDEXES = List.of(
            "ix_inbox_event_account | valid | partial", "ix_inbox_event_awaiting | valid | partial",
            "ix_inbox_event_created_id | valid | whole", "ix_inbox_event_customer | valid | partial",
            "ix_inbox_event_due | valid | partial", "ix_inbox_event_failing | valid | partial",
            "ix_inbox_event_object | valid | whole",
            "ix_inbox_event_payload_retention | valid | partial", "ix_inbox_event_received | valid | whole",
            "ix_inbox_event_status_created | valid | whole", "ix_inbox_event_tenant | valid | partial",
            "ix_inbox_event_type | valid | whole");

    /** The inbox's indexes whose names are {@code LIKE} the pattern: name, valid or not, partial or whole. */
    private List<String> inboxIndexes(HikariDataSource dataSource, String names) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement("""
                SELECT c.relname, i.indisvalid, i.indpred IS NOT NULL FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND i.indrelid = (SELECT t.oid FROM pg_class t WHERE t.relname = 'inbox_event'
                                                      AND t.relnamespace = n.oid)
                  AND NOT i.indisprimary AND c.relname LIKE ?
                ORDER BY c.relname""")) {
            query.setString(1, schema);
            query.setString(2, names);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1) + " | " + (rows.getBoolean(2) ? "valid" : "invalid") + " | "
                            + (rows.getBoolean(3) ? "partial" : "whole"));
                }
            }
        }
        return indexes;
    }

    private List<String> indexes(HikariDataSource dataSource) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement("""
                SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname IN ('ix_inbox_event_payload_retention', 'ix_event_attempt_finished')
                ORDER BY c.relname""")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1) + " | " + rows.getBoolean(2));
                }
            }
        }
        return indexes;
    }

    private static String lockTimeout(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW lock_timeout")) {
            row.next();
            return row.getString(1);
        }
    }

    /** The version of the newest migration script: where a complete migration leaves the schema. */
    private static String latestVersion(DataSource dataSource) {
        MigrationInfo[] all = SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).load().info().all();
        return all[all.length - 1].getVersion().getVersion();
    }

    private static String currentVersion(HikariDataSource dataSource) {
        return SchemaMigration.configure(dataSource, SchemaMigration.Online.none()).load().info().current()
                .getVersion().getVersion();
    }

    private static List<String> sqlStates(Throwable failure) {
        List<String> states = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                states.add(sql.getSQLState());
            }
        }
        assertFalse(states.isEmpty(), "no SQL error in " + failure);
        return states;
    }

    /**
     * Migrates while a transaction holds a snapshot older than the index builds: CONCURRENTLY waits for it before an
     * index is valid, and the migration gives up at its index lock timeout.
     */
    private void givesUpBehindAnOlderSnapshot(HikariDataSource dataSource, SchemaMigration.Online impatient)
            throws Exception {
        try (Connection report = connectToSchema()) {
            report.setAutoCommit(false);
            report.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement read = report.createStatement()) {
                read.executeQuery("SELECT COUNT(*) FROM inbox_event").close();
            }
            FlywayException failure = assertThrows(FlywayException.class,
                    () -> SchemaMigration.migrate(dataSource, impatient));
            assertTrue(sqlStates(failure).contains("55P03"), "gave up at its lock timeout: " + failure);
            report.rollback();
        }
    }
}
