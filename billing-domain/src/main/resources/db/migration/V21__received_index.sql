-- The dashboard counts the events received per hour over the last day: an index on the receipt time keeps
-- that a range scan of one day whatever the size of the inbox.
CREATE INDEX ix_inbox_event_received ON inbox_event (received_at);
