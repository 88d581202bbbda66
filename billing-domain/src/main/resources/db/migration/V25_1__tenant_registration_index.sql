-- The operators' list of recently registered tenants: newest first, then by id.
CREATE INDEX ix_tenant_created ON tenant (created_at DESC, tenant_id);
