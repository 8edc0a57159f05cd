-- Connected accounts' payouts, from `payout.*` events (and from reading the payout on Stripe when
-- an event cannot tell whether it is newer), for failed payouts on the owner's home and in the
-- console. Newer-wins bookkeeping as in `disputes`.
CREATE TABLE payouts (
    stripe_payout_id TEXT PRIMARY KEY,
    stripe_account_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Stripe's `failure_code` and `failure_message` of a failed payout.
    failure_code TEXT,
    failure_message TEXT,
    arrival_date BIGINT,
    created BIGINT NOT NULL,
    last_event_at BIGINT NOT NULL DEFAULT 0,
    fetched_at BIGINT NOT NULL DEFAULT 0,
    fetch_started_ms BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE INDEX payouts_by_account ON payouts (stripe_account_id, created);
CREATE INDEX payouts_failed ON payouts (created) WHERE status = 'failed';
