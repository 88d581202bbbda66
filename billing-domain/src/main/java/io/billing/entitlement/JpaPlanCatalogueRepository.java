package io.billing.entitlement;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link PlanCatalogueRepository} on the persistence unit. */
public class JpaPlanCatalogueRepository implements PlanCatalogueRepository {

    private final EntityManager entityManager;

    public JpaPlanCatalogueRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public PlanCatalogue catalogue() {
        Map<String, Set<String>> features = new LinkedHashMap<>();
        for (PlanFeature row : entityManager.createNamedQuery(PlanFeature.ALL, PlanFeature.class).getResultList()) {
            features.computeIfAbsent(row.productId(), product -> new LinkedHashSet<>()).add(row.feature());
        }
        return PlanCatalogue.of(features);
    }

    @Override
    public boolean isEmpty() {
        return entityManager.createNamedQuery(PlanFeature.COUNT, Long.class).getSingleResult() == 0;
    }

    @Override
    public boolean addIfAbsent(String productId, String feature) {
        return entityManager.createNamedQuery(PlanFeature.SEED)
                .setParameter(1, productId)
                .setParameter(2, feature)
                .executeUpdate() == 1;
    }

    @Override
    public Set<String> replaceFeatures(String productId, Set<String> features) {
        List<PlanFeature> rows = entityManager.createNamedQuery(PlanFeature.OF_PRODUCT, PlanFeature.class)
                .setParameter("product", productId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        Set<String> before = new LinkedHashSet<>();
        for (PlanFeature row : rows) {
            before.add(row.feature());
            if (!features.contains(row.feature())) {
                entityManager.remove(row);
            }
        }
        for (String feature : features) {
            if (!before.contains(feature)) {
                entityManager.persist(new PlanFeature(productId, feature));
            }
        }
        return before;
    }
}
