-- The platform's configuration as an admin saved it (one row, JSON of domain::platform::PlatformConfig).
-- No row: the defaults from the environment apply.
CREATE TABLE platform_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    config TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
