-- Retries on a payment's reconciliation record: how many of its events' attempts were not their first,
-- and when the last of them ran.
ALTER TABLE reconciliation_record ADD COLUMN retry_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE reconciliation_record ADD COLUMN last_retry_at TIMESTAMP WITH TIME ZONE;
