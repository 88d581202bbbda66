-- Tenants, registered when an event first names one, and the plan catalogue as Stripe describes it
-- (account-level products and prices: they belong to no tenant and are never parked as unmapped).
CREATE TABLE tenant (
    tenant_id  VARCHAR(255)             NOT NULL,
    name       VARCHAR(255)             NOT NULL,
    status     VARCHAR(32)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_tenant PRIMARY KEY (tenant_id)
);

CREATE TABLE catalogue_product (
    product_id       VARCHAR(255)             NOT NULL,
    name             VARCHAR(255),
    active           BOOLEAN                  NOT NULL,
    deleted          BOOLEAN                  NOT NULL,
    plan_code        VARCHAR(255),
    livemode         BOOLEAN                  NOT NULL,
    version_created  TIMESTAMP WITH TIME ZONE NOT NULL,
    version_rank     INTEGER                  NOT NULL,
    version_event_id VARCHAR(255)             NOT NULL,
    CONSTRAINT pk_catalogue_product PRIMARY KEY (product_id)
);

CREATE TABLE catalogue_price (
    price_id         VARCHAR(255)             NOT NULL,
    product_id       VARCHAR(255),
    currency         VARCHAR(3),
    unit_amount      BIGINT,
    billing_interval VARCHAR(16),
    interval_count   INTEGER,
    active           BOOLEAN                  NOT NULL,
    deleted          BOOLEAN                  NOT NULL,
    livemode         BOOLEAN                  NOT NULL,
    version_created  TIMESTAMP WITH TIME ZONE NOT NULL,
    version_rank     INTEGER                  NOT NULL,
    version_event_id VARCHAR(255)             NOT NULL,
    CONSTRAINT pk_catalogue_price PRIMARY KEY (price_id)
);
CREATE INDEX ix_catalogue_price_product ON catalogue_price (product_id);
