package io.billing.connector;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.tenant.TenantId;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The licence service's users of a tenant's customers, as support sees them. */
public final class LicenceUsers {

    /**
     * A customer's user.
     *
     * @param userId   the licence service's id; null until it has answered
     * @param inSync   whether the licence service has the e-mail address and name shown
     * @param syncedAt when the licence service last answered for it
     */
    public record User(String customerId, String email, String name, String userId, boolean inSync,
                       Instant syncedAt) {
    }

    private final DataAccess data;

    public LicenceUsers(DataAccess data) {
        this.data = data;
    }

    public List<User> of(TenantId tenant) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaLicenceUserRepository(entityManager).ofTenant(tenant)
                .stream().map(u -> new User(u.customerId(), u.email(), u.name(), u.userId(), u.inSync(),
                        u.syncedAt())).toList());
    }
}
