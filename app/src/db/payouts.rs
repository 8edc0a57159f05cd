//! SQL for the `payouts` table: connected accounts' payouts as Stripe reported them, written
//! only when newer (an event's snapshot newer than every event and read stored; a read unless a
//! later read was stored), as for `disputes`.

use super::Db;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutRecord {
    pub stripe_payout_id: String,
    pub stripe_account_id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub arrival_date: Option<i64>,
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PayoutRow {
    pub stripe_payout_id: String,
    pub stripe_account_id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub arrival_date: Option<i64>,
    pub created: i64,
    pub last_event_at: i64,
    pub fetched_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PayoutWithAccount {
    #[sqlx(flatten)]
    pub payout: PayoutRow,
    pub business_name: Option<String>,
    pub email: Option<String>,
}

const COLUMNS: &str = "p.stripe_payout_id, p.stripe_account_id, p.amount, p.currency, p.status, \
     p.failure_code, p.failure_message, p.arrival_date, p.created, p.last_event_at, p.fetched_at";

const INSERT: &str = "INSERT INTO payouts (stripe_payout_id, stripe_account_id, amount, currency, \
     status, failure_code, failure_message, arrival_date, created, last_event_at, fetched_at, \
     fetch_started_ms, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
     ON CONFLICT (stripe_payout_id) DO UPDATE SET amount = excluded.amount, \
     currency = excluded.currency, status = excluded.status, failure_code = excluded.failure_code, \
     failure_message = excluded.failure_message, arrival_date = excluded.arrival_date, \
     updated_at = excluded.updated_at, ";

fn bind<'q>(
    r: &'q PayoutRecord,
    sql: &'q str,
    last_event_at: i64,
    fetched_at: i64,
    fetch_started_ms: i64,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(&r.stripe_payout_id)
        .bind(&r.stripe_account_id)
        .bind(r.amount)
        .bind(&r.currency)
        .bind(&r.status)
        .bind(r.failure_code.as_deref())
        .bind(r.failure_message.as_deref())
        .bind(r.arrival_date)
        .bind(r.created)
        .bind(last_event_at)
        .bind(fetched_at)
        .bind(fetch_started_ms)
        .bind(now)
}

pub async fn find(db: &Db, stripe_payout_id: &str) -> Result<Option<PayoutRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payouts p WHERE p.stripe_payout_id = $1"
    ))
    .bind(stripe_payout_id)
    .fetch_optional(db.pool())
    .await
}

/// Writes the payout an event carried when the event is newer than what is stored.
pub async fn apply_event_snapshot(
    db: &Db,
    record: &PayoutRecord,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT} last_event_at = excluded.last_event_at \
         WHERE payouts.stripe_account_id = excluded.stripe_account_id \
           AND payouts.last_event_at < excluded.last_event_at \
           AND payouts.fetched_at < excluded.last_event_at"
    );
    let done = bind(record, &sql, event_created, 0, 0, now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the payout as read from Stripe (its `Date` as `stripe_time`), unless a read that
/// started later was written first.
pub async fn store_fetched(
    db: &Db,
    record: &PayoutRecord,
    started_ms: i64,
    stripe_time: i64,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT} last_event_at = CASE WHEN excluded.last_event_at > payouts.last_event_at \
             THEN excluded.last_event_at ELSE payouts.last_event_at END, \
         fetched_at = excluded.fetched_at, fetch_started_ms = excluded.fetch_started_ms \
         WHERE payouts.stripe_account_id = excluded.stripe_account_id \
           AND payouts.fetch_started_ms <= excluded.fetch_started_ms"
    );
    let done = bind(record, &sql, event_created, stripe_time, started_ms, now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Failed payouts created since `since`, newest first, with their accounts' names.
pub async fn failed_since(
    db: &Db,
    since: i64,
    limit: i64,
) -> Result<Vec<PayoutWithAccount>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, c.business_name, c.email FROM payouts p \
         LEFT JOIN connected_accounts c ON c.stripe_account_id = p.stripe_account_id \
         WHERE p.status = 'failed' AND p.created >= $1 \
         ORDER BY p.created DESC, p.stripe_payout_id LIMIT $2"
    ))
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// One account's failed payouts created since `since`, newest first.
pub async fn failed_of_account(
    db: &Db,
    account: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<PayoutRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payouts p \
         WHERE p.stripe_account_id = $1 AND p.status = 'failed' AND p.created >= $2 \
         ORDER BY p.created DESC, p.stripe_payout_id LIMIT $3"
    ))
    .bind(account)
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
