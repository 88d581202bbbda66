package io.billing.entitlement;

import java.util.Set;

/**
 * The plan catalogue's table: which features each product grants ({@link JpaPlanCatalogueRepository}). The
 * catalogue is the merchant's, shared by every tenant, so nothing here takes a tenant.
 */
public interface PlanCatalogueRepository {

    /** The catalogue as the table holds it now. */
    PlanCatalogue catalogue();

    boolean isEmpty();

    /** Adds a product's feature unless it is there; returns whether it was added. */
    boolean addIfAbsent(String productId, String feature);

    /**
     * Replaces the features a product grants (none removes the product) and returns the ones it granted
     * before. The product's rows are locked first, so that of two edits at once the second replaces what
     * the first left and says so.
     */
    Set<String> replaceFeatures(String productId, Set<String> features);
}
