//! SQL for the `account_balances` table: each connected account's balance per currency, as
//! Stripe last reported it.

use super::Db;

/// One currency of a reported balance (minor units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceEntry {
    pub currency: String,
    pub available: i64,
    pub pending: i64,
}

/// Writes a whole balance reported at `as_of` (Stripe's time), unless a report as new was
/// written: `false` then. Under the account row's lock (see `connected_accounts::lock_in`), so
/// of two reports written at once the older never adds back a currency the newer dropped.
pub async fn replace_if_newer(
    db: &Db,
    account: &str,
    as_of: i64,
    entries: &[BalanceEntry],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    super::connected_accounts::lock_in(&mut tx, account).await?;
    let newest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(as_of) FROM account_balances WHERE stripe_account_id = $1")
            .bind(account)
            .fetch_one(&mut *tx)
            .await?;
    if newest.is_some_and(|n| n >= as_of) {
        return Ok(false);
    }
    for e in entries {
        sqlx::query(
            "INSERT INTO account_balances (stripe_account_id, currency, available, pending, as_of, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (stripe_account_id, currency) DO UPDATE SET \
             available = excluded.available, pending = excluded.pending, as_of = excluded.as_of, \
             updated_at = excluded.updated_at \
             WHERE account_balances.as_of < excluded.as_of",
        )
        .bind(account)
        .bind(&e.currency)
        .bind(e.available)
        .bind(e.pending)
        .bind(as_of)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM account_balances WHERE stripe_account_id = $1 AND as_of < $2")
        .bind(account)
        .bind(as_of)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BalanceRow {
    pub stripe_account_id: String,
    pub currency: String,
    pub available: i64,
    pub pending: i64,
    pub as_of: i64,
}

pub async fn of_account(db: &Db, account: &str) -> Result<Vec<BalanceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT stripe_account_id, currency, available, pending, as_of FROM account_balances \
         WHERE stripe_account_id = $1 ORDER BY currency",
    )
    .bind(account)
    .fetch_all(db.pool())
    .await
}

/// A negative balance with its account's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NegativeRow {
    pub stripe_account_id: String,
    pub currency: String,
    pub available: i64,
    pub as_of: i64,
    pub business_name: Option<String>,
    pub email: Option<String>,
}

/// Negative available balances, the most negative first.
pub async fn negative(db: &Db, limit: i64) -> Result<Vec<NegativeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.stripe_account_id, b.currency, b.available, b.as_of, c.business_name, c.email \
         FROM account_balances b \
         LEFT JOIN connected_accounts c ON c.stripe_account_id = b.stripe_account_id \
         WHERE b.available < 0 ORDER BY b.available, b.stripe_account_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// The sum of negative available balances per currency (the platform's exposure when it is
/// liable for negative balances), with how many accounts are negative in it.
pub async fn exposure(db: &Db) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT currency, CAST(SUM(available) AS BIGINT) AS total, COUNT(*) AS accounts \
         FROM account_balances WHERE available < 0 GROUP BY currency ORDER BY total, currency",
    )
    .fetch_all(db.pool())
    .await
}
