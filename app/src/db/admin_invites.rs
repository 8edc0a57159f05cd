//! SQL for the `admin_invites` table: one-time links to become an admin (stored as token hashes).

use super::Db;

/// An invite is only as good as its inviter: once they are no longer an admin (removed, or their
/// login deleted, which empties `invited_by`), their open links accept nobody. Removal withdraws
/// them too; this also covers an invite made while its maker was being removed.
const INVITER_IS_ADMIN: &str = "invited_by IN (SELECT id FROM users WHERE role = 'admin')";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InviteRow {
    pub token_hash: String,
    pub invited_by_email: String,
    pub note: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(
    db: &Db,
    token_hash: &str,
    invited_by: i64,
    invited_by_email: &str,
    note: &str,
    created_at: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admin_invites (token_hash, invited_by, invited_by_email, note, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(invited_by)
    .bind(invited_by_email)
    .bind(note)
    .bind(created_at)
    .bind(expires_at)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// The invite, when it is unused and unexpired at `now`.
pub async fn find_open(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT token_hash, invited_by_email, note, created_at, expires_at FROM admin_invites \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 AND {INVITER_IS_ADMIN}"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// Marks the invite used, if it still is open: `false` when another request used it first.
pub async fn consume(db: &Db, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(&format!(
        "UPDATE admin_invites SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 AND {INVITER_IS_ADMIN}"
    ))
    .bind(now)
    .bind(token_hash)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Reopens an invite whose use failed after [`consume`] (e.g. the email was taken).
pub async fn release(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_invites SET used_at = NULL WHERE token_hash = $1 AND used_by IS NULL")
        .bind(token_hash)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Records who the invite made an admin.
pub async fn set_used_by(db: &Db, token_hash: &str, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admin_invites SET used_by = $1 WHERE token_hash = $2")
        .bind(user_id)
        .bind(token_hash)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Invites still open at `now`, newest first.
pub async fn list_open(db: &Db, now: i64) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT token_hash, invited_by_email, note, created_at, expires_at FROM admin_invites \
         WHERE used_at IS NULL AND expires_at > $1 AND {INVITER_IS_ADMIN} \
         ORDER BY created_at DESC LIMIT 50"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
}

/// Withdraws an open invite: `false` when there was none.
pub async fn revoke(db: &Db, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE admin_invites SET expires_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Withdraws every open invite `invited_by` made (their maker is being removed); returns how many.
pub async fn withdraw_made_by_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    invited_by: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE admin_invites SET expires_at = $1 WHERE invited_by = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(invited_by)
    .execute(executor)
    .await
    .map(|r| r.rows_affected())
}
