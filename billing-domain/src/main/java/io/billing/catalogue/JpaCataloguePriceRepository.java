package io.billing.catalogue;

import io.billing.platform.persistence.LockingReads;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/** {@link CataloguePriceRepository} on the persistence unit. */
public class JpaCataloguePriceRepository implements CataloguePriceRepository {

    private final EntityManager entityManager;

    public JpaCataloguePriceRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<CataloguePrice> findForUpdate(String priceId) {
        return LockingReads.lockedById(entityManager, CataloguePrice.LOCKED_BY_ID, CataloguePrice.class, priceId);
    }

    @Override
    public void add(CataloguePrice price) {
        entityManager.persist(price);
    }

    @Override
    public Optional<CataloguePrice> find(String priceId) {
        return Optional.ofNullable(entityManager.find(CataloguePrice.class, priceId));
    }

    @Override
    public List<CataloguePrice> activePrices(String productId, boolean recurring) {
        return entityManager.createNamedQuery(recurring ? CataloguePrice.ACTIVE_RECURRING_OF_PRODUCT
                        : CataloguePrice.ACTIVE_ONE_TIME_OF_PRODUCT, CataloguePrice.class)
                .setParameter("product", productId)
                .getResultList();
    }
}
