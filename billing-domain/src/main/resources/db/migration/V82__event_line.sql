-- What each event says in one line of plain words ("Invoice ACME-0001 for $29.00 paid by Acme Corp"), kept by the
-- engine when it settles the event, so that the admin's lists and traces show it without reading the event's body:
-- on a large inbox most bodies are on disk, not in memory, and reading them was most of a trace's time. It also
-- outlives the body when data retention removes it.
--
-- Null for events settled before this version, for events no handler reads, and for refunds and disputes (their line
-- names the payment they take money from, which can be learnt after them): the admin makes those lines from the body
-- when it shows them, as it did before. Adding a column without a default changes no row, so this takes a moment
-- whatever the size of the inbox.
ALTER TABLE inbox_event ADD COLUMN event_line VARCHAR(300);
