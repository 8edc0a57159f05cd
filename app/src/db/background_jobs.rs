//! SQL for the `background_jobs` table: periodic jobs claimed with a lease, so one instance at a
//! time runs each.

use super::Db;

/// Claims `name` for `worker` until `now + lease_secs` when it is due (last run at least
/// `every_secs` ago) and nobody holds it. `true`: run it now.
pub async fn try_claim(
    db: &Db,
    name: &str,
    worker: &str,
    now: i64,
    every_secs: i64,
    lease_secs: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query("INSERT INTO background_jobs (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(db.pool())
        .await?;
    let claimed = sqlx::query(
        "UPDATE background_jobs SET claimed_by = $1, claimed_until = $2 \
         WHERE name = $3 AND last_run_at <= $4 \
           AND (claimed_until IS NULL OR claimed_until < $5)",
    )
    .bind(worker)
    .bind(now + lease_secs)
    .bind(name)
    .bind(now - every_secs)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Records a finished run and gives the claim back.
pub async fn finish(db: &Db, name: &str, worker: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE background_jobs SET claimed_by = NULL, claimed_until = NULL, last_run_at = $1 \
         WHERE name = $2 AND claimed_by = $3",
    )
    .bind(now)
    .bind(name)
    .bind(worker)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Gives the claim back without recording a run (the run failed: try again soon).
pub async fn release(db: &Db, name: &str, worker: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE background_jobs SET claimed_by = NULL, claimed_until = NULL \
         WHERE name = $1 AND claimed_by = $2",
    )
    .bind(name)
    .bind(worker)
    .execute(db.pool())
    .await
    .map(|_| ())
}
