//! SQL for the `attempt_slots` table (see `crate::throttle` for the policy).

use super::Db;
use crate::throttle::{Scope, SlotUse};

/// The stored slots of a key (free or not).
pub async fn used(db: &Db, scope: Scope, key: &str) -> Result<Vec<SlotUse>, sqlx::Error> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT slot, at FROM attempt_slots WHERE scope = $1 AND key = $2")
            .bind(scope.as_str())
            .bind(key)
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(slot, at)| SlotUse { slot, at })
        .collect())
}

/// Takes `slot` of a key for an attempt made `at`, if it is unused or its attempt is at or before
/// `free_before`. One statement: on PostgreSQL a concurrent taker of the same row waits and then
/// re-checks the condition; SQLite has one writer. `true` when this attempt took it.
pub async fn try_take(
    db: &Db,
    scope: Scope,
    key: &str,
    slot: i64,
    at: i64,
    free_before: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO attempt_slots (scope, key, slot, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (scope, key, slot) DO UPDATE SET at = excluded.at \
         WHERE attempt_slots.at <= $5",
    )
    .bind(scope.as_str())
    .bind(key)
    .bind(slot)
    .bind(at)
    .bind(free_before)
    .execute(db.pool())
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Gives back one slot taken at `at` (an attempt that did not happen or is forgiven).
pub async fn release(
    db: &Db,
    scope: Scope,
    key: &str,
    slot: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM attempt_slots WHERE scope = $1 AND key = $2 AND slot = $3 AND at = $4")
        .bind(scope.as_str())
        .bind(key)
        .bind(slot)
        .bind(at)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Frees every slot of a key (a correct password forgives that email's failures).
pub async fn release_all(db: &Db, scope: Scope, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM attempt_slots WHERE scope = $1 AND key = $2")
        .bind(scope.as_str())
        .bind(key)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Drops slots whose attempts no longer count under any limit, so the table stays small.
pub async fn delete_older_than(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM attempt_slots WHERE at <= $1")
        .bind(before)
        .execute(db.pool())
        .await
        .map(|r| r.rows_affected())
}
