-- Mail to an account's owner about what Stripe needs (requirements due, reminders, restrictions,
-- capabilities, failed payouts). One row per account and change: the key says what changed (the
-- due fields and Stripe's deadline, the restriction, the payout), so a notice and its mail are
-- written only when the key is new, in the transaction that writes the account cache.
CREATE TABLE owner_notices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stripe_account_id TEXT NOT NULL,
    notice_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- The mail queued for it; NULL when the owner turned that kind of mail off (or had no login).
    mail_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (stripe_account_id, notice_key)
);

-- The owner's optional mails (1 = send): reminders before a deadline; capabilities that stopped
-- working and failed payouts. What restricts or rejects the account is always sent.
ALTER TABLE users ADD COLUMN mail_reminders BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN mail_payouts_and_capabilities BIGINT NOT NULL DEFAULT 1;
