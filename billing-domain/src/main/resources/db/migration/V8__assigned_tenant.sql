-- A tenant an operator assigned to a parked event by hand (the event named none the engine could use).
-- Tenant resolution honours it before anything the event itself says.
ALTER TABLE inbox_event ADD COLUMN assigned_tenant_id VARCHAR(255);
