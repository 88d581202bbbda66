-- The features each Stripe product grants. Seeded from configuration (billing.catalogue.features) when
-- empty, so that operators can edit it later without a redeploy.
CREATE TABLE plan_feature (
    product_id VARCHAR(255) NOT NULL,
    feature    VARCHAR(255) NOT NULL,
    CONSTRAINT pk_plan_feature PRIMARY KEY (product_id, feature)
);
