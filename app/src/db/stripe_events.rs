//! SQL for the `stripe_events` table: webhook events stored before they are acknowledged, then
//! claimed with a lease and processed by the webhook workers of any instance.
//!
//! Claiming is one `UPDATE … WHERE id IN (…) AND <still claimable>`: on PostgreSQL a concurrent
//! claim of the same row waits for the first one and then re-checks the conditions, so exactly one
//! worker gets each row; SQLite has a single writer.

use super::{unix_now, Db};

/// Where an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    /// A v1 event with the object's snapshot (`POST /webhooks/stripe`).
    Snapshot,
    /// A v2 thin event, ids only (`POST /webhooks/stripe/thin`).
    Thin,
}

impl EventSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Snapshot => "snapshot",
            EventSource::Thin => "thin",
        }
    }

    pub fn parse(s: &str) -> Option<EventSource> {
        match s {
            "snapshot" => Some(EventSource::Snapshot),
            "thin" => Some(EventSource::Thin),
            _ => None,
        }
    }
}

/// An event as it arrived, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub id: &'a str,
    pub source: EventSource,
    pub event_type: &'a str,
    pub account_id: Option<&'a str>,
    pub created: i64,
    pub payload: &'a str,
}

/// A claimed event, for processing (`attempts`: those started before this claim).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedEvent {
    pub id: String,
    pub source: String,
    pub event_type: String,
    pub account_id: Option<String>,
    pub created: i64,
    pub payload: String,
    pub attempts: i64,
}

/// The bookkeeping of one stored event (for tests, the console and the benchmark).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventStatus {
    pub id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// Stores an event. `false` when an event with this id is already stored (a redelivery).
pub async fn insert(db: &Db, event: &NewEvent<'_>) -> Result<bool, sqlx::Error> {
    let now = unix_now();
    let result = sqlx::query(
        "INSERT INTO stripe_events (id, source, event_type, account_id, created, payload, status, \
         attempts, next_attempt_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(event.id)
    .bind(event.source.as_str())
    .bind(event.event_type)
    .bind(event.account_id)
    .bind(event.created)
    .bind(event.payload)
    .bind(now)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Claims up to `limit` due events for `worker` until `now + lease_secs`, oldest first.
pub async fn claim_due(
    db: &Db,
    worker: &str,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<ClaimedEvent>, sqlx::Error> {
    let mut claimed: Vec<ClaimedEvent> = sqlx::query_as(
        "UPDATE stripe_events SET claimed_by = $1, claimed_until = $2 \
         WHERE id IN (SELECT id FROM stripe_events WHERE status = 'pending' AND next_attempt_at <= $3 \
                      AND (claimed_until IS NULL OR claimed_until < $3) \
                      ORDER BY created, received_at LIMIT $4) \
           AND status = 'pending' AND next_attempt_at <= $3 \
           AND (claimed_until IS NULL OR claimed_until < $3) \
         RETURNING id, source, event_type, account_id, created, payload, attempts",
    )
    .bind(worker)
    .bind(now + lease_secs)
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    // RETURNING does not keep the subquery's order.
    claimed.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    Ok(claimed)
}

/// Starts an attempt at a claimed event: counts it and renews the lease to `now + lease_secs`,
/// if the claim is still `worker`'s and has not run out (else another worker may have taken the
/// event: `None`, leave it). The attempt is counted before processing, so one that never ends (a
/// panic, a killed process) still counts. `Some(n)`: this is attempt number `n`.
///
/// Counted here rather than in [`claim_due`]: a batch's later events are not attempted when the
/// worker dies on an earlier one, and must not use up their attempts for it.
pub async fn start_attempt(
    db: &Db,
    id: &str,
    worker: &str,
    now: i64,
    lease_secs: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE stripe_events SET attempts = attempts + 1, claimed_until = $1 \
         WHERE id = $2 AND claimed_by = $3 AND claimed_until >= $4 AND status = 'pending' \
         RETURNING attempts",
    )
    .bind(now + lease_secs)
    .bind(id)
    .bind(worker)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// Marks a claimed event done: `processed` or `ignored`.
pub async fn finish(
    db: &Db,
    id: &str,
    worker: &str,
    status: &'static str,
) -> Result<(), sqlx::Error> {
    debug_assert!(status == "processed" || status == "ignored");
    sqlx::query(
        "UPDATE stripe_events SET status = $1, processed_at = $2, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $3 AND claimed_by = $4",
    )
    .bind(status)
    .bind(unix_now())
    .bind(id)
    .bind(worker)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Records a failed attempt (counted by [`start_attempt`]): retried at `next_attempt_at`, or
/// given up (`failed`, at `now`) when `give_up`.
#[allow(clippy::too_many_arguments)]
pub async fn record_failure(
    db: &Db,
    id: &str,
    worker: &str,
    error: &str,
    now: i64,
    next_attempt_at: i64,
    give_up: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE stripe_events SET status = $1, last_error = $2, \
         next_attempt_at = $3, claimed_by = NULL, claimed_until = NULL, failed_at = $6 \
         WHERE id = $4 AND claimed_by = $5",
    )
    .bind(if give_up { "failed" } else { "pending" })
    .bind(error)
    .bind(next_attempt_at)
    .bind(id)
    .bind(worker)
    .bind(give_up.then_some(now))
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Gives up an event whose earlier attempts never finished (each ended in a panic or a dead
/// process): marked `failed` with `error`, without the attempt just started, which does not run.
pub async fn abandon(
    db: &Db,
    id: &str,
    worker: &str,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE stripe_events SET status = 'failed', attempts = attempts - 1, last_error = $1, \
         claimed_by = NULL, claimed_until = NULL, failed_at = $4 WHERE id = $2 AND claimed_by = $3",
    )
    .bind(error)
    .bind(id)
    .bind(worker)
    .bind(now)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Gives back the claims a stopping worker still holds, so another instance takes them at once.
pub async fn release_claims(db: &Db, worker: &str) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE stripe_events SET claimed_by = NULL, claimed_until = NULL \
         WHERE claimed_by = $1 AND status = 'pending'",
    )
    .bind(worker)
    .execute(db.pool())
    .await
    .map(|r| r.rows_affected())
}

/// The earliest time a pending event becomes due (for the worker's sleep).
pub async fn next_due_at(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at \
         THEN claimed_until ELSE next_attempt_at END) FROM stripe_events WHERE status = 'pending'",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(at)
}

pub async fn find(db: &Db, id: &str) -> Result<Option<EventStatus>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, event_type, status, attempts, last_error FROM stripe_events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// Number of events per status.
pub async fn count_by_status(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, COUNT(*) FROM stripe_events GROUP BY status ORDER BY status")
        .fetch_all(db.pool())
        .await
}

/// Number of stored events still waiting to be processed.
pub async fn count_pending(db: &Db) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM stripe_events WHERE status = 'pending'")
            .fetch_one(db.pool())
            .await?;
    Ok(n)
}

/// A stored event as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub source: String,
    pub event_type: String,
    pub account_id: Option<String>,
    pub created: i64,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub received_at: i64,
    pub payload: String,
}

const EVENT_COLUMNS: &str = "id, source, event_type, account_id, created, status, attempts, \
    last_error, received_at, payload";

/// The newest events, optionally of one status, type and account.
pub async fn list(
    db: &Db,
    status: Option<&str>,
    event_type: Option<&str>,
    account_id: Option<&str>,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM stripe_events \
         WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR event_type = $2) \
           AND ($3 IS NULL OR account_id = $3) \
         ORDER BY received_at DESC, id DESC LIMIT $4"
    ))
    .bind(status)
    .bind(event_type)
    .bind(account_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// When the newest event arrived.
pub async fn last_received_at(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    let (at,): (Option<i64>,) = sqlx::query_as("SELECT MAX(received_at) FROM stripe_events")
        .fetch_one(db.pool())
        .await?;
    Ok(at)
}

/// Gives a failed event back to the workers now, with a new series of attempts (its count starts
/// again, else an event given up after its last attempt would be given up again unprocessed).
/// `false` when it is not failed.
pub async fn retry_failed(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE stripe_events SET status = 'pending', attempts = 0, next_attempt_at = $1, \
         claimed_by = NULL, claimed_until = NULL, failed_at = NULL WHERE id = $2 AND status = 'failed'",
    )
    .bind(unix_now())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes up to `limit` processed and ignored events received before `before` (failed and
/// pending ones stay: they still need someone). Returns how many were deleted; call again while
/// it returns `limit`, so no single statement holds the table for long.
pub async fn prune_done(db: &Db, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM stripe_events WHERE id IN (SELECT id FROM stripe_events \
         WHERE received_at < $1 AND status IN ('processed', 'ignored') LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(db.pool())
    .await
    .map(|r| r.rows_affected())
}

/// An event given up, as the admins' digest lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FailedEvent {
    pub id: String,
    pub event_type: String,
    pub account_id: Option<String>,
    pub last_error: Option<String>,
    pub failed_at: i64,
}

/// Events given up in `[from, to)` and still failed: at most `limit` of them, oldest first, how
/// many there are, and how many are failed in all.
pub async fn failed_between_in(
    conn: &mut sqlx::AnyConnection,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<(Vec<FailedEvent>, i64, i64), sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT id, event_type, account_id, last_error, failed_at FROM stripe_events \
         WHERE status = 'failed' AND failed_at >= $1 AND failed_at < $2 \
         ORDER BY failed_at, id LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM stripe_events \
         WHERE status = 'failed' AND failed_at >= $1 AND failed_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let (all,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM stripe_events WHERE status = 'failed'")
            .fetch_one(conn)
            .await?;
    Ok((rows, count, all))
}
