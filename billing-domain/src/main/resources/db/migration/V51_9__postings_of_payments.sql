-- The facts posted before journal_entry_payment existed, filed under their payments: an invoice's are its payment's
-- (invoice_issued:in_… is invoice:in_…), a one-time order's payment is keyed as its payment (payment:pi_…), and a
-- refund or dispute belongs to the payment its own events are linked to in reconciliation_event.
--
-- A transaction of its own, after V51's DDL committed: it reads the journal, the inbox and the links (no lock that
-- holds writers up) and writes only the new table. A fact that a node of the previous version posts while the upgrade
-- runs is filed by the next event of its payment that a node of this version applies (see docs/operations.md).
INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)
SELECT tenant_id, business_key, 'invoice:' || object_id FROM journal_entry WHERE business_key LIKE 'invoice%';
INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)
SELECT tenant_id, business_key, business_key FROM journal_entry WHERE business_key LIKE 'payment:%';
INSERT INTO journal_entry_payment (tenant_id, business_key, payment_key)
SELECT e.tenant_id, e.business_key, MIN(l.payment_key)
FROM journal_entry e
JOIN inbox_event i ON i.object_id = e.object_id
JOIN reconciliation_event l ON l.event_id = i.event_id
WHERE e.business_key LIKE 'refund:%' OR e.business_key LIKE 'dispute%'
GROUP BY e.tenant_id, e.business_key;
