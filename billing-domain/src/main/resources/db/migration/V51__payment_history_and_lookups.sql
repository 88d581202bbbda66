-- What support is told about a payment, and what it went through.
--
-- A payment's reconciliation record keeps its mode (live or test, from its events' livemode), the Stripe Connect
-- account its events came from, the store its order came from and its invoice number. They stay empty on records
-- kept from before until one of the payment's events is applied again (a new event of it, or a re-run).
--
-- Additive only, so nodes of the previous version keep running beside this one during a rolling upgrade: each
-- ALTER changes the catalogue only (nullable columns without a default: no table rewrite, no scan). The indexes that
-- the lookups need on existing tables are built concurrently by the scripts after this one (V51_1 to V51_8).
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

-- The history of the records kept from before starts with when each payment was first seen: the earliest of its
-- linked events. The states it reaches from now on follow as its events arrive.
INSERT INTO reconciliation_history (payment_key, state, reached_at, event_id)
SELECT r.payment_key, 'CREATED', i.stripe_created, i.event_id
FROM reconciliation_record r
JOIN inbox_event i ON i.event_id = (
    SELECT l.event_id FROM reconciliation_event l JOIN inbox_event f ON f.event_id = l.event_id
    WHERE l.payment_key = r.payment_key
    ORDER BY f.stripe_created, f.event_id
    LIMIT 1);

-- The payment each posted fact belongs to (its reconciliation record's key): the payment, its refunds, its disputes,
-- whichever event posted each. A table beside the journal, whose rows are never changed.
CREATE TABLE journal_entry_payment (
    tenant_id    VARCHAR(255) NOT NULL,
    business_key VARCHAR(255) NOT NULL,
    payment_key  VARCHAR(255) NOT NULL,
    CONSTRAINT pk_journal_entry_payment PRIMARY KEY (tenant_id, business_key)
);
CREATE INDEX ix_journal_entry_payment_key ON journal_entry_payment (payment_key);

-- The facts posted before: an invoice's are its payment's (invoice_issued:in_… is invoice:in_…), a one-time order's
-- payment is keyed as its payment (payment:pi_…), and a refund or dispute belongs to the payment its own events are
-- linked to in reconciliation_event.
INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)
SELECT tenant_id, business_key, 'invoice:' || object_id FROM journal_entry WHERE business_key LIKE 'invoice%';
INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)
SELECT tenant_id, business_key, business_key FROM journal_entry WHERE business_key LIKE 'payment:%';
INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)
SELECT e.tenant_id, e.business_key, MIN(l.payment_key)
FROM journal_entry e
JOIN inbox_event i ON i.object_id = e.object_id
JOIN reconciliation_event l ON l.event_id = i.event_id
WHERE e.business_key LIKE 'refund:%' OR e.business_key LIKE 'dispute%'
GROUP BY e.tenant_id, e.business_key;
