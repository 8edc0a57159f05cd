//! SQL for the `email_tokens` table: single-use links sent by mail, stored as SHA-256 hashes.

use sqlx::Any;

/// What a used link does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedToken {
    pub user_id: i64,
    pub new_email: Option<String>,
}

/// Stores a new link for `user_id`, whose address is `for_email`; earlier open links of the same
/// purpose stop working (only the newest mail's link counts).
#[allow(clippy::too_many_arguments)]
pub async fn issue_in(
    tx: &mut sqlx::Transaction<'_, Any>,
    token_hash: &str,
    user_id: i64,
    for_email: &str,
    purpose: &str,
    new_email: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE email_tokens SET expires_at = $1 WHERE user_id = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .bind(purpose)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, for_email, purpose, new_email, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(for_email)
    .bind(purpose)
    .bind(new_email)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A link is open while it is unused, unexpired and its login still has the address it was made
/// for (a link mailed to an old address dies with the change).
const OPEN: &str = "used_at IS NULL AND expires_at > $1 \
     AND for_email = (SELECT email FROM users WHERE users.id = email_tokens.user_id)";

/// Uses the link if it is open and of this purpose: one conditional UPDATE, so of two requests
/// with one link exactly one gets it.
pub async fn consume_in(
    tx: &mut sqlx::Transaction<'_, Any>,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<UsedToken>, sqlx::Error> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(&format!(
        "UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND {OPEN} \
         RETURNING user_id, new_email"
    ))
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(user_id, new_email)| UsedToken { user_id, new_email }))
}

/// Whether the link is open, without using it (to show its page).
pub async fn is_open(
    db: &super::Db,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT user_id FROM email_tokens WHERE token_hash = $2 AND purpose = $3 AND {OPEN}"
    ))
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// Ends every open link of `user_id` (its password or address changed: a link mailed before
/// must not outlive that).
pub async fn withdraw_all_in<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    user_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE email_tokens SET expires_at = $1 WHERE user_id = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .execute(executor)
    .await
    .map(|r| r.rows_affected())
}

/// When the newest link of this purpose was made for `user_id` (to space out resends).
pub async fn newest_created_at(
    db: &super::Db,
    user_id: i64,
    purpose: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(created_at) FROM email_tokens WHERE user_id = $1 AND purpose = $2",
    )
    .bind(user_id)
    .bind(purpose)
    .fetch_one(db.pool())
    .await?;
    Ok(row.0)
}

/// Removes links that can no longer be used.
pub async fn delete_closed(db: &super::Db, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM email_tokens WHERE used_at IS NOT NULL OR expires_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await
        .map(|r| r.rows_affected())
}
