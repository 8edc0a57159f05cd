-- One-time links an admin sends to invite another admin. Only the token's SHA-256 is stored, so
-- the table cannot be used to accept an invite.
CREATE TABLE admin_invites (
    token_hash TEXT PRIMARY KEY,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    invited_by_email TEXT NOT NULL,
    -- Who it is for (a reminder for the inviter; the new admin may choose another email).
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX admin_invites_open ON admin_invites (used_at, expires_at);
