package io.billing.platform.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings the schema of the application's data source ({@value #DATA_SOURCE}, defined by the WAR) up to
 * date. Flyway owns the schema; JPA never generates it.
 *
 * <p>The WAR calls {@link #migrate()} when its servlet context starts, before the webhook can accept a
 * request: earlier, during CDI start-up, Payara has not bound the application's data source yet. A failed
 * migration fails the deployment loudly instead of leaving a half-working service.
 *
 * <p>Every place that migrates (the WAR, the tests, the benchmarks) goes through {@link #configure}, so the
 * scripts' placeholders always have their values. A node migrates while the other nodes of the cluster keep
 * taking webhooks ({@link Online#live}): on PostgreSQL, {@code ${concurrently}} in a script is
 * {@code CONCURRENTLY}, so an index is built without locking writers out, and every migration runs under a
 * lock timeout, so a schema change that has to wait for a lock gives up instead of queueing the intake behind
 * it. A database that nothing else uses yet ({@link Online#none()}: a test's or a benchmark's new schema) and H2
 * (the embedded default, one node, no {@code CONCURRENTLY}) get {@code ${concurrently}} empty and no timeout.
 */
@ApplicationScoped
public class SchemaMigration {

    public static final String DATA_SOURCE = "java:app/jdbc/billing";

    /** The placeholder an index migration writes after {@code CREATE INDEX} and {@code DROP INDEX}. */
    public static final String CONCURRENTLY = "concurrently";

    /**
     * The placeholder an index migration writes after a column whose values are searched by their start
     * ({@code LIKE 'cus_AB%'}): PostgreSQL's {@code varchar_pattern_ops}, without which a database of any collation but
     * {@code C} cannot use the index for such a search; empty on H2, whose indexes serve it as they are.
     */
    public static final String PATTERN_OPS = "pattern_ops";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "billing.migration.lock-timeout-ms", defaultValue = "2000")
    long lockTimeoutMillis;

    @Inject
    @ConfigProperty(name = "billing.migration.index-lock-timeout-ms", defaultValue = "60000")
    long indexLockTimeoutMillis;

    /**
     * How a migration may lock a database that serves traffic while it runs.
     *
     * @param live             whether other sessions use the database while it is migrated
     * @param lockTimeout      on PostgreSQL, how long a migration that runs in a transaction (the DDL: new
     *                         tables, new columns) may wait for a lock; whatever queues behind its lock waits at
     *                         most this long
     * @param indexLockTimeout on PostgreSQL, how long a concurrent index build may wait for the transactions
     *                         that were running when it started; nothing queues behind it, so it may be longer
     */
    public record Online(boolean live, Duration lockTimeout, Duration indexLockTimeout) {

        public Online {
            if (live && (lockTimeout.isNegative() || lockTimeout.isZero() || indexLockTimeout.isNegative()
                    || indexLockTimeout.isZero())) {
                throw new IllegalArgumentException("a live migration needs positive lock timeouts");
            }
        }

        /** A database in use: indexes built concurrently, every lock wait bounded (on PostgreSQL). */
        public static Online live(Duration lockTimeout, Duration indexLockTimeout) {
            return new Online(true, lockTimeout, indexLockTimeout);
        }

        /** A database nothing else uses while it is migrated: a new schema, built in one pass. */
        public static Online none() {
            return new Online(false, Duration.ZERO, Duration.ZERO);
        }
    }

    /** Migrates the application's data source, which other nodes may be using. */
    public void migrate() {
        MigrateResult result = migrate(dataSource, Online.live(Duration.ofMillis(lockTimeoutMillis),
                Duration.ofMillis(indexLockTimeoutMillis)));
        LOG.info(() -> "Database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
    }

    public static MigrateResult migrate(DataSource dataSource, Online online) {
        return configure(dataSource, online).load().migrate();
    }

    /** Flyway over the data source with this schema's migrations and the placeholders and locks they need. */
    public static FluentConfiguration configure(DataSource dataSource, Online online) {
        boolean postgres = isPostgres(dataSource);
        boolean live = online.live() && postgres;
        FluentConfiguration configuration = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of(CONCURRENTLY, live ? "CONCURRENTLY" : "",
                        PATTERN_OPS, postgres ? "varchar_pattern_ops" : ""));
        if (postgres) {
            // Flyway's default on PostgreSQL holds its advisory lock in a transaction that stays open while a
            // non-transactional migration runs on a second connection; CREATE INDEX CONCURRENTLY waits for every
            // open transaction, that one included, and would wait forever (flyway/flyway#3508; with it,
            // SchemaMigrationTest's live migration gives up at its index lock timeout). A session lock serves
            // the same purpose, one node migrating at a time, without a transaction.
            configuration.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class)
                    .setTransactionalLock(false);
        }
        if (live) {
            configuration.callbacks(new LockTimeouts(online.lockTimeout(), online.indexLockTimeout()));
        }
        return configuration;
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return Databases.isPostgres(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the database did not answer before its migration", e);
        }
    }
}
