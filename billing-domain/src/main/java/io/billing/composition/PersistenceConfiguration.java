package io.billing.composition;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

import javax.sql.DataSource;

/** The application's data source and its persistence unit, as one {@link DataAccess} bean. */
@ApplicationScoped
public class PersistenceConfiguration {

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @PersistenceUnit(unitName = DataAccess.UNIT)
    EntityManagerFactory entityManagers;

    @Produces
    @ApplicationScoped
    DataAccess dataAccess() {
        return DataAccess.of(dataSource, entityManagers);
    }
}
