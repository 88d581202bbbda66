-- The admin's list of tenants searched by the start of a tenant id.
--
-- Built CONCURRENTLY on PostgreSQL (the placeholder is empty on H2 and on a new schema), outside a transaction (see
-- the .conf file beside this script) and one index per script, as V30_1 explains. The pattern_ops placeholder lets
-- PostgreSQL use it for a search by the start of the value whatever the database's collation; H2 needs nothing.
DROP INDEX ${concurrently} IF EXISTS ix_tenant_search;
CREATE INDEX ${concurrently} ix_tenant_search ON tenant (tenant_id ${pattern_ops});
