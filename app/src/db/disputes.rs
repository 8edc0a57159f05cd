//! SQL for the `disputes` table: disputes on connected accounts' charges, as Stripe reported them.
//!
//! Two writers, each written only when newer, like the account cache:
//! - [`apply_event_snapshot`]: the dispute as a `charge.dispute.*` event carried it, written only
//!   when the event is newer than every event already written and than the last read;
//! - [`store_fetched`]: the dispute as just read from Stripe, written unless a read that started
//!   later has already been written.

use super::Db;

/// What Stripe says about a dispute, in the table's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRecord {
    pub stripe_dispute_id: String,
    pub stripe_account_id: String,
    pub charge_id: String,
    pub payment_intent_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub reason: String,
    pub status: String,
    /// `evidence_details.due_by`, `None` when Stripe gave 0 (no response allowed).
    pub due_by: Option<i64>,
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DisputeRow {
    pub stripe_dispute_id: String,
    pub stripe_account_id: String,
    pub charge_id: String,
    pub payment_intent_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub reason: String,
    pub status: String,
    pub due_by: Option<i64>,
    pub created: i64,
    pub last_event_at: i64,
    pub fetched_at: i64,
}

/// A dispute with its account's name, for the console's lists.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DisputeWithAccount {
    #[sqlx(flatten)]
    pub dispute: DisputeRow,
    pub business_name: Option<String>,
    pub email: Option<String>,
}

const COLUMNS: &str =
    "d.stripe_dispute_id, d.stripe_account_id, d.charge_id, d.payment_intent_id, \
     d.amount, d.currency, d.reason, d.status, d.due_by, d.created, d.last_event_at, d.fetched_at";

/// `domain::disputes::DisputeStatus::OPEN`, as SQL (the partial index names the same ones).
const OPEN: &str =
    "d.status IN ('warning_needs_response', 'warning_under_review', 'needs_response', 'under_review')";

const INSERT: &str = "INSERT INTO disputes (stripe_dispute_id, stripe_account_id, charge_id, \
     payment_intent_id, amount, currency, reason, status, due_by, created, last_event_at, \
     fetched_at, fetch_started_ms, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (stripe_dispute_id) DO UPDATE SET payment_intent_id = excluded.payment_intent_id, \
     amount = excluded.amount, currency = excluded.currency, reason = excluded.reason, \
     status = excluded.status, due_by = excluded.due_by, updated_at = excluded.updated_at, ";

fn bind<'q>(
    record: &'q DisputeRecord,
    sql: &'q str,
    last_event_at: i64,
    fetched_at: i64,
    fetch_started_ms: i64,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(&record.stripe_dispute_id)
        .bind(&record.stripe_account_id)
        .bind(&record.charge_id)
        .bind(record.payment_intent_id.as_deref())
        .bind(record.amount)
        .bind(&record.currency)
        .bind(&record.reason)
        .bind(&record.status)
        .bind(record.due_by)
        .bind(record.created)
        .bind(last_event_at)
        .bind(fetched_at)
        .bind(fetch_started_ms)
        .bind(now)
}

pub async fn find(db: &Db, stripe_dispute_id: &str) -> Result<Option<DisputeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM disputes d WHERE d.stripe_dispute_id = $1"
    ))
    .bind(stripe_dispute_id)
    .fetch_optional(db.pool())
    .await
}

/// Writes the dispute an event carried: `true` when written, `false` when the table already
/// holds an event or a read at least as new (the caller decides what that means).
pub async fn apply_event_snapshot(
    db: &Db,
    record: &DisputeRecord,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT} last_event_at = excluded.last_event_at \
         WHERE disputes.stripe_account_id = excluded.stripe_account_id \
           AND disputes.last_event_at < excluded.last_event_at \
           AND disputes.fetched_at < excluded.last_event_at"
    );
    let done = bind(record, &sql, event_created, 0, 0, now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// When a read of a dispute was made.
#[derive(Debug, Clone, Copy)]
pub struct FetchedAt {
    /// When the read started (milliseconds, this machine): a read that started later wins.
    pub started_ms: i64,
    /// Stripe's clock when it answered (its `Date` header), compared with events' `created`.
    pub stripe_time: i64,
    /// The event that asked for the read (0: none): it is reflected by what was read.
    pub event_created: i64,
}

/// Writes the dispute as read from Stripe, unless a read that started later was written first.
pub async fn store_fetched(
    db: &Db,
    record: &DisputeRecord,
    at: FetchedAt,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT} last_event_at = CASE WHEN excluded.last_event_at > disputes.last_event_at \
             THEN excluded.last_event_at ELSE disputes.last_event_at END, \
         fetched_at = excluded.fetched_at, fetch_started_ms = excluded.fetch_started_ms \
         WHERE disputes.stripe_account_id = excluded.stripe_account_id \
           AND disputes.fetch_started_ms <= excluded.fetch_started_ms"
    );
    let done = bind(
        record,
        &sql,
        at.event_created,
        at.stripe_time,
        at.started_ms,
        now,
    )
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open disputes of every account, the nearest evidence deadline first (those without one
/// last), with the total count.
pub async fn open_page(
    db: &Db,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DisputeWithAccount>, i64), sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, c.business_name, c.email FROM disputes d \
         LEFT JOIN connected_accounts c ON c.stripe_account_id = d.stripe_account_id \
         WHERE {OPEN} ORDER BY d.due_by IS NULL, d.due_by, d.created, d.stripe_dispute_id \
         LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM disputes d WHERE {OPEN}"))
        .fetch_one(db.pool())
        .await?;
    Ok((rows, total))
}

/// Open disputes in all: their number, the nearest deadline still ahead of `now`, and the
/// disputed amount per currency (largest first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenSummary {
    pub count: i64,
    pub nearest_due: Option<i64>,
    pub amounts: Vec<(String, i64)>,
}

pub async fn open_summary(db: &Db, now: i64) -> Result<OpenSummary, sqlx::Error> {
    let (count, nearest_due): (i64, Option<i64>) = sqlx::query_as(&format!(
        "SELECT COUNT(*), MIN(CASE WHEN d.due_by > $1 AND d.status IN \
             ('needs_response', 'warning_needs_response') THEN d.due_by END) \
         FROM disputes d WHERE {OPEN}"
    ))
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    let amounts = sqlx::query_as(&format!(
        "SELECT d.currency, CAST(SUM(d.amount) AS BIGINT) AS total FROM disputes d \
         WHERE {OPEN} \
         GROUP BY d.currency ORDER BY total DESC, d.currency"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(OpenSummary {
        count,
        nearest_due,
        amounts,
    })
}

/// One account's disputes, open ones first, then newest first.
pub async fn of_account(
    db: &Db,
    stripe_account_id: &str,
    only_open: bool,
    limit: i64,
) -> Result<Vec<DisputeRow>, sqlx::Error> {
    let filter = if only_open { OPEN } else { "1 = 1" };
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM disputes d WHERE d.stripe_account_id = $1 AND {filter} \
         ORDER BY CASE WHEN {OPEN} THEN 0 ELSE 1 END, d.due_by IS NULL, d.due_by, \
         d.created DESC LIMIT $2"
    ))
    .bind(stripe_account_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
