-- The admins' digest (issue 17): what happened since the last one needs these times.
-- When the row's status slug last changed (NULL: not since this column exists).
ALTER TABLE connected_accounts ADD COLUMN status_changed_at BIGINT;
CREATE INDEX connected_accounts_status_changed ON connected_accounts (status, status_changed_at);
-- When an event or a mail was given up (indexed only then: most never are, and events arrive
-- fast).
ALTER TABLE stripe_events ADD COLUMN failed_at BIGINT;
CREATE INDEX stripe_events_failed_at ON stripe_events (failed_at) WHERE failed_at IS NOT NULL;
ALTER TABLE mail_outbox ADD COLUMN failed_at BIGINT;
CREATE INDEX mail_outbox_failed_at ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;
-- An admin's choice to get the digest (1 = send).
ALTER TABLE users ADD COLUMN mail_digest BIGINT NOT NULL DEFAULT 1;

-- One row per digest: the period it covers, from the end of the one before. The unique start is
-- what makes a period reported once, whichever instance or admin starts it.
CREATE TABLE admin_digests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_start BIGINT NOT NULL UNIQUE,
    period_end BIGINT NOT NULL,
    -- What it reported (counts), and how many admins it was mailed to (0: nothing to report).
    deadlines BIGINT NOT NULL DEFAULT 0,
    restricted BIGINT NOT NULL DEFAULT 0,
    failed_events BIGINT NOT NULL DEFAULT 0,
    failed_mails BIGINT NOT NULL DEFAULT 0,
    mailed BIGINT NOT NULL DEFAULT 0,
    -- NULL when the schedule started it; else the admin who did.
    started_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
