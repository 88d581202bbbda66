-- Licence keys are an HMAC of their ids under a server secret. Keys issued under an earlier scheme are kept here
-- as they were, so that every licence already issued keeps its key: the unkeyed SHA-256 of the same ids that keys
-- were before, and the HMAC under a licence key secret that was rotated out. A kept key wins over the HMAC.
CREATE TABLE licence_key (
    tenant_id   VARCHAR(255) NOT NULL,
    source      VARCHAR(255) NOT NULL,
    subject     VARCHAR(500) NOT NULL,
    licence_key VARCHAR(64)  NOT NULL,
    CONSTRAINT pk_licence_key PRIMARY KEY (tenant_id, source, subject)
);

-- The earlier schemes whose keys were kept, once each: 'sha256', or 'hmac:' and a fingerprint of the rotated-out
-- secret (an HMAC of a fixed text under it, which does not reveal it).
CREATE TABLE licence_key_kept (
    scheme  VARCHAR(100)             NOT NULL,
    kept_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_licence_key_kept PRIMARY KEY (scheme)
);

-- Secrets the service generates for itself when none is configured (the licence key secret), one row each,
-- sealed with the encryption key where one is configured.
CREATE TABLE service_secret (
    name         VARCHAR(100) NOT NULL,
    stored_value VARCHAR(500) NOT NULL,
    CONSTRAINT pk_service_secret PRIMARY KEY (name)
);
