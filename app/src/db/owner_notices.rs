//! SQL for the `owner_notices` table (what an account's owner was mailed about, once per change)
//! and the owner's choice of optional mails (`users.mail_reminders`,
//! `users.mail_payouts_and_capabilities`).

use super::Db;
use sqlx::AnyConnection;

/// The login an account's notices go to, with its choices.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeOwner {
    pub user_id: i64,
    pub email: String,
    pub mail_reminders: i64,
    pub mail_payouts_and_capabilities: i64,
}

/// The owner of the cached account `stripe_account_id`, if it has one.
pub async fn owner_in(
    conn: &mut AnyConnection,
    stripe_account_id: &str,
) -> Result<Option<NoticeOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.mail_reminders, u.mail_payouts_and_capabilities \
         FROM connected_accounts c JOIN users u ON u.id = c.owner_user_id \
         WHERE c.stripe_account_id = $1",
    )
    .bind(stripe_account_id)
    .fetch_optional(conn)
    .await
}

/// Writes the notice unless one with its key exists for the account: its id when it is new (the
/// caller then queues its mail in the same transaction), `None` when it was already told.
pub async fn insert_in(
    conn: &mut AnyConnection,
    stripe_account_id: &str,
    key: &str,
    kind: &str,
    user_id: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO owner_notices (stripe_account_id, notice_key, kind, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (stripe_account_id, notice_key) DO NOTHING RETURNING id",
    )
    .bind(stripe_account_id)
    .bind(key)
    .bind(kind)
    .bind(user_id)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn set_mail_in(
    conn: &mut AnyConnection,
    notice_id: i64,
    mail_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE owner_notices SET mail_id = $1 WHERE id = $2")
        .bind(mail_id)
        .bind(notice_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The login's optional mails: (reminders, payouts and capabilities).
pub async fn preferences(db: &Db, user_id: i64) -> Result<(bool, bool), sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT mail_reminders, mail_payouts_and_capabilities FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map_or((true, true), |(a, b)| (a != 0, b != 0)))
}

pub async fn set_preferences(
    db: &Db,
    user_id: i64,
    reminders: bool,
    payouts_and_capabilities: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET mail_reminders = $1, mail_payouts_and_capabilities = $2 WHERE id = $3",
    )
    .bind(reminders as i64)
    .bind(payouts_and_capabilities as i64)
    .bind(user_id)
    .execute(db.pool())
    .await
    .map(|_| ())
}
