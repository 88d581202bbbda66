-- The optimistic version of a payment's reconciliation record, now a JPA entity that several writers may change at
-- once (the engine's workers, the commerce connector's delivery, operators): a writer that read an older version
-- fails instead of overwriting, and the engine runs its event again.
ALTER TABLE reconciliation_record ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
