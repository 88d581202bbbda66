package io.billing.platform.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings the schema of the application's data source ({@value #DATA_SOURCE}, defined by the WAR) up to
 * date. Flyway owns the schema; JPA never generates it.
 *
 * <p>The WAR calls {@link #migrate()} when its servlet context starts, before the webhook can accept a
 * request: earlier, during CDI start-up, Payara has not bound the application's data source yet. A failed
 * migration fails the deployment loudly instead of leaving a half-working service.
 */
@ApplicationScoped
public class SchemaMigration {

    public static final String DATA_SOURCE = "java:app/jdbc/billing";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    public void migrate() {
        MigrateResult result = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info(() -> "Database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
    }
}
