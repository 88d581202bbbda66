package io.billing.catalogue;

import java.util.Optional;

/**
 * The catalogue's products ({@link JpaCatalogueProductRepository}). The merchant's, shared by every tenant, so
 * nothing here takes a tenant.
 */
public interface CatalogueProductRepository {

    /**
     * The product, locked until the transaction ends, or empty if it is not known yet: the snapshot guard's
     * read, on which two workers applying snapshots of one product serialise.
     */
    Optional<CatalogueProduct> findForUpdate(String productId);

    /** The product as last known, without a lock: for reads such as what a checkout may sell. */
    Optional<CatalogueProduct> find(String productId);

    /** Adds a product first seen; a second worker adding it at once fails on the key and runs again. */
    void add(CatalogueProduct product);
}
