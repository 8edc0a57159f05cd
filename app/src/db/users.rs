//! SQL for the `users` table.

use super::{is_unique_violation, unix_now, Db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: i64,
    /// Bumped by every password change; sessions remember the version they signed in under.
    pub credentials_version: i64,
    /// When the login's address was confirmed by a mailed link (`None`: not yet).
    pub email_confirmed_at: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("email already registered")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const COLUMNS: &str =
    "id, email, password_hash, role, created_at, credentials_version, email_confirmed_at";

pub async fn insert(
    db: &Db,
    email: &str,
    password_hash: &str,
    role: &str,
) -> Result<i64, InsertUserError> {
    let row: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO users (email, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(unix_now())
    .fetch_one(db.pool())
    .await;
    match row {
        Ok((id,)) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(InsertUserError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

/// A new owner login from sign-up, inside the transaction that also queues its mail: `None` when
/// the address already has a login (no error, so the transaction goes on to tell that owner).
pub async fn insert_unless_taken_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &str,
    password_hash: &str,
    role: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO users (email, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
    .map(|row: Option<(i64,)>| row.map(|(id,)| id))
}

/// Marks the login's address confirmed (a no-op when it already was). A first confirmation also
/// ends the login's credentials version: whoever signed in before the address was proven (e.g.
/// someone who signed up with another person's address) is signed out.
pub async fn confirm_email_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET email_confirmed_at = $1, credentials_version = credentials_version + 1 \
         WHERE id = $2 AND email_confirmed_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Moves the login to a confirmed new address; `false` when another login has it by now.
pub async fn move_to_confirmed_email_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET email = $1, email_confirmed_at = $2 WHERE id = $3 \
         AND NOT EXISTS (SELECT 1 FROM users WHERE email = $1)",
    )
    .bind(email)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await;
    match result {
        Ok(r) => Ok(r.rows_affected() == 1),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// [`set_password_hash`] on a connection or transaction of the caller's.
pub async fn set_password_hash_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: i64,
    password_hash: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE users SET password_hash = $1, credentials_version = credentials_version + 1 \
         WHERE id = $2 RETURNING credentials_version",
    )
    .bind(password_hash)
    .bind(id)
    .fetch_optional(executor)
    .await
    .map(|row: Option<(i64,)>| row.map(|(v,)| v))
}

/// The login's address, inside the caller's transaction.
pub async fn email_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map(|row: Option<(String,)>| row.map(|(email,)| email))
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(db.pool())
        .await
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Sets a new password and ends the credentials' version; returns the new version (`None`: no
/// such login).
pub async fn set_password_hash(
    db: &Db,
    id: i64,
    password_hash: &str,
) -> Result<Option<i64>, sqlx::Error> {
    set_password_hash_in(db.pool(), id, password_hash).await
}

/// Number of people per role, for the console overview.
pub async fn count_by_role(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role")
        .fetch_all(db.pool())
        .await
}

pub async fn delete(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// An admin, as the console lists them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AdminRow {
    pub id: i64,
    pub email: String,
    pub created_at: i64,
}

/// Every admin, by email.
pub async fn list_admins(db: &Db) -> Result<Vec<AdminRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, created_at FROM users WHERE role = 'admin' ORDER BY email LIMIT 500",
    )
    .fetch_all(db.pool())
    .await
}

/// The addresses the admins' digest goes to: admins who want it (`users.mail_digest`).
pub async fn digest_recipients_in(
    conn: &mut sqlx::AnyConnection,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email FROM users WHERE role = 'admin' AND mail_digest = 1 ORDER BY email LIMIT 500",
    )
    .fetch_all(conn)
    .await
    .map(|rows| rows.into_iter().map(|(email,): (String,)| email).collect())
}

/// How many admins there are, and how many of them get the digest.
pub async fn count_admins_and_digest_recipients(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(mail_digest), 0) AS BIGINT) FROM users \
         WHERE role = 'admin'",
    )
    .fetch_one(db.pool())
    .await
}

/// Whether the admin `id` gets the digest.
pub async fn wants_digest(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT mail_digest FROM users WHERE id = $1 AND role = 'admin'")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.is_some_and(|(v,)| v != 0))
}

/// The admin `id` gets the digest, or not.
pub async fn set_wants_digest(db: &Db, id: i64, wants: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET mail_digest = $1 WHERE id = $2 AND role = 'admin'")
        .bind(wants as i64)
        .bind(id)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Opens a transaction for removing an admin: its first statement writes to every admin's row.
/// On PostgreSQL that locks them, so two removals run one after the other and the second sees
/// the first one's result (each would otherwise see the other admin still there and both
/// delete); on SQLite it takes the write lock before anything is read (a transaction that read
/// first could not upgrade to writing once another connection had written).
pub async fn begin_admin_change(
    db: &Db,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE users SET role = role WHERE role = 'admin'")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The admin's email, when `id` is an admin.
pub async fn find_admin_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT email FROM users WHERE id = $1 AND role = 'admin'")
            .bind(id)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(email,)| email))
}

/// Deletes the admin `id`'s login, only when another admin remains (the condition is part of the
/// statement). `false`: not deleted (the last admin, or not an admin).
pub async fn delete_admin_keeping_another_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "DELETE FROM users WHERE id = $1 AND role = 'admin' \
         AND EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND id <> $1)",
    )
    .bind(id)
    .execute(executor)
    .await
    .map(|r| r.rows_affected() == 1)
}
