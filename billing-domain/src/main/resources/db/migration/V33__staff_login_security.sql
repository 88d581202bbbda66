-- A staff account's credential version: raised whenever its password changes or it is disabled or enabled. A
-- session remembers the version it logged in with and ends when the account's version moved on, on every node.
ALTER TABLE staff_account ADD COLUMN credential_version BIGINT DEFAULT 0 NOT NULL;

-- A password someone else chose (the first start's generated one, one an admin set): its owner must choose their
-- own at the next login before anything else.
ALTER TABLE staff_account ADD COLUMN must_change_password BOOLEAN DEFAULT FALSE NOT NULL;

-- Failed staff logins, per account name ('account:<name>', also for names no account has) and per client address
-- ('address:<ip>', an IPv6 address by its /64): attempts counted since the last success (of the name) and when the
-- last one was, from which the delay before the next attempt grows. Shared by every node through the database.
CREATE TABLE login_throttle (
    throttle_key    VARCHAR(200)             NOT NULL,
    failures        INTEGER                  NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_login_throttle PRIMARY KEY (throttle_key)
);

-- The purge of rows nobody tried for a long time reads them by their last attempt.
CREATE INDEX ix_login_throttle_last_attempt ON login_throttle (last_attempt_at);
