-- What a parked (UNMAPPED) event waits for: the customer whose mapping, or the charge or payment intent
-- whose arrival, would give it a tenant. NULL when only an operator can help (a conflict, no clue at
-- all). The engine re-queues a parked event as soon as what it waits for exists, and also sweeps for
-- any it missed: a mapping learnt by one worker while another was parking an event of that customer.
ALTER TABLE inbox_event ADD COLUMN awaiting_id VARCHAR(255);
CREATE INDEX ix_inbox_event_awaiting ON inbox_event (awaiting_id);
