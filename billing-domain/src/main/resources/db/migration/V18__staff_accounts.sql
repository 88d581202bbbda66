-- Staff accounts for the admin and the operator API: PBKDF2 password hashes (never the password), one role
-- each (support reads; admin also acts), disabled rather than deleted so the audit log keeps its names.
CREATE TABLE staff_account (
    username      VARCHAR(64)              NOT NULL,
    password_hash VARCHAR(512)             NOT NULL,
    role          VARCHAR(16)              NOT NULL,
    enabled       BOOLEAN                  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_staff_account PRIMARY KEY (username),
    CONSTRAINT ck_staff_account_role CHECK (role IN ('admin', 'support'))
);
