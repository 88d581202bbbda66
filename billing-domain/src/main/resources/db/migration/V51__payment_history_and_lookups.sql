-- What support is told about a payment, and what it went through.
--
-- A payment's reconciliation record keeps its mode (live or test, from its events' livemode), the Stripe Connect
-- account its events came from, the store its order came from and its invoice number. They stay empty on records
-- kept from before until one of the payment's events is applied again (a new event of it, or a re-run).
--
-- Additive only, so nodes of the previous version keep running beside this one during a rolling upgrade: each
-- statement changes the catalogue only (nullable columns without a default: no table rewrite, no scan), so the locks
-- it takes on reconciliation_record and stripe_object are short. The indexes that the lookups need on existing tables
-- are built concurrently by the scripts after this one (V51_1 to V51_8); what was kept before is filed into the new
-- tables by V51_9 and V51_10, in transactions of their own that lock none of the tables the engine writes.
ALTER TABLE reconciliation_record ADD COLUMN livemode BOOLEAN;
ALTER TABLE reconciliation_record ADD COLUMN account_id VARCHAR(255);
ALTER TABLE reconciliation_record ADD COLUMN store_id VARCHAR(255);
ALTER TABLE reconciliation_record ADD COLUMN invoice_number VARCHAR(255);

-- The e-mail address each Stripe object names its buyer by (a customer's email, an invoice's customer_email, a
-- session's customer_details.email …), lower-cased, as the latest snapshot has it: support finds a customer's
-- payments by it.
ALTER TABLE stripe_object ADD COLUMN email VARCHAR(320);

-- A payment's history: one row per state (created, payment pending, paid, refunded, disputed, store check matched
-- or failed …), at the earliest Stripe time an event reported it (for a store check, when it was stored), with that
-- event. Written by the engine on each of the payment's events, in any order, however often.
CREATE TABLE reconciliation_history (
    payment_key VARCHAR(255)             NOT NULL,
    state       VARCHAR(32)              NOT NULL,
    reached_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    event_id    VARCHAR(255),
    CONSTRAINT pk_reconciliation_history PRIMARY KEY (payment_key, state)
);

-- The payment each posted fact belongs to (its reconciliation record's key): the payment, its refunds, its disputes,
-- whichever event posted each. A table beside the journal, whose rows are never changed.
CREATE TABLE journal_entry_payment (
    tenant_id    VARCHAR(255) NOT NULL,
    business_key VARCHAR(255) NOT NULL,
    payment_key  VARCHAR(255) NOT NULL,
    CONSTRAINT pk_journal_entry_payment PRIMARY KEY (tenant_id, business_key)
);
CREATE INDEX ix_journal_entry_payment_key ON journal_entry_payment (payment_key);
