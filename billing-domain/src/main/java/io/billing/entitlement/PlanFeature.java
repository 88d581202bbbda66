package io.billing.entitlement;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/**
 * One feature a Stripe product grants: a row of the {@link PlanCatalogue}. Merchant-wide, like the products:
 * no tenant's data.
 */
@Entity
@Table(name = "plan_feature")
@IdClass(PlanFeature.Key.class)
@NamedQuery(name = PlanFeature.ALL, query = "SELECT f FROM PlanFeature f ORDER BY f.productId, f.feature")
@NamedQuery(name = PlanFeature.OF_PRODUCT,
        query = "SELECT f FROM PlanFeature f WHERE f.productId = :product ORDER BY f.feature")
@NamedQuery(name = PlanFeature.COUNT, query = "SELECT COUNT(f) FROM PlanFeature f")
// PostgreSQL's ON CONFLICT, which JPA cannot say: nodes that start together all find the table empty and seed
// it from the same configuration; the first one's rows stay and the others start without an error.
@NamedNativeQuery(name = PlanFeature.SEED,
        query = "INSERT INTO plan_feature (product_id, feature) VALUES (?, ?) ON CONFLICT DO NOTHING")
public class PlanFeature {

    static final String ALL = "PlanFeature.all";
    static final String OF_PRODUCT = "PlanFeature.ofProduct";
    static final String COUNT = "PlanFeature.count";
    static final String SEED = "PlanFeature.seed";

    /** The feature's primary key. */
    public static class Key implements Serializable {

        private String productId;
        private String feature;

        public Key() {
        }

        public Key(String productId, String feature) {
            this.productId = productId;
            this.feature = feature;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Objects.equals(productId, that.productId)
                    && Objects.equals(feature, that.feature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(productId, feature);
        }
    }

    @Id
    @Column(name = "product_id")
    private String productId;

    @Id
    @Column(name = "feature")
    private String feature;

    /** For the persistence provider. */
    protected PlanFeature() {
    }

    PlanFeature(String productId, String feature) {
        this.productId = Objects.requireNonNull(productId, "product id");
        this.feature = Objects.requireNonNull(feature, "feature");
    }

    public String productId() {
        return productId;
    }

    public String feature() {
        return feature;
    }
}
