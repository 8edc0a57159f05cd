-- Attempts that cost the server work (password checks, sign-ups), limited per key: at most `limit`
-- slots exist for a (scope, key), each taken by one attempt until its window passes. Taking a
-- slot is one conditional write, so concurrent attempts cannot all pass a limit read earlier.
CREATE TABLE attempt_slots (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    slot BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (scope, key, slot)
);
CREATE INDEX attempt_slots_at ON attempt_slots (at);

-- Replaced by attempt_slots (failures were counted after the password check ran).
DROP TABLE sign_in_failures;

-- Bumped when a login's password changes: a session signed in under an older version is over,
-- even if its row survived.
ALTER TABLE users ADD COLUMN credentials_version BIGINT NOT NULL DEFAULT 0;
