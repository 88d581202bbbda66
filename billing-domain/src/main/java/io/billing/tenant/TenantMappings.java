package io.billing.tenant;

import io.billing.audit.AuditLog;
import io.billing.platform.persistence.Transactions;
import io.billing.inbox.InboxRequeue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Customer-to-tenant mappings. A mapping is learnt from the first event that names both (see
 * {@link StripeTenantResolver}) or set by an operator; either way the events parked as UNMAPPED for
 * that customer go back to the queue in the same transaction, the tenant is registered if it is new, and
 * the change is audited with who (an operator, or {@code stripe} and the event), when, before and after.
 */
public class TenantMappings {

    private static final String LEARN_SQL = """
            INSERT INTO tenant_mapping (customer_id, tenant_id, source, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    /** Re-queues the events parked for one key of a kind of mapping, in the caller's transaction. */
    @FunctionalInterface
    private interface ParkedRequeue {
        int requeue(Connection connection, String key, Instant now, String reason) throws SQLException;
    }

    /**
     * A kind of mapping: its table and key column, how the events parked for a key are re-queued, and its
     * names in the audit log.
     */
    private record Kind(String table, String keyColumn, ParkedRequeue parked, String targetType,
                        String actionPrefix) {
    }

    private static final Kind CUSTOMER = new Kind("tenant_mapping", "customer_id", InboxRequeue::parkedForCustomer,
            "customer", "MAPPING");
    private static final Kind ACCOUNT = new Kind("tenant_account_mapping", "account_id", InboxRequeue::parkedForAccount,
            "account", "ACCOUNT_MAPPING");
    private static final String REGISTER_TENANT_SQL =
            "INSERT INTO tenant (tenant_id, name, status, created_at) VALUES (?, ?, 'ACTIVE', ?) ON CONFLICT DO NOTHING";

    private final DataSource dataSource;
    private final Clock clock;

    public TenantMappings(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The tenant a customer is mapped to, or null. */
    public String tenantOf(Connection connection, String customerId) throws SQLException {
        return lookup(connection, CUSTOMER, customerId);
    }

    /** The tenant a Stripe Connect account is mapped to, or null. */
    public String tenantOfAccount(Connection connection, String accountId) throws SQLException {
        return lookup(connection, ACCOUNT, accountId);
    }

    public Optional<String> tenantOfAccount(String accountId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Optional.ofNullable(tenantOfAccount(connection, accountId));
        }
    }

    /**
     * Maps every event of a Stripe Connect account to a tenant, by hand; re-queues the account's parked
     * events. Returns how many were re-queued.
     */
    public int putAccount(String accountId, String tenantId, String actor, String reason) throws SQLException {
        return set(ACCOUNT, accountId, tenantId, actor, reason);
    }

    /** Removes a Connect account's mapping by hand. Returns false if there was none. */
    public boolean removeAccount(String accountId, String actor, String reason) throws SQLException {
        return delete(ACCOUNT, accountId, actor, reason);
    }

    public Optional<String> tenantOf(String customerId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Optional.ofNullable(tenantOf(connection, customerId));
        }
    }

    /**
     * The Stripe customer a tenant pays as: the one mapped to it most recently, or null. A tenant is one
     * customer for Checkout and the Billing Portal; older mappings still resolve their events.
     */
    public String customerOf(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT customer_id FROM tenant_mapping WHERE tenant_id = ? ORDER BY updated_at DESC, customer_id LIMIT 1")) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Records the customer this service created in Stripe for a tenant (for its first Checkout). */
    public void recordCreatedCustomer(Connection connection, String customerId, String tenantId, Instant now)
            throws SQLException {
        learn(connection, customerId, tenantId, "customer created for checkout", now);
    }

    /** Records a mapping read from an event, unless one exists; re-queues the customer's parked events. */
    void learn(Connection connection, String customerId, String tenantId, String source, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(LEARN_SQL)) {
            insert.setString(1, customerId);
            insert.setString(2, tenantId);
            insert.setString(3, source);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setTimestamp(5, Timestamp.from(now));
            if (insert.executeUpdate() == 1) {
                registerTenant(connection, tenantId, now);
                AuditLog.record(connection, now, "stripe", "MAPPING_LEARNT", "customer", customerId, null, tenantId,
                        source);
                InboxRequeue.parkedAwaiting(connection, customerId, now,
                        "re-queued: customer " + customerId + " mapped to " + tenantId + " by " + source);
            }
        }
    }

    /**
     * Sets (adds or changes) a customer's mapping by hand. Returns the number of parked events re-queued.
     */
    public int put(String customerId, String tenantId, String actor, String reason) throws SQLException {
        return set(CUSTOMER, customerId, tenantId, actor, reason);
    }

    /** Removes a customer's mapping by hand. Returns false if there was none. */
    public boolean remove(String customerId, String actor, String reason) throws SQLException {
        return delete(CUSTOMER, customerId, actor, reason);
    }

    private static String lookup(Connection connection, Kind kind, String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT tenant_id FROM " + kind.table() + " WHERE " + kind.keyColumn() + " = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Adds or changes a mapping by hand, audited; re-queues the events parked for its key. */
    private int set(Kind kind, String key, String tenantId, String actor, String reason) throws SQLException {
        requireText(key, kind.targetType() + " id");
        requireText(tenantId, "tenant id");
        requireText(actor, "actor");
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            String before = lookup(connection, kind, key);
            if (tenantId.equals(before)) {
                return 0;
            }
            String sql = before == null
                    ? "INSERT INTO " + kind.table() + " (tenant_id, source, updated_at, created_at, " + kind.keyColumn()
                            + ") VALUES (?, ?, ?, ?, ?)"
                    : "UPDATE " + kind.table() + " SET tenant_id = ?, source = ?, updated_at = ? WHERE "
                            + kind.keyColumn() + " = ?";
            try (PreparedStatement write = connection.prepareStatement(sql)) {
                int at = 1;
                write.setString(at++, tenantId);
                write.setString(at++, "operator " + actor);
                write.setTimestamp(at++, Timestamp.from(now));
                if (before == null) {
                    write.setTimestamp(at++, Timestamp.from(now));
                }
                write.setString(at, key);
                write.executeUpdate();
            }
            registerTenant(connection, tenantId, now);
            AuditLog.record(connection, now, actor, kind.actionPrefix() + (before == null ? "_ADDED" : "_CHANGED"),
                    kind.targetType(), key, before, tenantId, reason);
            return kind.parked().requeue(connection, key, now,
                    "re-queued: " + kind.targetType() + " " + key + " mapped to " + tenantId + " by " + actor);
        });
    }

    /** Removes a mapping by hand, audited. Returns false if there was none. */
    private boolean delete(Kind kind, String key, String actor, String reason) throws SQLException {
        requireText(actor, "actor");
        return Transactions.inTransaction(dataSource, connection -> {
            String before = lookup(connection, kind, key);
            if (before == null) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + kind.table() + " WHERE " + kind.keyColumn() + " = ?")) {
                delete.setString(1, key);
                delete.executeUpdate();
            }
            AuditLog.record(connection, clock.instant(), actor, kind.actionPrefix() + "_REMOVED", kind.targetType(),
                    key, before, null, reason);
            return true;
        });
    }

    /** Registers a tenant the first time a mapping names it (named by its id until someone renames it). */
    private static void registerTenant(Connection connection, String tenantId, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(REGISTER_TENANT_SQL)) {
            insert.setString(1, tenantId);
            insert.setString(2, tenantId);
            insert.setTimestamp(3, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException(name + " must be 1 to 255 characters");
        }
    }
}
