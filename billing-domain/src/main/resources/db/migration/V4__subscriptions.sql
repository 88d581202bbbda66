-- The local copy of each Stripe subscription, as of the newest snapshot applied (see SnapshotVersion),
-- and its items. Periods come from the items: since the 2025 API versions they are no longer on the
-- subscription itself.
CREATE TABLE subscription (
    subscription_id      VARCHAR(255)             NOT NULL,
    tenant_id            VARCHAR(255)             NOT NULL,
    customer_id          VARCHAR(255),
    status               VARCHAR(32)              NOT NULL,
    current_period_start TIMESTAMP WITH TIME ZONE,
    current_period_end   TIMESTAMP WITH TIME ZONE,
    trial_end            TIMESTAMP WITH TIME ZONE,
    cancel_at_period_end BOOLEAN                  NOT NULL,
    canceled_at          TIMESTAMP WITH TIME ZONE,
    ended_at             TIMESTAMP WITH TIME ZONE,
    order_id             VARCHAR(255),
    version_created      TIMESTAMP WITH TIME ZONE NOT NULL,
    version_rank         INTEGER                  NOT NULL,
    version_event_id     VARCHAR(255)             NOT NULL,
    CONSTRAINT pk_subscription PRIMARY KEY (subscription_id)
);
CREATE INDEX ix_subscription_tenant ON subscription (tenant_id, status);

CREATE TABLE subscription_item (
    subscription_id VARCHAR(255) NOT NULL,
    item_id         VARCHAR(255) NOT NULL,
    tenant_id       VARCHAR(255) NOT NULL,
    price_id        VARCHAR(255),
    product_id      VARCHAR(255),
    quantity        BIGINT,
    CONSTRAINT pk_subscription_item PRIMARY KEY (subscription_id, item_id),
    CONSTRAINT fk_subscription_item_subscription FOREIGN KEY (subscription_id) REFERENCES subscription (subscription_id)
);
