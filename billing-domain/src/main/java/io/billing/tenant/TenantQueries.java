package io.billing.tenant;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Operators' view of one tenant: its record and its customer mappings. Its subscriptions are the subscription
 * package's ({@code io.billing.subscription.SubscriptionQueries}), which depends on this one for the tenant's id.
 */
public class TenantQueries {

    public record Mapping(String customerId, String source, Instant createdAt, Instant updatedAt) {
    }

    public record Tenant(String tenantId, String name, String status, Instant createdAt, List<Mapping> mappings) {
    }

    private final DataAccess data;

    public TenantQueries(DataAccess data) {
        this.data = data;
    }

    /** The ids of the most recently registered tenants, newest first. */
    public List<String> recent(int limit) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaTenantRepository(entityManager)
                .recentlyRegistered(limit).stream().map(tenant -> tenant.id().value()).toList());
    }

    /** The tenant with its customer mappings, if it is registered. */
    public Optional<Tenant> tenant(TenantId tenantId) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> {
            TenantRepository tenants = new JpaTenantRepository(entityManager);
            return tenants.find(tenantId).map(tenant -> new Tenant(tenant.id().value(), tenant.name(),
                    tenant.status(), tenant.createdAt(), tenants.customerMappings(tenantId).stream()
                    .map(m -> new Mapping(m.customerId(), m.source(), m.createdAt(), m.updatedAt())).toList()));
        });
    }
}
