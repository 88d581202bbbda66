package io.billing.composition;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/** The application's data source and its persistence unit, as one {@link DataAccess} bean. */
@ApplicationScoped
public class PersistenceConfiguration {

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** One per application ({@code @Singleton}: DataAccess is final, so it gets no client proxy). */
    @Produces
    @Singleton
    DataAccess dataAccess() {
        return DataAccess.over(dataSource);
    }

    void close(@Disposes DataAccess data) {
        data.close();
    }
}
