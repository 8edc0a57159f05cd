//! SQL for the `admin_digests` table: one row per digest and the period it covers.

use super::Db;
use domain::admin_digest::DigestCounts;

/// A digest as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DigestRow {
    pub id: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub deadlines: i64,
    pub restricted: i64,
    pub failed_events: i64,
    pub failed_mails: i64,
    pub mailed: i64,
    pub started_by: Option<i64>,
}

/// Claims the period from the end of the last digest (`first_start` when there is none) to `now`,
/// in the caller's transaction, unless that period would start later than `now - gap`. Returns the
/// new digest's id and start, or `None` when there is nothing to claim (another instance or admin
/// just claimed it: the unique start refuses a second claim of one period).
///
/// One statement, so SQLite takes its write lock before reading the last digest.
pub async fn claim_in(
    conn: &mut sqlx::AnyConnection,
    first_start: i64,
    now: i64,
    gap: i64,
    started_by: Option<i64>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    // `WHERE` before `ON CONFLICT` also keeps SQLite from reading ON as a join's.
    sqlx::query_as(
        "INSERT INTO admin_digests (period_start, period_end, started_by) \
         SELECT last.start, $1, $2 FROM \
           (SELECT COALESCE(MAX(period_end), $3) AS start FROM admin_digests) last \
         WHERE last.start < $4 \
         ON CONFLICT (period_start) DO NOTHING RETURNING id, period_start",
    )
    .bind(now)
    .bind(started_by)
    .bind(first_start)
    .bind(now - gap)
    .fetch_optional(conn)
    .await
}

/// Records what the digest `id` reported and to how many admins it was mailed.
pub async fn record_in(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    counts: &DigestCounts,
    mailed: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE admin_digests SET deadlines = $1, restricted = $2, failed_events = $3, \
         failed_mails = $4, mailed = $5 WHERE id = $6",
    )
    .bind(counts.deadlines)
    .bind(counts.restricted)
    .bind(counts.failed_events)
    .bind(counts.failed_mails)
    .bind(mailed)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The newest digests, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<DigestRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, period_start, period_end, deadlines, restricted, failed_events, \
         failed_mails, mailed, started_by FROM admin_digests ORDER BY period_end DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
