//! SQL for the `audit_log` table: every console action, with who did it and to which account.

use super::Db;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub admin_email: String,
    pub action: String,
    pub account_id: Option<String>,
    pub detail: String,
}

pub async fn record(
    db: &Db,
    at: i64,
    admin_user_id: i64,
    admin_email: &str,
    action: &str,
    account_id: Option<&str>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, admin_user_id, admin_email, action, account_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(admin_user_id)
    .bind(admin_email)
    .bind(action)
    .bind(account_id)
    .bind(detail)
    .execute(db.pool())
    .await
    .map(|_| ())
}

/// The newest entries, optionally for one account.
pub async fn list(
    db: &Db,
    account_id: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, at, admin_email, action, account_id, detail FROM audit_log \
         WHERE ($1 IS NULL OR account_id = $1) ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
