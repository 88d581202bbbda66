package io.billing.tenant;

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
import javax.sql.DataSource;

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

    private final DataSource dataSource;

    public TenantQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The tenant, if it is registered. */
    /** The ids of the most recently registered tenants, newest first. */
    public List<String> recent(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT tenant_id FROM tenant ORDER BY created_at DESC, tenant_id LIMIT ?")) {
            query.setInt(1, limit);
            try (ResultSet rows = query.executeQuery()) {
                List<String> ids = new java.util.ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
    }

    public Optional<Tenant> tenant(String tenantId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String name;
            String status;
            Instant createdAt;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT name, status, created_at FROM tenant WHERE tenant_id = ?")) {
                query.setString(1, tenantId);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    name = row.getString(1);
                    status = row.getString(2);
                    createdAt = instant(row.getTimestamp(3));
                }
            }
            return Optional.of(new Tenant(tenantId, name, status, createdAt, mappings(connection, tenantId),
                    subscriptions(connection, tenantId)));
        }
    }

    private static List<Mapping> mappings(Connection connection, String tenantId) throws SQLException {
        List<Mapping> mappings = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT customer_id, source, created_at, updated_at"
                + " FROM tenant_mapping WHERE tenant_id = ? ORDER BY customer_id")) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    mappings.add(new Mapping(row.getString(1), row.getString(2), instant(row.getTimestamp(3)),
                            instant(row.getTimestamp(4))));
                }
            }
        }
        return mappings;
    }

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
