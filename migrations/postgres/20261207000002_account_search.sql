-- Substring search of the console's account list (name or email) through an index: a trigram
-- GIN index (pg_trgm, shipped with PostgreSQL) on the same expression the query matches with
-- LIKE '%…%'. Creating the extension needs a role allowed to (the database owner on PostgreSQL
-- 13+, where pg_trgm is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX connected_accounts_search_trgm ON connected_accounts
USING GIN ((LOWER(COALESCE(business_name, '') || ' | ' || COALESCE(email, ''))) gin_trgm_ops);
