package io.billing.entitlement;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which features each Stripe product grants, from configuration ({@code billing.catalogue.features}):
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

    /** The features a product grants; none for a product the catalogue does not know. */
    public Set<String> featuresOf(String productId) {
        return productId == null ? Set.of() : featuresByProduct.getOrDefault(productId, Set.of());
    }
}
