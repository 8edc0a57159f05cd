//! SQL for the `platform_settings` table: one row holding the configuration an admin saved.

use super::Db;

/// The saved configuration (JSON text) and when it was saved.
pub async fn load(db: &Db) -> Result<Option<(String, i64)>, sqlx::Error> {
    load_in(db.pool()).await
}

/// [`load`] on a connection or transaction of the caller's.
pub async fn load_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT config, updated_at FROM platform_settings WHERE id = 1")
        .fetch_optional(executor)
        .await
}

/// Replaces the saved configuration.
pub async fn save(db: &Db, config_json: &str, by_user: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO platform_settings (id, config, updated_at, updated_by) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET config = excluded.config, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(config_json)
    .bind(at)
    .bind(by_user)
    .execute(db.pool())
    .await
    .map(|_| ())
}
