-- Each tenant's Stripe customer as a user of the licence service: the newest e-mail address and name known (with
-- the version of the snapshot they come from, so that a late older event changes nothing), the licence service's
-- id of the user once it has answered, and what was last sent to it.
CREATE TABLE licence_user (
    customer_id      VARCHAR(255)             NOT NULL,
    tenant_id        VARCHAR(255)             NOT NULL,
    email            VARCHAR(500),
    name             VARCHAR(500),
    user_id          VARCHAR(255),
    synced_email     VARCHAR(500),
    synced_name      VARCHAR(500),
    synced_at        TIMESTAMP WITH TIME ZONE,
    version_created  TIMESTAMP WITH TIME ZONE NOT NULL,
    version_rank     INTEGER                  NOT NULL,
    version_event_id VARCHAR(255)             NOT NULL,
    CONSTRAINT pk_licence_user PRIMARY KEY (customer_id)
);

-- A tenant's customers and their licence service users (the admin's tenant page).
CREATE INDEX ix_licence_user_tenant ON licence_user (tenant_id, customer_id);
