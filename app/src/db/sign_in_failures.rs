//! SQL for the `sign_in_failures` table (see `crate::throttle` for the policy).

use super::Db;
use crate::throttle::{RecentFailures, WINDOW_SECS};

pub async fn record(db: &Db, email: &str, client: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sign_in_failures (email, client, at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(client)
        .bind(at)
        .execute(db.pool())
        .await
        .map(|_| ())
}

pub async fn recent(
    db: &Db,
    email: &str,
    client: &str,
    now: i64,
) -> Result<RecentFailures, sqlx::Error> {
    let since = now - WINDOW_SECS;
    let (for_email, email_oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE email = $1 AND at > $2",
    )
    .bind(email)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    let (for_client, client_oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE client = $1 AND at > $2",
    )
    .bind(client)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok(RecentFailures {
        for_email,
        email_oldest_at: email_oldest,
        for_client,
        client_oldest_at: client_oldest,
    })
}

/// A successful sign-in forgives that email's failures.
pub async fn clear_for_email(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
        .bind(email)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Drops rows that no longer count, so the table stays small.
pub async fn delete_older_than(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(before)
        .execute(db.pool())
        .await
        .map(|r| r.rows_affected())
}
