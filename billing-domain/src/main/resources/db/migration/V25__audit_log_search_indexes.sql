-- The audit log searched by actor, action or target id, newest first, paged by id: an OR of the three conditions
-- reads the three indexes (the existing (target_type, target_id, at) index needs the target type).
CREATE INDEX ix_audit_log_actor ON audit_log (actor, audit_id);
CREATE INDEX ix_audit_log_action ON audit_log (action, audit_id);
CREATE INDEX ix_audit_log_target_id ON audit_log (target_id, audit_id);
