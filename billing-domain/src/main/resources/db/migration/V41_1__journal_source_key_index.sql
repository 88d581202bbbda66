-- The key that lets a Stripe fact into one tenant's ledger only (see V41): unique on the business key, but for the
-- copies an earlier version posted, each of which keeps its own entry id in cross_tenant_copy. The ledger's
-- INSERT … ON CONFLICT DO NOTHING then stops at it as it stops at the per-tenant key, and the ledger tells the
-- two apart by whose entry is there.
--
-- Built CONCURRENTLY on PostgreSQL, outside a transaction, one index per script: see V30_1. Should an entry of another
-- tenant for a fact be posted while it builds (a node of the previous version, after a customer was mapped to
-- another tenant), the build fails and leaves an invalid index; the entry is then listed as in docs/operations.md
-- and removed before the migration is repaired and run again.
DROP INDEX ${concurrently} IF EXISTS uq_journal_entry_source;
CREATE UNIQUE INDEX ${concurrently} uq_journal_entry_source ON journal_entry (business_key, cross_tenant_copy);
