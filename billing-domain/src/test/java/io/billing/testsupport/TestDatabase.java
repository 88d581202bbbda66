package io.billing.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A migrated, pooled database for tests that run outside the container: a fresh schema in the real
 * PostgreSQL (dropped on close), or a fresh in-memory H2 in the embedded default's mode.
 *
 * <p>The PostgreSQL server is the one {@link TestPostgres} chooses: a configured one, the one at the default
 * address, or an embedded one the tests start themselves.
 */
public final class TestDatabase implements AutoCloseable {

    private final HikariDataSource pool;
    private final String schema;
    private final TestPostgres.Server server;

    private TestDatabase(HikariDataSource pool, String schema, TestPostgres.Server server) {
        this.pool = pool;
        this.schema = schema;
        this.server = server;
    }

    public static TestDatabase postgres() {
        return migrated(emptyPostgres());
    }

    public static TestDatabase h2() {
        return migrated(emptyH2());
    }

    /**
     * A database of the given kind migrated up to {@code version} and no further, for a test of the migrations after
     * it on the data an earlier version left; {@link #migrate()} brings it up to date.
     */
    public static TestDatabase upTo(boolean postgres, String version) {
        TestDatabase database = postgres ? emptyPostgres() : emptyH2();
        SchemaMigration.configure(database.pool, SchemaMigration.Online.none()).target(version).load().migrate();
        return database;
    }

    /** Applies every migration not applied yet. */
    public void migrate() {
        SchemaMigration.migrate(pool, SchemaMigration.Online.none());
    }

    private static TestDatabase emptyPostgres() {
        TestPostgres.Server server = TestPostgres.server();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = server.connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test schema on the PostgreSQL at " + server.url(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresSchemas.withSchema(server.url(), schema));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(16);
        return new TestDatabase(new HikariDataSource(config), schema, server);
    }

    private static TestDatabase emptyH2() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        config.setUsername("billing");
        config.setMaximumPoolSize(16);
        return new TestDatabase(new HikariDataSource(config), null, null);
    }

    private static TestDatabase migrated(TestDatabase database) {
        database.migrate();
        return database;
    }

    public DataSource dataSource() {
        return pool;
    }

    private DataAccess dataAccess;

    /** The application's persistence unit over this database, bootstrapped on first use and closed with it. */
    public synchronized DataAccess dataAccess() {
        if (dataAccess == null) {
            dataAccess = DataAccess.over(pool);
        }
        return dataAccess;
    }

    public boolean isPostgres() {
        return schema != null;
    }

    /** Runs SQL statements, each committed. */
    public void execute(String... sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /**
     * Empties the journal. Its rows are never deleted (the database refuses it, see {@code V42__ledger_guards}), so
     * the tables are truncated, which fires no row trigger: together on PostgreSQL; on H2, which truncates no table
     * that a foreign key references, with the journal entries' foreign key checks set aside for the moment.
     */
    public void emptyLedger() throws SQLException {
        if (isPostgres()) {
            execute("TRUNCATE journal_line, journal_entry");
        } else {
            execute("TRUNCATE TABLE journal_line", "ALTER TABLE journal_entry SET REFERENTIAL_INTEGRITY FALSE",
                    "TRUNCATE TABLE journal_entry", "ALTER TABLE journal_entry SET REFERENTIAL_INTEGRITY TRUE");
        }
    }

    /** Rows of a query as text, one line per row, columns joined with {@code " | "}, for comparing states. */
    public List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            ResultSetMetaData meta = row.getMetaData();
            while (row.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = row.getObject(i);
                    line.append(i > 1 ? " | " : "").append(value instanceof byte[] bytes ? new String(bytes) : value);
                }
                rows.add(line.toString());
            }
        }
        return rows;
    }

    /**
     * The plan PostgreSQL chooses for a query with sequential scans priced out: a query that can read an index does,
     * and one that cannot still shows its scan.
     */
    public String plan(String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            try (ResultSet rows = statement.executeQuery("EXPLAIN " + sql)) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            } finally {
                statement.execute("RESET enable_seqscan");
            }
        }
        return plan.toString();
    }

    /**
     * The plan PostgreSQL makes for a statement whose values are bound as the application binds them ({@code ?}), for
     * any values: a prepared statement's generic plan, with sequential scans priced out as in {@link #plan}. A partial
     * index shows in it only when the statement's own conditions imply the index's predicate, whatever the values.
     *
     * @param setAside indexes the planner is not to consider, dropped for the moment in a transaction that is rolled
     *                 back: on a test's small tables it may prefer one that real data would not
     */
    public String genericPlan(String sql, String... setAside) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        StringBuilder values = new StringBuilder();
        int parameters = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                numbered.append('$').append(++parameters);
                values.append(parameters > 1 ? ", " : "").append("NULL");
            } else {
                numbered.append(c);
            }
        }
        StringBuilder plan = new StringBuilder();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            boolean prepared = false;
            try {
                for (String index : setAside) {
                    statement.execute("DROP INDEX " + index);
                }
                statement.execute("SET LOCAL enable_seqscan = off");
                statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                statement.execute("PREPARE planned AS " + numbered);
                prepared = true;
                try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE planned"
                        + (parameters == 0 ? "" : "(" + values + ")"))) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
                if (prepared) {
                    statement.execute("DEALLOCATE planned"); // a prepared statement outlives its transaction
                }
            }
        }
        return plan.toString();
    }

    /** The single number a {@code SELECT COUNT(*)} (or similar) query returns. */
    public long count(String sql) throws SQLException {
        return Long.parseLong(rows(sql).get(0));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (dataAccess != null) {
                dataAccess.close();
            }
        }
        pool.close();
        if (schema != null) {
            try (Connection admin = server.connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + schema, e);
            }
        }
    }
}
