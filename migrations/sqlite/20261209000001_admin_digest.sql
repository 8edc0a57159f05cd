-- The admins' digest (issue 17): what happened since the last one needs these times.
-- When the row's status slug last changed (NULL: not since this column exists).
ALTER TABLE connected_accounts ADD COLUMN status_changed_at INTEGER;
CREATE INDEX connected_accounts_status_changed ON connected_accounts (status, status_changed_at);
-- When an event or a mail was given up (indexed only then: most never are, and events arrive
-- fast).
ALTER TABLE stripe_events ADD COLUMN failed_at INTEGER;
CREATE INDEX stripe_events_failed_at ON stripe_events (failed_at) WHERE failed_at IS NOT NULL;
ALTER TABLE mail_outbox ADD COLUMN failed_at INTEGER;
CREATE INDEX mail_outbox_failed_at ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;
-- An admin's choice to get the digest (1 = send).
ALTER TABLE users ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 1;

-- One row per digest: the period it covers, from the end of the one before. The unique start is
-- what makes a period reported once, whichever instance or admin starts it.
CREATE TABLE admin_digests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_start INTEGER NOT NULL UNIQUE,
    period_end INTEGER NOT NULL,
    -- What it reported (counts), and how many admins it was mailed to (0: nothing to report).
    deadlines INTEGER NOT NULL DEFAULT 0,
    restricted INTEGER NOT NULL DEFAULT 0,
    failed_events INTEGER NOT NULL DEFAULT 0,
    failed_mails INTEGER NOT NULL DEFAULT 0,
    mailed INTEGER NOT NULL DEFAULT 0,
    -- NULL when the schedule started it; else the admin who did.
    started_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
