//! SQL for the `mail_outbox` table: mail written in the same transaction as the change that
//! causes it, then sent by the mail worker (`server::mail`).

use super::Db;

/// A mail to be written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub kind: &'static str,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// A mail as the worker sends it and the development mailbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, to_address, subject, text_body, html_body, state, \
                       CAST(attempts AS BIGINT) AS attempts, last_error, created_at, sent_at";

/// Queues `mail` inside the caller's transaction, so the mail exists exactly when the change
/// that causes it was committed.
pub async fn enqueue_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    mail: &NewMail,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO mail_outbox (kind, to_address, subject, text_body, html_body, next_attempt_at, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(mail.kind)
    .bind(&mail.to_address)
    .bind(&mail.subject)
    .bind(&mail.text_body)
    .bind(&mail.html_body)
    .bind(now)
    .fetch_one(executor)
    .await
    .map(|(id,): (i64,)| id)
}

/// Takes the oldest due mail for `lease_secs` and counts the attempt (counted as it starts, so a
/// send that never ends still counts). The conditional UPDATE is the claim: of two instances
/// racing for one mail, one updates the row and the other finds it leased.
pub async fn claim_next(
    db: &Db,
    now: i64,
    lease_secs: i64,
) -> Result<Option<MailRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE mail_outbox SET leased_until = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= $2 \
                     AND (leased_until IS NULL OR leased_until < $2) ORDER BY id LIMIT 1) \
           AND state = 'pending' AND (leased_until IS NULL OR leased_until < $2) \
         RETURNING {COLUMNS}"
    ))
    .bind(now + lease_secs)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// The mail went out on try `attempt` (the claim's: a later claim by another instance is not
/// overwritten). `keep_bodies` is false once an SMTP server has it: the bodies hold single-use
/// links, and the database need not keep them.
pub async fn mark_sent(
    db: &Db,
    id: i64,
    attempt: i64,
    now: i64,
    keep_bodies: bool,
) -> Result<(), sqlx::Error> {
    let bodies = if keep_bodies {
        ""
    } else {
        ", text_body = '', html_body = ''"
    };
    sqlx::query(&format!(
        "UPDATE mail_outbox SET state = 'sent', sent_at = $1, leased_until = NULL, \
         last_error = NULL{bodies} WHERE id = $2 AND attempts = $3"
    ))
    .bind(now)
    .bind(id)
    .bind(attempt)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// Try `attempt` failed: tried again at `retry_at`, or marked failed when `retry_at` is `None`
/// at `now` (its bodies, which hold single-use links, are then emptied).
pub async fn mark_failed_attempt(
    db: &Db,
    id: i64,
    attempt: i64,
    error: &str,
    retry_at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    match retry_at {
        Some(at) => sqlx::query(
            "UPDATE mail_outbox SET leased_until = NULL, last_error = $1, next_attempt_at = $2 \
             WHERE id = $3 AND state = 'pending' AND attempts = $4",
        )
        .bind(error)
        .bind(at)
        .bind(id)
        .bind(attempt),
        None => sqlx::query(
            "UPDATE mail_outbox SET state = 'failed', leased_until = NULL, last_error = $1, \
             text_body = '', html_body = '', failed_at = $4 \
             WHERE id = $2 AND state = 'pending' AND attempts = $3",
        )
        .bind(error)
        .bind(id)
        .bind(attempt)
        .bind(now),
    }
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// The newest mails (at most `limit`), for the console and the development mailbox.
pub async fn list_recent(db: &Db, limit: i64) -> Result<Vec<MailRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM mail_outbox ORDER BY id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

pub async fn find(db: &Db, id: i64) -> Result<Option<MailRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM mail_outbox WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Deletes mail sent before `before` (failed mail stays for the console); returns how many.
pub async fn delete_sent_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM mail_outbox WHERE state = 'sent' AND sent_at < $1")
        .bind(before)
        .execute(db.pool())
        .await
        .map(|r| r.rows_affected())
}

/// How many mails are in each state, for the console.
pub async fn count_by_state(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT state, COUNT(*) FROM mail_outbox GROUP BY state ORDER BY state")
        .fetch_all(db.pool())
        .await
}

/// A mail given up, as the admins' digest lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FailedMail {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub last_error: Option<String>,
    pub failed_at: i64,
}

/// Mail given up in `[from, to)`: at most `limit`, oldest first, how many there are, and how many
/// mails are failed in all.
pub async fn failed_between_in(
    conn: &mut sqlx::AnyConnection,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<(Vec<FailedMail>, i64, i64), sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT id, kind, to_address, last_error, failed_at FROM mail_outbox \
         WHERE state = 'failed' AND failed_at >= $1 AND failed_at < $2 \
         ORDER BY failed_at, id LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mail_outbox WHERE state = 'failed' AND failed_at >= $1 AND failed_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let (all,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE state = 'failed'")
        .fetch_one(conn)
        .await?;
    Ok((rows, count, all))
}
