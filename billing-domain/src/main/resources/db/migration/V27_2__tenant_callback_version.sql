-- The optimistic version of a tenant's callback, now a JPA entity: what the outbox sent is remembered only if the
-- callback (its URL and secret) is still the one it was sent to.
ALTER TABLE tenant_callback ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
