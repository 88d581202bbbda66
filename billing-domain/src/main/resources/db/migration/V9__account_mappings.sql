-- Stripe Connect: every event from a connected account can belong to one tenant. Set by operators.
CREATE TABLE tenant_account_mapping (
    account_id VARCHAR(255)             NOT NULL,
    tenant_id  VARCHAR(255)             NOT NULL,
    source     VARCHAR(255)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_tenant_account_mapping PRIMARY KEY (account_id)
);
CREATE INDEX ix_inbox_event_account ON inbox_event (account_id);
