-- The payment trace's lookup of a customer's payments (by cus_…, or by an e-mail address through its customers).
--
-- Built CONCURRENTLY on PostgreSQL (the placeholder is empty on H2 and on a new schema), outside a transaction (see
-- the .conf file beside this script) and one index per script, as V30_1 explains: the engine keeps writing while it
-- is built, and a build that gave up is dropped and built again when the migration is repaired and run again.
DROP INDEX ${concurrently} IF EXISTS ix_reconciliation_customer;
CREATE INDEX ${concurrently} ix_reconciliation_customer ON reconciliation_record (customer_id);
