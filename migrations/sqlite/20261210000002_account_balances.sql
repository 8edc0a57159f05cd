-- Connected accounts' balances per currency, as Stripe last reported them: from
-- `balance.available` events and from reading `GET /v1/balance` as the account (after events that
-- move money out, which send no `balance.available`, and by the reconciliation). `as_of` is
-- Stripe's time of the report (the event's `created`, or the read's `Date`): an older report
-- never overwrites a newer one.
CREATE TABLE account_balances (
    stripe_account_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    available BIGINT NOT NULL,
    pending BIGINT NOT NULL,
    as_of BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (stripe_account_id, currency)
);

-- The console's list of negative balances (the platform's exposure).
CREATE INDEX account_balances_negative ON account_balances (currency, available)
    WHERE available < 0;
