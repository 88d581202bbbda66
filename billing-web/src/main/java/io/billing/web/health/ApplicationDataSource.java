package io.billing.web.health;

import io.billing.platform.persistence.SchemaMigration;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The application's data source, looked up when a check first runs: Payara creates health checks while
 * deploying, before the data source the application defines is bound, so they cannot have it injected.
 */
final class ApplicationDataSource {

    private ApplicationDataSource() {
    }

    static DataSource lookup() throws NamingException {
        return InitialContext.doLookup(SchemaMigration.DATA_SOURCE);
    }
}
