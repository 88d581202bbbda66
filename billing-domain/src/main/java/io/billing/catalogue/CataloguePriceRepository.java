package io.billing.catalogue;

import java.util.List;
import java.util.Optional;

/**
 * The catalogue's prices ({@link JpaCataloguePriceRepository}). The merchant's, shared by every tenant, so
 * nothing here takes a tenant.
 */
public interface CataloguePriceRepository {

    /**
     * The price, locked until the transaction ends, or empty if it is not known yet: the snapshot guard's
     * read, on which two workers applying snapshots of one price serialise.
     */
    Optional<CataloguePrice> findForUpdate(String priceId);

    /** Adds a price first seen; a second worker adding it at once fails on the key and runs again. */
    void add(CataloguePrice price);

    /** The price as last known, without a lock: for reads such as what a checkout may sell. */
    Optional<CataloguePrice> find(String priceId);

    /** The product's active prices, recurring or one-time, by id. */
    List<CataloguePrice> activePrices(String productId, boolean recurring);
}
