-- This portal installation's random id (one row), made by the application on its first start
-- (INSERT … ON CONFLICT DO NOTHING, then SELECT: instances starting together on one database
-- agree on the row that won). It is part of every idempotency key the portal derives, so two
-- portals sharing one Stripe key never replay each other's requests.
CREATE TABLE installation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    installation_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
