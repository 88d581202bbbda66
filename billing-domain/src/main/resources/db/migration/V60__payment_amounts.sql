-- A payment's amount, as its own object asks it (an invoice's total, a payment intent's amount, a Checkout Session's
-- total), in minor units of its currency (lower case, as Stripe sends it): the trace and the operator API show it.
--
-- Additive only, so nodes of the previous version keep running beside this one during a rolling upgrade: nullable
-- columns without a default change the catalogue only (no table rewrite, no scan). A record kept from before gets its
-- amount from the next of its events that is applied (a new one, or a re-run); until then the trace shows the amount
-- its ledger postings say.
ALTER TABLE reconciliation_record ADD COLUMN amount BIGINT;
ALTER TABLE reconciliation_record ADD COLUMN currency VARCHAR(3);
