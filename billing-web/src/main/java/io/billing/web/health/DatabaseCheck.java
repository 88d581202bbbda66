package io.billing.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.SQLException;

/** Ready only while the database answers within two seconds: without it nothing can be stored. */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {


    @Override
    public HealthCheckResponse call() {
        try (Connection connection = ApplicationDataSource.lookup().getConnection()) {
            return HealthCheckResponse.named("database").status(connection.isValid(2)).build();
        } catch (SQLException | javax.naming.NamingException e) {
            return HealthCheckResponse.named("database").down()
                    .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
