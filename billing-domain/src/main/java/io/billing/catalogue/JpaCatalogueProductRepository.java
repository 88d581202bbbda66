package io.billing.catalogue;

import io.billing.platform.persistence.LockingReads;
import jakarta.persistence.EntityManager;

import java.util.Optional;

/** {@link CatalogueProductRepository} on the persistence unit. */
public class JpaCatalogueProductRepository implements CatalogueProductRepository {

    private final EntityManager entityManager;

    public JpaCatalogueProductRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<CatalogueProduct> findForUpdate(String productId) {
        return LockingReads.lockedById(entityManager, CatalogueProduct.LOCKED_BY_ID, CatalogueProduct.class, productId);
    }

    @Override
    public Optional<CatalogueProduct> find(String productId) {
        return Optional.ofNullable(entityManager.find(CatalogueProduct.class, productId));
    }

    @Override
    public void add(CatalogueProduct product) {
        entityManager.persist(product);
    }
}
