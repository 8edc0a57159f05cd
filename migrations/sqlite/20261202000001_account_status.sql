-- The status the console filters and counts by (domain::account_status slug), computed whenever
-- the row is written; NULL for rows written before this column existed (filled at start).
ALTER TABLE connected_accounts ADD COLUMN status TEXT;
CREATE INDEX connected_accounts_status_created ON connected_accounts (status, created_at, id);
CREATE INDEX connected_accounts_created_id ON connected_accounts (created_at, id);
