-- Named API keys for the SaaS application's APIs (tenant and billing), several at once so that one can be
-- rotated without downtime. The secret itself is never stored: only the SHA-256 of the whole key, which is a
-- 256-bit random secret, so a fast hash suffices (see io.billing.apikey.ApiKey). Scopes are a space-separated
-- list; a key bound to one tenant acts for that tenant only. Revoked rather than deleted, so the audit log keeps
-- its names; last_used_at is recorded at most about once a minute per key.
CREATE TABLE api_key (
    key_id       VARCHAR(32)              NOT NULL,
    name         VARCHAR(100)             NOT NULL,
    secret_hash  VARCHAR(64)              NOT NULL,
    scopes       VARCHAR(200)             NOT NULL,
    tenant_id    VARCHAR(255),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by   VARCHAR(255)             NOT NULL,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    revoked_by   VARCHAR(255),
    last_used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_api_key PRIMARY KEY (key_id)
);
