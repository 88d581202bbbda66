package io.billing.entitlement;

import io.billing.platform.persistence.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Which features each Stripe product grants. Read from the {@code plan_feature} table, which is seeded from
 * configuration ({@code billing.catalogue.features}) while it is empty:
 * {@code prod_PRO=api_access,advanced_reports;prod_BUSINESS=api_access,advanced_reports,sso}. Keys are
 * Stripe product ids; feature names are the lookup keys the SaaS application checks (the same keys as
 * Stripe's Entitlements features, so that a summary from Stripe and the catalogue speak one language).
 */
public final class PlanCatalogue {

    private final Map<String, Set<String>> featuresByProduct;

    private PlanCatalogue(Map<String, Set<String>> featuresByProduct) {
        this.featuresByProduct = featuresByProduct;
    }

    public static PlanCatalogue parse(String configuration) {
        Map<String, Set<String>> features = new LinkedHashMap<>();
        if (configuration != null) {
            for (String plan : configuration.split(";")) {
                if (plan.isBlank()) {
                    continue;
                }
                int equals = plan.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("billing.catalogue.features: expected product=feature,feature in '"
                            + plan.trim() + "'");
                }
                Set<String> granted = new LinkedHashSet<>();
                for (String feature : plan.substring(equals + 1).split(",")) {
                    if (!feature.isBlank()) {
                        granted.add(feature.trim());
                    }
                }
                features.put(plan.substring(0, equals).trim(), Set.copyOf(granted));
            }
        }
        return new PlanCatalogue(Map.copyOf(features));
    }

    /**
     * Seeds the {@code plan_feature} table from this catalogue if the table is empty: configuration is the
     * starting point, the table is what the application reads (and operators will edit). Returns the
     * number of rows written.
     */
    public int seedIfEmpty(DataSource dataSource) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM plan_feature");
                 ResultSet row = count.executeQuery()) {
                row.next();
                if (row.getLong(1) > 0) {
                    return 0;
                }
            }
            int written = 0;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO plan_feature (product_id, feature) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (Map.Entry<String, Set<String>> product : featuresByProduct.entrySet()) {
                    for (String feature : product.getValue()) {
                        insert.setString(1, product.getKey());
                        insert.setString(2, feature);
                        written += insert.executeUpdate();
                    }
                }
            }
            return written;
        });
    }

    /** The catalogue as the {@code plan_feature} table holds it now. */
    public static PlanCatalogue load(Connection connection) throws SQLException {
        Map<String, Set<String>> features = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT product_id, feature FROM plan_feature ORDER BY product_id, feature");
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                features.computeIfAbsent(row.getString(1), p -> new LinkedHashSet<>()).add(row.getString(2));
            }
        }
        return new PlanCatalogue(Map.copyOf(features));
    }

    /** Every product the catalogue grants features for, with its features, in product order. */
    public Map<String, Set<String>> products() {
        return new java.util.TreeMap<>(featuresByProduct);
    }

    /**
     * Replaces the features a product grants (none removes it from the catalogue), audited with the set
     * before and after. Entitlements follow at once: they are derived from the table when asked.
     */
    public static void setFeatures(DataSource dataSource, java.time.Clock clock, String productId, Set<String> features,
                                   String actor, String reason) throws SQLException {
        if (productId == null || !productId.trim().matches("[A-Za-z0-9_]{1,255}")) {
            throw new IllegalArgumentException("a product id is letters, digits and underscores, like prod_PRO");
        }
        for (String feature : features) {
            if (!feature.matches("[a-z0-9_.:-]{1,255}")) {
                throw new IllegalArgumentException("a feature key is lower-case letters, digits and _ . : -, not '"
                        + feature + "'");
            }
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        String product = productId.trim();
        Transactions.inTransaction(dataSource, connection -> {
            Set<String> before = load(connection).featuresOf(product);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM plan_feature WHERE product_id = ?")) {
                delete.setString(1, product);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO plan_feature (product_id, feature) VALUES (?, ?)")) {
                for (String feature : new java.util.TreeSet<>(features)) {
                    insert.setString(1, product);
                    insert.setString(2, feature);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            io.billing.audit.AuditLog.record(connection, clock.instant(), actor, "SET_PLAN_FEATURES", "product", product,
                    String.join(",", new java.util.TreeSet<>(before)), String.join(",", new java.util.TreeSet<>(features)),
                    reason);
            return null;
        });
    }

    /** The features a product grants; none for a product the catalogue does not know. */
    public Set<String> featuresOf(String productId) {
        return productId == null ? Set.of() : featuresByProduct.getOrDefault(productId, Set.of());
    }
}
