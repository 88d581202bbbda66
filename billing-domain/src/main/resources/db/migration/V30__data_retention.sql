-- Data retention: a settled event's raw body is removed after a configurable time; what stays (the envelope, the
-- status, the domain state it produced) is joined by the body's SHA-256, taken just before it goes, and the time
-- it went. Old attempts lose their error message and stack trace, and say when.
--
-- Additive only, so nodes of the previous version keep running beside this one during a rolling upgrade: they
-- never name the new columns, and the body becomes nullable. Each statement changes the catalogue only (no table
-- rewrite, no scan); the migration runs under a short lock timeout (SchemaMigration), so if a long transaction
-- holds the table it fails instead of making the intake wait behind its lock.
ALTER TABLE inbox_event ADD COLUMN payload_sha256 BYTEA;
ALTER TABLE inbox_event ADD COLUMN payload_removed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE inbox_event ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE event_attempt ADD COLUMN details_removed_at TIMESTAMP WITH TIME ZONE;
