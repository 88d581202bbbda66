-- The event inbox: every verified Stripe event, keyed by its event id, with the raw body byte for byte.
-- Written by the webhook intake (INSERT ... ON CONFLICT DO NOTHING), read and advanced by the workers.
-- Kept to SQL that PostgreSQL and H2 (MODE=PostgreSQL, the embedded default) both accept.
CREATE TABLE inbox_event (
    event_id          VARCHAR(255)             NOT NULL,
    event_type        VARCHAR(255)             NOT NULL,
    api_version       VARCHAR(64),
    livemode          BOOLEAN                  NOT NULL,
    account_id        VARCHAR(255),
    stripe_created    TIMESTAMP WITH TIME ZONE NOT NULL,
    object_type       VARCHAR(255),
    object_id         VARCHAR(255),
    customer_id       VARCHAR(255),
    payload           BYTEA                    NOT NULL,
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    delivery_count    INTEGER                  NOT NULL,
    last_delivered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status            VARCHAR(32)              NOT NULL,
    CONSTRAINT pk_inbox_event PRIMARY KEY (event_id),
    CONSTRAINT ck_inbox_event_delivery_count CHECK (delivery_count >= 1)
);

-- Workers pick due rows by status; support staff look events up by Stripe object and by customer,
-- each in the order Stripe created them.
CREATE INDEX ix_inbox_event_status_created ON inbox_event (status, stripe_created);
CREATE INDEX ix_inbox_event_object ON inbox_event (object_id, stripe_created);
CREATE INDEX ix_inbox_event_customer ON inbox_event (customer_id, stripe_created);
