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
    record_in(
        db.pool(),
        at,
        admin_user_id,
        admin_email,
        action,
        account_id,
        detail,
    )
    .await
}

/// [`record`] on a connection or transaction of the caller's (the entry commits with the action).
pub async fn record_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
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
    .execute(executor)
    .await
    .map(|_| ())
}

/// The audit log's filters (each optional).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub account_id: Option<String>,
    /// Part of the admin's email (lowercase).
    pub admin_email: Option<String>,
    /// The action exactly, e.g. `reject`.
    pub action: Option<String>,
}

/// The newest entries matching `filter`.
pub async fn list(db: &Db, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    let pattern = filter
        .admin_email
        .as_ref()
        .map(|e| format!("%{}%", e.replace(['%', '_'], "")));
    sqlx::query_as(
        "SELECT id, at, admin_email, action, account_id, detail FROM audit_log \
         WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR LOWER(admin_email) LIKE $2) \
           AND ($3 IS NULL OR action = $3) \
         ORDER BY at DESC, id DESC LIMIT $4",
    )
    .bind(&filter.account_id)
    .bind(pattern)
    .bind(&filter.action)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
