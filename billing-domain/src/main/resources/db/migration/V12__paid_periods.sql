-- The service periods paid subscription invoices cover: a paid renewal extends access to the end of the
-- period it paid for, even before (or without) the subscription update that moves the period.
CREATE TABLE subscription_paid_period (
    subscription_id VARCHAR(255)             NOT NULL,
    invoice_id      VARCHAR(255)             NOT NULL,
    tenant_id       VARCHAR(255)             NOT NULL,
    period_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_subscription_paid_period PRIMARY KEY (subscription_id, invoice_id)
);
