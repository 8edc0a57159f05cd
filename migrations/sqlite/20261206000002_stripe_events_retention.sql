-- The console lists events newest first (ORDER BY received_at DESC, id DESC, optionally filtered)
-- and shows when the newest arrived (MAX(received_at)); retention deletes processed and ignored
-- events received before a cut-off. All three walk this index instead of the whole table.
CREATE INDEX stripe_events_received ON stripe_events (received_at, id);
