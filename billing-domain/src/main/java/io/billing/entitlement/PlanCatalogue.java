package io.billing.entitlement;

import io.billing.audit.AuditLog;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which features each Stripe product grants. Read from the {@code plan_feature} table
 * ({@link PlanCatalogueRepository}), which is seeded from configuration ({@code billing.catalogue.features})
 * while it is empty: {@code prod_PRO=api_access,advanced_reports;prod_BUSINESS=api_access,advanced_reports,sso}.
 * Keys are Stripe product ids; feature names are the lookup keys the SaaS application checks (the same keys as
 * Stripe's Entitlements features, so that a summary from Stripe and the catalogue speak one language).
 */
public final class PlanCatalogue {

    private final Map<String, Set<String>> featuresByProduct;

    private PlanCatalogue(Map<String, Set<String>> featuresByProduct) {
        this.featuresByProduct = featuresByProduct;
    }

    /** A catalogue of these products' features, each product's in the order given. */
    static PlanCatalogue of(Map<String, Set<String>> featuresByProduct) {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        featuresByProduct.forEach((product, features) ->
                copy.put(product, Collections.unmodifiableSet(new LinkedHashSet<>(features))));
        return new PlanCatalogue(Map.copyOf(copy));
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
                features.put(plan.substring(0, equals).trim(), granted);
            }
        }
        return of(features);
    }

    /**
     * Seeds the {@code plan_feature} table from this catalogue if the table is empty: configuration is the
     * starting point, the table is what the application reads (and operators edit). Returns the number of
     * rows written.
     */
    public int seedIfEmpty(DataAccess data) throws SQLException {
        return DatabaseFailures.inTransaction(data, unit -> {
            PlanCatalogueRepository table = new JpaPlanCatalogueRepository(unit.entityManager());
            if (!table.isEmpty()) {
                return 0;
            }
            int written = 0;
            for (Map.Entry<String, Set<String>> product : featuresByProduct.entrySet()) {
                for (String feature : product.getValue()) {
                    written += table.addIfAbsent(product.getKey(), feature) ? 1 : 0;
                }
            }
            return written;
        });
    }

    /** The catalogue as the {@code plan_feature} table holds it now. */
    public static PlanCatalogue load(DataAccess data) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaPlanCatalogueRepository(entityManager).catalogue());
    }

    /** Every product the catalogue grants features for, with its features, in product order. */
    public Map<String, Set<String>> products() {
        return new TreeMap<>(featuresByProduct);
    }

    /**
     * Replaces the features a product grants (none removes it from the catalogue), audited with the set
     * before and after. Entitlements follow at once: they are derived from the table when asked.
     */
    public static void setFeatures(DataAccess data, Clock clock, String productId, Set<String> features,
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
        DatabaseFailures.inTransaction(data, unit -> {
            Set<String> before = new JpaPlanCatalogueRepository(unit.entityManager())
                    .replaceFeatures(product, features);
            AuditLog.record(unit.connection(), clock.instant(), actor, "SET_PLAN_FEATURES", "product", product,
                    String.join(",", new TreeSet<>(before)), String.join(",", new TreeSet<>(features)), reason);
            return null;
        });
    }

    /** The features a product grants; none for a product the catalogue does not know. */
    public Set<String> featuresOf(String productId) {
        return productId == null ? Set.of() : featuresByProduct.getOrDefault(productId, Set.of());
    }
}
