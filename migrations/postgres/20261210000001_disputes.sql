-- Disputes on connected accounts' charges, from `charge.dispute.*` events and from reading the
-- dispute on Stripe (GET /v1/disputes/{dispute} as the account). Which write is newer is told as
-- for the account cache: `last_event_at` is the newest event written, `fetched_at` Stripe's clock
-- when the newest written read answered, `fetch_started_ms` when that read started.
CREATE TABLE disputes (
    stripe_dispute_id TEXT PRIMARY KEY,
    stripe_account_id TEXT NOT NULL,
    charge_id TEXT NOT NULL,
    payment_intent_id TEXT,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    -- `evidence_details.due_by`; NULL when Stripe gave 0 (no response allowed) or nothing.
    due_by BIGINT,
    -- Stripe's `created`.
    created BIGINT NOT NULL,
    last_event_at BIGINT NOT NULL DEFAULT 0,
    fetched_at BIGINT NOT NULL DEFAULT 0,
    fetch_started_ms BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE INDEX disputes_by_account ON disputes (stripe_account_id, created);
-- The console's list of open disputes, nearest deadline first.
CREATE INDEX disputes_open_by_due ON disputes (due_by)
    WHERE status IN ('warning_needs_response', 'warning_under_review', 'needs_response', 'under_review');
