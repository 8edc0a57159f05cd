-- Webhook events as received: stored before they are acknowledged, processed afterwards by a worker
-- that claims rows with a lease (claimed_by, claimed_until), so several instances never process the
-- same event at once. The primary key recognises redeliveries.
CREATE TABLE stripe_events (
    id TEXT PRIMARY KEY,
    -- 'snapshot' (v1 event with data.object) or 'thin' (v2 event notification).
    source TEXT NOT NULL CHECK (source IN ('snapshot', 'thin')),
    event_type TEXT NOT NULL,
    -- The connected account the event is about, when it names one.
    account_id TEXT,
    -- The event's own creation time (Stripe's clock).
    created BIGINT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'processed', 'ignored', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    received_at BIGINT NOT NULL,
    processed_at BIGINT
);
CREATE INDEX stripe_events_due ON stripe_events (status, next_attempt_at);
CREATE INDEX stripe_events_account ON stripe_events (account_id, created);

-- What the portal knows of each connected account, kept current by webhooks and re-fetches.
-- requirements, future_requirements, capabilities and controller are JSON text as Stripe sent them.
CREATE TABLE connected_accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    stripe_account_id TEXT NOT NULL UNIQUE,
    api_version TEXT NOT NULL CHECK (api_version IN ('v1', 'v2')),
    country TEXT,
    business_name TEXT,
    email TEXT,
    requirements TEXT NOT NULL DEFAULT '{}',
    future_requirements TEXT NOT NULL DEFAULT '{}',
    capabilities TEXT NOT NULL DEFAULT '{}',
    charges_enabled BIGINT NOT NULL DEFAULT 0,
    payouts_enabled BIGINT NOT NULL DEFAULT 0,
    details_submitted BIGINT NOT NULL DEFAULT 0,
    disabled_reason TEXT,
    current_deadline BIGINT,
    payout_interval TEXT,
    payout_delay_days BIGINT,
    payout_weekly_anchor TEXT,
    payout_monthly_anchor BIGINT,
    dashboard_type TEXT,
    controller TEXT NOT NULL DEFAULT '{}',
    revoked BIGINT NOT NULL DEFAULT 0,
    -- Creation time of the newest event whose data the row reflects.
    last_event_at BIGINT NOT NULL DEFAULT 0,
    -- When the row was last written from a fetch of the account (seconds, and the fetch's start in
    -- milliseconds, which orders concurrent fetches).
    last_synced_at BIGINT NOT NULL DEFAULT 0,
    sync_started_ms BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX connected_accounts_status ON connected_accounts (charges_enabled, payouts_enabled, details_submitted);
CREATE INDEX connected_accounts_disabled_reason ON connected_accounts (disabled_reason);
CREATE INDEX connected_accounts_deadline ON connected_accounts (current_deadline);
CREATE INDEX connected_accounts_country ON connected_accounts (country);
CREATE INDEX connected_accounts_created ON connected_accounts (created_at);
