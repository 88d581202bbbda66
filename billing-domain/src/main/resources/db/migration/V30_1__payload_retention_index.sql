-- The retention's selection of bodies to remove: settled events (PROCESSED, IGNORED) by when they settled, among
-- the rows whose body is still there. A removed body moves its row out of the range the purge reads, so each batch
-- starts at the next row due instead of walking over the rows already done.
--
-- Built CONCURRENTLY on PostgreSQL (the placeholder is empty on H2 and on a new schema): the intake keeps writing
-- while the index is built. Outside a transaction (see the .conf file beside this script) and one index per
-- script: a build that gives up at its lock timeout leaves an invalid index behind, which the DROP removes when
-- the migration runs again after its failed entry is repaired (docs/operations.md).
DROP INDEX ${concurrently} IF EXISTS ix_inbox_event_payload_retention;
CREATE INDEX ${concurrently} ix_inbox_event_payload_retention
    ON inbox_event (payload_removed_at, status, status_changed_at);
