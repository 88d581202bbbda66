-- The history of the payments recorded before reconciliation_history existed starts with when each was first seen:
-- the earliest of its linked events. The states it reaches from now on follow as its events arrive.
--
-- A transaction of its own, after V51's DDL committed: it reads the records, their links and the inbox (no lock that
-- holds writers up) and writes only the new table.
INSERT INTO reconciliation_history (payment_key, state, reached_at, event_id)
SELECT r.payment_key, 'CREATED', i.stripe_created, i.event_id
FROM reconciliation_record r
JOIN inbox_event i ON i.event_id = (
    SELECT l.event_id FROM reconciliation_event l JOIN inbox_event f ON f.event_id = l.event_id
    WHERE l.payment_key = r.payment_key
    ORDER BY f.stripe_created, f.event_id
    LIMIT 1);

