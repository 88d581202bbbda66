-- The admin pages events by keyset, (stripe_created, event_id) descending, with or without filters; this
-- index serves the unfiltered order and the cursor's row comparison. The filtered orders use the existing
-- (status | event_type | tenant_id | object_id | customer_id, stripe_created) indexes.
CREATE INDEX ix_inbox_event_created_id ON inbox_event (stripe_created, event_id);
