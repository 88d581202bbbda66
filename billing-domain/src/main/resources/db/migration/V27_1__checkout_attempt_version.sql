-- The optimistic version of a checkout attempt, now a JPA entity: of two requests for one order that settle its
-- attempt at once, the first one's outcome stands.
ALTER TABLE checkout_attempt ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
