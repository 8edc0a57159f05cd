//! SQL for the `account_capabilities` table: each cached account's capabilities, one row each, so
//! the console can filter by capability status through an index instead of reading JSON.

use super::Db;
use crate::account_view::capabilities_from_json;

/// Replaces the capability rows of the cached account `stripe_account_id` with those of
/// `capabilities` (the JSON text just written to its row).
pub async fn replace(
    db: &Db,
    stripe_account_id: &str,
    capabilities: &str,
) -> Result<(), sqlx::Error> {
    // Writes only, the first one taking SQLite's write lock: a transaction that read first could
    // not upgrade to writing once another connection had written (SQLITE_BUSY, no waiting).
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "DELETE FROM account_capabilities WHERE account_id = \
         (SELECT id FROM connected_accounts WHERE stripe_account_id = $1)",
    )
    .bind(stripe_account_id)
    .execute(&mut *tx)
    .await?;
    for capability in capabilities_from_json(capabilities) {
        // ON CONFLICT: another instance may have written the same account meanwhile.
        sqlx::query(
            "INSERT INTO account_capabilities (account_id, capability, status) \
             SELECT id, $1, $2 FROM connected_accounts WHERE stripe_account_id = $3 \
             ON CONFLICT (account_id, capability) DO UPDATE SET status = excluded.status",
        )
        .bind(&capability.name)
        .bind(&capability.status)
        .bind(stripe_account_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Indexes the accounts written before this table existed (at start); returns how many.
pub async fn fill_missing(db: &Db) -> Result<usize, sqlx::Error> {
    let mut after = 0_i64;
    let mut filled = 0;
    loop {
        // By id, so an account whose JSON holds no capability is looked at once.
        let batch: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, stripe_account_id, capabilities FROM connected_accounts c \
             WHERE id > $1 AND capabilities <> '{}' \
               AND NOT EXISTS (SELECT 1 FROM account_capabilities a WHERE a.account_id = c.id) \
             ORDER BY id LIMIT 500",
        )
        .bind(after)
        .fetch_all(db.pool())
        .await?;
        let Some((last, _, _)) = batch.last() else {
            return Ok(filled);
        };
        after = *last;
        for (_, stripe_account_id, capabilities) in &batch {
            replace(db, stripe_account_id, capabilities).await?;
            filled += 1;
        }
    }
}

/// Every capability name seen, A to Z (the console's filter choices). One index seek per name
/// (a loose index scan) rather than a pass over every row.
pub async fn names(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE names (name) AS ( \
             SELECT MIN(capability) FROM account_capabilities \
             UNION ALL \
             SELECT (SELECT MIN(capability) FROM account_capabilities WHERE capability > names.name) \
             FROM names WHERE names.name IS NOT NULL) \
         SELECT name FROM names WHERE name IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await
}
