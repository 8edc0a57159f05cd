-- One row per capability of each cached account (the JSON in connected_accounts.capabilities,
-- flattened), so the console can filter by capability status through an index. Rewritten whenever
-- the account's row is; filled at start for rows written before this table existed.
CREATE TABLE account_capabilities (
    account_id INTEGER NOT NULL REFERENCES connected_accounts (id) ON DELETE CASCADE,
    -- v1 name (`card_payments`) or v2 path (`merchant.card_payments`).
    capability TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (account_id, capability)
);
CREATE INDEX account_capabilities_lookup ON account_capabilities (capability, status, account_id);
CREATE INDEX account_capabilities_status ON account_capabilities (status, account_id);

-- The console's sorts (name A to Z; deadline soonest first, accounts without one last), with the
-- id as tie-breaker for keyset pagination.
CREATE INDEX connected_accounts_name_key
    ON connected_accounts (LOWER(COALESCE(business_name, email, '')), id);
CREATE INDEX connected_accounts_deadline_key
    ON connected_accounts (COALESCE(current_deadline, 253402300799), id);
