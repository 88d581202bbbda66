package io.billing.tenant;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Operators' view of the tenants: one tenant's record and its customer mappings, the list of tenants and the list of
 * every mapping, each searched by the start of an id and read a page at a time by keyset (nothing counted, nothing
 * read whole: a search by the start of an id is served by the indexes of {@code V70} to {@code V74}). Its
 * subscriptions are the subscription package's ({@code io.billing.subscription.SubscriptionQueries}), which depends
 * on this one for the tenant's id.
 */
public class TenantQueries {

    /** A tenant as the list of tenants shows it. */
    public record Registered(String tenantId, String name, String status, Instant createdAt) {
    }

    /**
     * A page of tenants, the most recently registered first.
     *
     * @param next where the next page starts (a URL parameter); null on the last page
     */
    public record TenantPage(List<Registered> tenants, String next) {
    }

    /**
     * A customer's or a Stripe Connect account's mapping, as the list of every mapping shows it.
     *
     * @param kind {@link #CUSTOMER} or {@link #ACCOUNT}
     * @param id   the customer's or the account's Stripe id
     */
    public record MappingRow(String kind, String id, String tenantId, String source, Instant updatedAt) {
        public static final String CUSTOMER = "customer";
        public static final String ACCOUNT = "account";
    }

    /**
     * A page of mappings: customers' by id, then Connect accounts' by id.
     *
     * @param next where the next page starts (a URL parameter); null on the last page
     */
    public record MappingPage(List<MappingRow> mappings, String next) {
    }

    private static final int MAX_SEARCH = 255;

    public record Mapping(String customerId, String source, Instant createdAt, Instant updatedAt) {
    }

    public record Tenant(String tenantId, String name, String status, Instant createdAt, List<Mapping> mappings) {
    }

    private final DataAccess data;

    public TenantQueries(DataAccess data) {
        this.data = data;
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

    /**
     * A page of tenants, the most recently registered first (then by id), those whose id starts with
     * {@code search} where it is given.
     *
     * @param after where the page starts: a {@link TenantPage#next()} of the same search; null for the first page
     */
    public TenantPage tenants(String search, String after, int size) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT tenant_id, name, status, created_at FROM tenant WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        String prefix = prefixPattern(search);
        if (prefix != null) {
            sql.append(" AND tenant_id LIKE ?");
            parameters.add(prefix);
        }
        int at = after == null ? -1 : after.indexOf('~');
        if (at > 0) {
            try {
                Timestamp created = Timestamp.from(Instant.parse(after.substring(0, at)));
                // The order is newest first, then by id: the range on created_at is the index's, the rest a filter.
                sql.append(" AND created_at <= ? AND (created_at < ? OR tenant_id > ?)");
                parameters.add(created);
                parameters.add(created);
                parameters.add(after.substring(at + 1));
            } catch (DateTimeParseException malformed) {
                // a hand-made cursor: the first page
            }
        }
        sql.append(" ORDER BY created_at DESC, tenant_id LIMIT ?");
        parameters.add(size + 1);
        List<Registered> rows = new ArrayList<>();
        try (Connection connection = data.dataSource().getConnection();
             PreparedStatement query = prepare(connection, sql.toString(), parameters);
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(new Registered(row.getString(1), row.getString(2), row.getString(3),
                        row.getTimestamp(4).toInstant()));
            }
        }
        if (rows.size() <= size) {
            return new TenantPage(rows, null);
        }
        Registered last = rows.get(size - 1);
        return new TenantPage(rows.subList(0, size), last.createdAt() + "~" + last.tenantId());
    }

    /**
     * A page of every mapping, customers' first, then Connect accounts', each by id; where {@code search} is given,
     * those whose Stripe id or tenant id starts with it.
     *
     * @param after where the page starts: a {@link MappingPage#next()} of the same search; null for the first page
     */
    public MappingPage mappings(String search, String after, int size) throws SQLException {
        String prefix = prefixPattern(search);
        int at = after == null ? -1 : after.indexOf('~');
        String afterKind = at > 0 ? after.substring(0, at) : null;
        String afterId = at > 0 ? after.substring(at + 1) : null;
        List<MappingRow> rows = new ArrayList<>();
        try (Connection connection = data.dataSource().getConnection()) {
            if (!MappingRow.ACCOUNT.equals(afterKind)) {
                rows.addAll(mappings(connection, MappingRow.CUSTOMER, "tenant_mapping", "customer_id", prefix,
                        MappingRow.CUSTOMER.equals(afterKind) ? afterId : null, size + 1));
            }
            if (rows.size() <= size) {
                rows.addAll(mappings(connection, MappingRow.ACCOUNT, "tenant_account_mapping", "account_id", prefix,
                        MappingRow.ACCOUNT.equals(afterKind) ? afterId : null, size + 1 - rows.size()));
            }
        }
        if (rows.size() <= size) {
            return new MappingPage(rows, null);
        }
        MappingRow last = rows.get(size - 1);
        return new MappingPage(rows.subList(0, size), last.kind() + "~" + last.id());
    }

    private static List<MappingRow> mappings(Connection connection, String kind, String table, String key,
                                             String prefix, String after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + key + ", tenant_id, source, updated_at FROM " + table
                + " WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (prefix != null) {
            sql.append(" AND (").append(key).append(" LIKE ? OR tenant_id LIKE ?)");
            parameters.add(prefix);
            parameters.add(prefix);
        }
        if (after != null) {
            sql.append(" AND ").append(key).append(" > ?");
            parameters.add(after);
        }
        sql.append(" ORDER BY ").append(key).append(" LIMIT ?");
        parameters.add(limit);
        List<MappingRow> rows = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, sql.toString(), parameters);
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(new MappingRow(kind, row.getString(1), row.getString(2), row.getString(3),
                        row.getTimestamp(4).toInstant()));
            }
        }
        return rows;
    }

    /**
     * The LIKE pattern of values that start with the search (its own {@code %}, {@code _} and {@code \} taken
     * literally: Stripe's ids hold underscores), or null for no search.
     */
    static String prefixPattern(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        String text = search.trim();
        if (text.length() > MAX_SEARCH) {
            throw new IllegalArgumentException("a search is at most " + MAX_SEARCH + " characters");
        }
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }
}
