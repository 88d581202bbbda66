-- The retention walks the attempts in the order they finished, from where its last run stopped, in key ranges of
-- (finished_at, attempt_id): the bound of each batch is read from this index and so is the batch itself.
--
-- Built CONCURRENTLY on PostgreSQL, outside a transaction, one index per script: see V30_1.
DROP INDEX ${concurrently} IF EXISTS ix_event_attempt_finished;
CREATE INDEX ${concurrently} ix_event_attempt_finished ON event_attempt (finished_at, attempt_id);
