-- The payment trace's lookup of the invoice number (ACMETEST-0001).
--
-- Built CONCURRENTLY on PostgreSQL (the placeholder is empty on H2 and on a new schema), outside a transaction (see
-- the .conf file beside this script) and one index per script, as V30_1 explains: the engine keeps writing while it
-- is built, and a build that gave up is dropped and built again when the migration is repaired and run again.
DROP INDEX ${concurrently} IF EXISTS ix_reconciliation_invoice_number;
CREATE INDEX ${concurrently} ix_reconciliation_invoice_number ON reconciliation_record (invoice_number);
