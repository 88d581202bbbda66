package io.billing.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan catalogue: which features each Stripe product grants. Everyone sees it; admins set a product's
 * features (comma-separated; none removes the product), with a reason, audited. Entitlements follow at once.
 */
@Named
@RequestScoped
public class CatalogueBean {

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    private String product;
    private String features;
    private String reason;

    public List<Map.Entry<String, Set<String>>> getEntries() throws SQLException {
        return List.copyOf(facade.catalogue().entrySet());
    }

    public String joined(Set<String> granted) {
        return String.join(", ", new java.util.TreeSet<>(granted));
    }

    public void save() throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        Set<String> granted = new LinkedHashSet<>();
        Arrays.stream(features == null ? new String[0] : features.split(",")).map(String::trim)
                .filter(f -> !f.isEmpty()).forEach(granted::add);
        try {
            facade.setPlanFeatures(product, granted, caller.getName(), reason);
            AdminCaller.Messages.info(granted.isEmpty() ? product.trim() + " no longer grants anything."
                    : product.trim() + " now grants " + String.join(", ", granted) + ".");
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    public String getProduct() {
        return product;
    }

    public void setProduct(String product) {
        this.product = product;
    }

    public String getFeatures() {
        return features;
    }

    public void setFeatures(String features) {
        this.features = features;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
