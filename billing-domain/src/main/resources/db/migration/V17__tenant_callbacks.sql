-- A tenant's own HTTPS callback, told when what it may use changes: where, the secret its notifications are
-- signed with (HMAC-SHA256 over timestamp and body, like Stripe's scheme), and the entitlements last sent,
-- so that only a change is sent.
CREATE TABLE tenant_callback (
    tenant_id         VARCHAR(255)             NOT NULL,
    url               VARCHAR(2000)            NOT NULL,
    secret            VARCHAR(255)             NOT NULL,
    last_entitlements VARCHAR(8000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_tenant_callback PRIMARY KEY (tenant_id)
);
