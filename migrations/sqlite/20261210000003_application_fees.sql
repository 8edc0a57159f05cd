-- The platform's application fees on connected accounts' charges, kept from the platform's own
-- `application_fee.created` / `application_fee.refunded` events and filled by reconciliation
-- from Stripe's list (GET /v1/application_fees) for fees older than the table. Every field but
-- `amount_refunded` is fixed when Stripe creates the fee, and `amount_refunded` only grows, so
-- the larger one is kept whatever the order of writes; `last_event_at` is the newest event
-- written (0: only read from the list).
CREATE TABLE application_fees (
    stripe_fee_id TEXT PRIMARY KEY,
    -- The connected account the fee came from.
    stripe_account_id TEXT NOT NULL,
    charge_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    amount_refunded BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL,
    -- Stripe's `created`.
    created BIGINT NOT NULL,
    last_event_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- One account's revenue (per currency, per month).
CREATE INDEX application_fees_by_account ON application_fees (stripe_account_id, created);
-- The platform's revenue over a time range (the console's last 30 days).
CREATE INDEX application_fees_by_created ON application_fees (created);
