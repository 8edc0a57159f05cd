//! SQL for the `application_fees` table: the platform's application fees on connected accounts'
//! charges, as Stripe reported them.
//!
//! Every field of a fee but `amount_refunded` is fixed when Stripe creates it, and
//! `amount_refunded` only grows (Stripe refunds a fee in parts "until the entire fee has been
//! refunded", docs.stripe.com/api/fee_refunds/create), so whatever the order of writes the larger
//! refunded amount is the newer one and is kept. Two writers:
//! - [`apply_event_snapshot`]: the fee as an `application_fee.*` event carried it, written when
//!   the event is newer than every event written, or carries more refunded (same-second events
//!   cannot be told apart by time);
//! - [`store_listed`]: the fee as read from Stripe's list, which only adds a fee or a larger
//!   refunded amount and leaves `last_event_at` alone.

use super::Db;

/// What Stripe says about a fee, in the table's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRecord {
    pub stripe_fee_id: String,
    pub stripe_account_id: String,
    pub charge_id: String,
    pub amount: i64,
    pub amount_refunded: i64,
    /// Lower case, as Stripe sends it.
    pub currency: String,
    /// Stripe's `created`.
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeeRow {
    pub stripe_fee_id: String,
    pub stripe_account_id: String,
    pub charge_id: String,
    pub amount: i64,
    pub amount_refunded: i64,
    pub currency: String,
    pub created: i64,
    pub last_event_at: i64,
}

/// Fees in one currency: how many, taken, refunded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CurrencySum {
    pub currency: String,
    pub fees: i64,
    pub amount: i64,
    pub refunded: i64,
}

/// Fees in one currency created on one UTC day (days since 1970-01-01).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DaySum {
    pub currency: String,
    pub day: i64,
    pub fees: i64,
    pub amount: i64,
    pub refunded: i64,
}

const COLUMNS: &str = "stripe_fee_id, stripe_account_id, charge_id, amount, amount_refunded, \
     currency, created, last_event_at";

const INSERT: &str = "INSERT INTO application_fees (stripe_fee_id, stripe_account_id, charge_id, \
     amount, amount_refunded, currency, created, last_event_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (stripe_fee_id) DO UPDATE SET \
     amount_refunded = CASE WHEN excluded.amount_refunded > application_fees.amount_refunded \
         THEN excluded.amount_refunded ELSE application_fees.amount_refunded END, \
     updated_at = excluded.updated_at";

/// Sums per currency and per day, as both databases read them (`SUM` of `BIGINT` is `NUMERIC` on
/// PostgreSQL, hence the casts).
const DAY_SUMS: &str =
    "SELECT currency, CAST(created / 86400 AS BIGINT) AS day, COUNT(*) AS fees, \
     CAST(SUM(amount) AS BIGINT) AS amount, CAST(SUM(amount_refunded) AS BIGINT) AS refunded \
     FROM application_fees";

fn bind<'q>(
    record: &'q FeeRecord,
    sql: &'q str,
    last_event_at: i64,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(&record.stripe_fee_id)
        .bind(&record.stripe_account_id)
        .bind(&record.charge_id)
        .bind(record.amount)
        .bind(record.amount_refunded)
        .bind(&record.currency)
        .bind(record.created)
        .bind(last_event_at)
        .bind(now)
}

pub async fn find(db: &Db, stripe_fee_id: &str) -> Result<Option<FeeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM application_fees WHERE stripe_fee_id = $1"
    ))
    .bind(stripe_fee_id)
    .fetch_optional(db.pool())
    .await
}

/// Writes the fee an event carried: `true` when written, `false` when the table already
/// reflects an event at least as new with at least as much refunded (a redelivery, or an older
/// event delivered late).
pub async fn apply_event_snapshot(
    db: &Db,
    record: &FeeRecord,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT}, last_event_at = CASE WHEN excluded.last_event_at > application_fees.last_event_at \
             THEN excluded.last_event_at ELSE application_fees.last_event_at END \
         WHERE application_fees.last_event_at < excluded.last_event_at \
            OR application_fees.amount_refunded < excluded.amount_refunded"
    );
    let done = bind(record, &sql, event_created, now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the fee as read from Stripe's list: a fee the table lacks, or more refunded than it
/// holds. `true` when something was written.
pub async fn store_listed(db: &Db, record: &FeeRecord, now: i64) -> Result<bool, sqlx::Error> {
    let sql = format!("{INSERT} WHERE application_fees.amount_refunded < excluded.amount_refunded");
    let done = bind(record, &sql, 0, now).execute(db.pool()).await?;
    Ok(done.rows_affected() == 1)
}

/// The `created` of the oldest fee in the table: reconciliation reads Stripe's list from there
/// back.
pub async fn oldest_created(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(created) FROM application_fees")
        .fetch_one(db.pool())
        .await
}

/// One account's fees per currency, the largest net first.
pub async fn sums_of_account(
    db: &Db,
    stripe_account_id: &str,
) -> Result<Vec<CurrencySum>, sqlx::Error> {
    sqlx::query_as(
        "SELECT currency, COUNT(*) AS fees, CAST(SUM(amount) AS BIGINT) AS amount, \
             CAST(SUM(amount_refunded) AS BIGINT) AS refunded \
         FROM application_fees WHERE stripe_account_id = $1 \
         GROUP BY currency ORDER BY SUM(amount - amount_refunded) DESC, currency",
    )
    .bind(stripe_account_id)
    .fetch_all(db.pool())
    .await
}

/// One account's fees per currency and UTC day (days with fees only), for its months: a month
/// has no fixed length in seconds, so days are summed here and months in Rust (at most one row
/// per day and currency).
pub async fn days_of_account(db: &Db, stripe_account_id: &str) -> Result<Vec<DaySum>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DAY_SUMS} WHERE stripe_account_id = $1 GROUP BY currency, created / 86400 \
         ORDER BY day, currency"
    ))
    .bind(stripe_account_id)
    .fetch_all(db.pool())
    .await
}

/// Every account's fees per currency and UTC day, for the days from `first_day` on (days with
/// fees only).
pub async fn days_since(db: &Db, first_day: i64) -> Result<Vec<DaySum>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DAY_SUMS} WHERE created >= $1 GROUP BY currency, created / 86400 ORDER BY day, currency"
    ))
    .bind(first_day * 86_400)
    .fetch_all(db.pool())
    .await
}
