-- What makes a payment trace fast on a large ledger: the Stripe object a journal entry is about (the part of
-- its business key after the kind, e.g. in_… of invoice_paid:in_…), kept in a column with an index instead
-- of a LIKE '%:…' scan, and an index on each Stripe id a reconciliation record is found by.
ALTER TABLE journal_entry ADD COLUMN object_id VARCHAR(255);
UPDATE journal_entry SET object_id = SUBSTRING(business_key FROM POSITION(':' IN business_key) + 1);
CREATE INDEX ix_journal_entry_object ON journal_entry (object_id);
CREATE INDEX ix_reconciliation_invoice ON reconciliation_record (invoice_id);
CREATE INDEX ix_reconciliation_payment_intent ON reconciliation_record (payment_intent_id);
CREATE INDEX ix_reconciliation_charge ON reconciliation_record (charge_id);
CREATE INDEX ix_reconciliation_session ON reconciliation_record (checkout_session_id);
