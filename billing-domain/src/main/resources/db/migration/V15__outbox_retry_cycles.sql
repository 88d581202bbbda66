-- Attempts of an outbox message in its current retry cycle: an operator's retry of a FAILED message starts
-- a fresh cycle (the full retry window again), while attempt_count keeps counting every attempt.
ALTER TABLE outbox_message ADD COLUMN cycle_attempts INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX ix_outbox_message_status ON outbox_message (status, created_at);
