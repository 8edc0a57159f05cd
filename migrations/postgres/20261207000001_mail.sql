-- Addresses are confirmed by a mailed link. Logins made before confirmation existed count as
-- confirmed (nobody can be asked to confirm retroactively).
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
UPDATE users SET email_confirmed_at = created_at;

-- Single-use links sent by mail (confirm an address, reset a password, change the address).
-- Only the token's SHA-256 is stored, so the table cannot be used to follow a link.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    -- The login's address when the link was made: the link works only while it still is.
    for_email TEXT NOT NULL,
    -- The address a change_email link moves the login to.
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Mail to send, written in the same transaction as the change that causes it; a worker sends it
-- (SMTP, or kept here for the development mailbox) with retries.
CREATE TABLE mail_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- pending, sent or failed.
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    leased_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
