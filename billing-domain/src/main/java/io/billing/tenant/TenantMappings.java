package io.billing.tenant;

import io.billing.audit.AuditLog;
import io.billing.platform.persistence.Transactions;
import io.billing.processing.InboxRequeue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Customer-to-tenant mappings. A mapping is learnt from the first event that names both (see
 * {@link StripeTenantResolver}) or set by an operator; either way the events parked as UNMAPPED for
 * that customer go back to the queue in the same transaction, the tenant is registered if it is new, and
 * the change is audited with who (an operator, or {@code stripe} and the event), when, before and after.
 */
public class TenantMappings {

    private static final String SELECT_SQL = "SELECT tenant_id FROM tenant_mapping WHERE customer_id = ?";
    private static final String LEARN_SQL = """
            INSERT INTO tenant_mapping (customer_id, tenant_id, source, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String UPDATE_SQL =
            "UPDATE tenant_mapping SET tenant_id = ?, source = ?, updated_at = ? WHERE customer_id = ?";
    private static final String DELETE_SQL = "DELETE FROM tenant_mapping WHERE customer_id = ?";
    private static final String ACCOUNT_SELECT_SQL = "SELECT tenant_id FROM tenant_account_mapping WHERE account_id = ?";
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
        try (PreparedStatement query = connection.prepareStatement(SELECT_SQL)) {
            query.setString(1, customerId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** The tenant a Stripe Connect account is mapped to, or null. */
    public String tenantOfAccount(Connection connection, String accountId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(ACCOUNT_SELECT_SQL)) {
            query.setString(1, accountId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
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
        requireText(accountId, "account id");
        requireText(tenantId, "tenant id");
        requireText(actor, "actor");
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            String before = tenantOfAccount(connection, accountId);
            if (tenantId.equals(before)) {
                return 0;
            }
            try (PreparedStatement write = connection.prepareStatement(before == null
                    ? "INSERT INTO tenant_account_mapping (tenant_id, source, created_at, updated_at, account_id)"
                            + " VALUES (?, ?, ?, ?, ?)"
                    : "UPDATE tenant_account_mapping SET tenant_id = ?, source = ?,"
                            + " updated_at = ? WHERE account_id = ?")) {
                int at = 1;
                write.setString(at++, tenantId);
                write.setString(at++, "operator " + actor);
                if (before == null) {
                    write.setTimestamp(at++, Timestamp.from(now));
                }
                write.setTimestamp(at++, Timestamp.from(now));
                write.setString(at, accountId);
                write.executeUpdate();
            }
            registerTenant(connection, tenantId, now);
            AuditLog.record(connection, now, actor, before == null ? "ACCOUNT_MAPPING_ADDED" : "ACCOUNT_MAPPING_CHANGED",
                    "account", accountId, before, tenantId, reason);
            return InboxRequeue.requeue(connection, "status = 'UNMAPPED' AND account_id = ?", List.of(accountId), now,
                    "re-queued: account " + accountId + " mapped to " + tenantId + " by " + actor);
        });
    }

    /** Removes a Connect account's mapping by hand. Returns false if there was none. */
    public boolean removeAccount(String accountId, String actor, String reason) throws SQLException {
        requireText(actor, "actor");
        return Transactions.inTransaction(dataSource, connection -> {
            String before = tenantOfAccount(connection, accountId);
            if (before == null) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM tenant_account_mapping WHERE account_id = ?")) {
                delete.setString(1, accountId);
                delete.executeUpdate();
            }
            AuditLog.record(connection, clock.instant(), actor, "ACCOUNT_MAPPING_REMOVED", "account", accountId, before,
                    null, reason);
            return true;
        });
    }

    public Optional<String> tenantOf(String customerId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Optional.ofNullable(tenantOf(connection, customerId));
        }
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
                InboxRequeue.unmappedAwaiting(connection, customerId, now,
                        "re-queued: customer " + customerId + " mapped to " + tenantId + " by " + source);
            }
        }
    }

    /**
     * Sets (adds or changes) a customer's mapping by hand. Returns the number of parked events re-queued.
     */
    public int put(String customerId, String tenantId, String actor, String reason) throws SQLException {
        requireText(customerId, "customer id");
        requireText(tenantId, "tenant id");
        requireText(actor, "actor");
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            String before = tenantOf(connection, customerId);
            if (tenantId.equals(before)) {
                return 0;
            }
            try (PreparedStatement write = connection.prepareStatement(before == null ? LEARN_SQL : UPDATE_SQL)) {
                if (before == null) {
                    write.setString(1, customerId);
                    write.setString(2, tenantId);
                    write.setString(3, "operator " + actor);
                    write.setTimestamp(4, Timestamp.from(now));
                    write.setTimestamp(5, Timestamp.from(now));
                } else {
                    write.setString(1, tenantId);
                    write.setString(2, "operator " + actor);
                    write.setTimestamp(3, Timestamp.from(now));
                    write.setString(4, customerId);
                }
                write.executeUpdate();
            }
            registerTenant(connection, tenantId, now);
            AuditLog.record(connection, now, actor, before == null ? "MAPPING_ADDED" : "MAPPING_CHANGED",
                    "customer", customerId, before, tenantId, reason);
            return InboxRequeue.unmappedOfCustomer(connection, customerId, now,
                    "re-queued: customer " + customerId + " mapped to " + tenantId + " by " + actor);
        });
    }

    /** Removes a customer's mapping by hand. Returns false if there was none. */
    public boolean remove(String customerId, String actor, String reason) throws SQLException {
        requireText(actor, "actor");
        return Transactions.inTransaction(dataSource, connection -> {
            String before = tenantOf(connection, customerId);
            if (before == null) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(DELETE_SQL)) {
                delete.setString(1, customerId);
                delete.executeUpdate();
            }
            AuditLog.record(connection, clock.instant(), actor, "MAPPING_REMOVED", "customer", customerId, before,
                    null, reason);
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
