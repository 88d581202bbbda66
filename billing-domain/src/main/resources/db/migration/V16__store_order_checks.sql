-- The commerce connector's check of a payment against its store order: what was paid (from the ledger's
-- fact), what the store says, and the outcome. An exception (order not found, amount or currency
-- mismatch) stays visible until an operator retries the lookup or resolves it by hand.
ALTER TABLE reconciliation_record ADD COLUMN paid_amount BIGINT;
ALTER TABLE reconciliation_record ADD COLUMN paid_currency VARCHAR(3);
ALTER TABLE reconciliation_record ADD COLUMN store_check VARCHAR(32);
ALTER TABLE reconciliation_record ADD COLUMN store_check_detail VARCHAR(2000);
ALTER TABLE reconciliation_record ADD COLUMN store_checked_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_reconciliation_store_check ON reconciliation_record (store_check, updated_at);
