package io.billing.tenant;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Operators' view of one tenant: its record, its customer mappings and its subscriptions. */
public class TenantQueries {

    public record Mapping(String customerId, String source, Instant createdAt, Instant updatedAt) {
    }

    public record Item(String itemId, String priceId, String productId, Long quantity) {
    }

    public record Subscription(String subscriptionId, String customerId, String status, Instant currentPeriodStart,
                               Instant currentPeriodEnd, Instant trialEnd, boolean cancelAtPeriodEnd,
                               Instant canceledAt, String orderId, List<Item> items) {
    }

    public record Tenant(String tenantId, String name, String status, Instant createdAt, List<Mapping> mappings,
                         List<Subscription> subscriptions) {
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

    /** The tenant with its customer mappings and subscriptions, if it is registered. */
    public Optional<Tenant> tenant(TenantId tenantId) throws SQLException {
        Optional<Tenant> registered = DatabaseFailures.read(data, entityManager -> {
            TenantRepository tenants = new JpaTenantRepository(entityManager);
            return tenants.find(tenantId).map(tenant -> new Tenant(tenant.id().value(), tenant.name(),
                    tenant.status(), tenant.createdAt(), tenants.customerMappings(tenantId).stream()
                    .map(m -> new Mapping(m.customerId(), m.source(), m.createdAt(), m.updatedAt())).toList(),
                    List.of()));
        });
        if (registered.isEmpty()) {
            return registered;
        }
        Tenant tenant = registered.get();
        try (Connection connection = data.dataSource().getConnection()) {
            return Optional.of(new Tenant(tenant.tenantId(), tenant.name(), tenant.status(), tenant.createdAt(),
                    tenant.mappings(), subscriptions(connection, tenantId.value())));
        }
    }

    /**
     * The tenant's subscriptions, read with SQL from the subscription tables: they are the subscription
     * package's, not entities of this one.
     */
    private static List<Subscription> subscriptions(Connection connection, String tenantId) throws SQLException {
        Map<String, List<Item>> items = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT subscription_id, item_id, price_id,"
                + " product_id, quantity FROM subscription_item WHERE tenant_id = ? ORDER BY subscription_id, item_id")) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    long quantity = row.getLong(5);
                    items.computeIfAbsent(row.getString(1), id -> new ArrayList<>()).add(new Item(row.getString(2),
                            row.getString(3), row.getString(4), row.wasNull() ? null : quantity));
                }
            }
        }
        List<Subscription> subscriptions = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT subscription_id, customer_id, status,"
                + " current_period_start, current_period_end, trial_end, cancel_at_period_end, canceled_at, order_id"
                + " FROM subscription WHERE tenant_id = ? ORDER BY subscription_id")) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    subscriptions.add(new Subscription(row.getString(1), row.getString(2), row.getString(3),
                            instant(row.getTimestamp(4)), instant(row.getTimestamp(5)), instant(row.getTimestamp(6)),
                            row.getBoolean(7), instant(row.getTimestamp(8)), row.getString(9),
                            items.getOrDefault(row.getString(1), List.of())));
                }
            }
        }
        return subscriptions;
    }

    private static Instant instant(Timestamp at) {
        return at == null ? null : at.toInstant();
    }
}
