//! SQL for the `refunds` table: refunds of connected accounts' payments as Stripe reported them,
//! written only when newer, as for `disputes`.

use super::Db;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    pub stripe_refund_id: String,
    pub stripe_account_id: String,
    pub charge_id: Option<String>,
    pub payment_intent_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub reason: Option<String>,
    pub failure_reason: Option<String>,
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RefundRow {
    pub stripe_refund_id: String,
    pub stripe_account_id: String,
    pub charge_id: Option<String>,
    pub payment_intent_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub reason: Option<String>,
    pub failure_reason: Option<String>,
    pub created: i64,
    pub last_event_at: i64,
    pub fetched_at: i64,
}

const COLUMNS: &str = "stripe_refund_id, stripe_account_id, charge_id, payment_intent_id, amount, \
     currency, status, reason, failure_reason, created, last_event_at, fetched_at";

const INSERT: &str = "INSERT INTO refunds (stripe_refund_id, stripe_account_id, charge_id, \
     payment_intent_id, amount, currency, status, reason, failure_reason, created, last_event_at, \
     fetched_at, fetch_started_ms, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (stripe_refund_id) DO UPDATE SET charge_id = excluded.charge_id, \
     payment_intent_id = excluded.payment_intent_id, amount = excluded.amount, \
     currency = excluded.currency, status = excluded.status, reason = excluded.reason, \
     failure_reason = excluded.failure_reason, updated_at = excluded.updated_at, ";

fn bind<'q>(
    r: &'q RefundRecord,
    sql: &'q str,
    last_event_at: i64,
    fetched_at: i64,
    fetch_started_ms: i64,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(&r.stripe_refund_id)
        .bind(&r.stripe_account_id)
        .bind(r.charge_id.as_deref())
        .bind(r.payment_intent_id.as_deref())
        .bind(r.amount)
        .bind(&r.currency)
        .bind(&r.status)
        .bind(r.reason.as_deref())
        .bind(r.failure_reason.as_deref())
        .bind(r.created)
        .bind(last_event_at)
        .bind(fetched_at)
        .bind(fetch_started_ms)
        .bind(now)
}

pub async fn find(db: &Db, stripe_refund_id: &str) -> Result<Option<RefundRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM refunds WHERE stripe_refund_id = $1"
    ))
    .bind(stripe_refund_id)
    .fetch_optional(db.pool())
    .await
}

/// Writes the refund an event carried when the event is newer than what is stored.
pub async fn apply_event_snapshot(
    db: &Db,
    record: &RefundRecord,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT} last_event_at = excluded.last_event_at \
         WHERE refunds.stripe_account_id = excluded.stripe_account_id \
           AND refunds.last_event_at < excluded.last_event_at \
           AND refunds.fetched_at < excluded.last_event_at"
    );
    let done = bind(record, &sql, event_created, 0, 0, now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the refund as read from Stripe, unless a read that started later was written first.
pub async fn store_fetched(
    db: &Db,
    record: &RefundRecord,
    started_ms: i64,
    stripe_time: i64,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT} last_event_at = CASE WHEN excluded.last_event_at > refunds.last_event_at \
             THEN excluded.last_event_at ELSE refunds.last_event_at END, \
         fetched_at = excluded.fetched_at, fetch_started_ms = excluded.fetch_started_ms \
         WHERE refunds.stripe_account_id = excluded.stripe_account_id \
           AND refunds.fetch_started_ms <= excluded.fetch_started_ms"
    );
    let done = bind(record, &sql, event_created, stripe_time, started_ms, now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One account's refunds, newest first.
pub async fn of_account(db: &Db, account: &str, limit: i64) -> Result<Vec<RefundRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM refunds WHERE stripe_account_id = $1 \
         ORDER BY created DESC, stripe_refund_id LIMIT $2"
    ))
    .bind(account)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
