-- Periodic jobs shared by all instances (e.g. reconciling the account cache with Stripe): one row
-- per job; an instance runs a job only after claiming its row with a lease, so several instances
-- never run it at once, and a job whose instance died is taken up when the lease runs out.
CREATE TABLE background_jobs (
    name TEXT PRIMARY KEY,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_run_at BIGINT NOT NULL DEFAULT 0
);
