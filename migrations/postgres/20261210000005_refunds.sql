-- Refunds of connected accounts' payments, from `refund.*` events (and from reading the refund on
-- Stripe when an event cannot tell whether it is newer), for the console's account page.
-- Newer-wins bookkeeping as in `disputes`.
CREATE TABLE refunds (
    stripe_refund_id TEXT PRIMARY KEY,
    stripe_account_id TEXT NOT NULL,
    charge_id TEXT,
    payment_intent_id TEXT,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    failure_reason TEXT,
    created BIGINT NOT NULL,
    last_event_at BIGINT NOT NULL DEFAULT 0,
    fetched_at BIGINT NOT NULL DEFAULT 0,
    fetch_started_ms BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE INDEX refunds_by_account ON refunds (stripe_account_id, created);
