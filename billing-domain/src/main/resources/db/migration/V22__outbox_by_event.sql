-- The payment trace lists the outbound messages its events caused: by the message's source event.
CREATE INDEX ix_outbox_message_source_event ON outbox_message (source_event_id);
