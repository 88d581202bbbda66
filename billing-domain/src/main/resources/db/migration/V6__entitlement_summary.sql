-- The latest entitlement summary Stripe sent per customer (entitlements.active_entitlement_summary.updated):
-- the lookup keys of the features Stripe's own Entitlements product says are active. The summary object has
-- no id of its own, so the customer is the key.
CREATE TABLE entitlement_summary (
    customer_id      VARCHAR(255)             NOT NULL,
    tenant_id        VARCHAR(255)             NOT NULL,
    features         VARCHAR(4000)            NOT NULL,
    version_created  TIMESTAMP WITH TIME ZONE NOT NULL,
    version_rank     INTEGER                  NOT NULL,
    version_event_id VARCHAR(255)             NOT NULL,
    CONSTRAINT pk_entitlement_summary PRIMARY KEY (customer_id)
);
CREATE INDEX ix_entitlement_summary_tenant ON entitlement_summary (tenant_id);
