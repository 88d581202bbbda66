-- Licence keys are an HMAC of their ids under a server secret. The keys issued before were an unkeyed SHA-256 of
-- the same ids: those are kept here, as they were, so that every licence already issued keeps its key. The row of
-- licence_key_legacy_pending says they are still to be kept: the first start after this migration stores them
-- and removes it, before the engine runs.
CREATE TABLE licence_key (
    tenant_id   VARCHAR(255) NOT NULL,
    source      VARCHAR(255) NOT NULL,
    subject     VARCHAR(500) NOT NULL,
    licence_key VARCHAR(64)  NOT NULL,
    CONSTRAINT pk_licence_key PRIMARY KEY (tenant_id, source, subject)
);

CREATE TABLE licence_key_legacy_pending (
    id INTEGER NOT NULL,
    CONSTRAINT pk_licence_key_legacy_pending PRIMARY KEY (id)
);
INSERT INTO licence_key_legacy_pending (id) VALUES (1);

-- Secrets the service generates for itself when none is configured (the licence key secret), one row each,
-- sealed with the encryption key where one is configured.
CREATE TABLE service_secret (
    name  VARCHAR(100) NOT NULL,
    stored_value VARCHAR(500) NOT NULL,
    CONSTRAINT pk_service_secret PRIMARY KEY (name)
);
