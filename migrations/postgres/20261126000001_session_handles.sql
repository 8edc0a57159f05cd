-- A public handle per session, so a person can see and end their sessions without the session
-- id (the cookie's secret) ever leaving the server.
ALTER TABLE sessions ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX sessions_handle ON sessions (handle);
