-- One reconciliation record per payment: every Stripe id that belongs to it, the tenant, the internal
-- order and checkout attempt ids from the metadata, the external store order (filled by the commerce
-- connector), the status, and when it was first received and reconciled. The events are listed apart.
CREATE TABLE reconciliation_record (
    payment_key         VARCHAR(255)             NOT NULL,
    tenant_id           VARCHAR(255)             NOT NULL,
    invoice_id          VARCHAR(255),
    payment_intent_id   VARCHAR(255),
    charge_id           VARCHAR(255),
    checkout_session_id VARCHAR(255),
    subscription_id     VARCHAR(255),
    customer_id         VARCHAR(255),
    order_id            VARCHAR(255),
    checkout_attempt_id VARCHAR(255),
    store_order_id      VARCHAR(255),
    store_summary       VARCHAR(2000),
    status              VARCHAR(32)              NOT NULL,
    status_rank         INTEGER                  NOT NULL,
    first_received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    reconciled_at       TIMESTAMP WITH TIME ZONE,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_reconciliation_record PRIMARY KEY (payment_key)
);
CREATE INDEX ix_reconciliation_tenant ON reconciliation_record (tenant_id, first_received_at);

CREATE TABLE reconciliation_event (
    payment_key VARCHAR(255) NOT NULL,
    event_id    VARCHAR(255) NOT NULL,
    CONSTRAINT pk_reconciliation_event PRIMARY KEY (payment_key, event_id)
);
