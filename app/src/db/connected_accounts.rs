//! SQL for the `connected_accounts` table: the portal's cache of each connected account.
//!
//! Two ways in, each guarded so that older data never overwrites newer data:
//! - [`apply_event_snapshot`]: the account as a v1 event carried it, written only when the event is
//!   newer than every event already applied and than the last fetch;
//! - [`store_fetched`]: the account as just fetched from Stripe, written unless a fetch that started
//!   later has already been written.

use super::{Backend, Db};

/// `v1` (`/v1/accounts`) or `v2` (`/v2/core/accounts`): how the account is read from Stripe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    V2,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }

    pub fn parse(s: &str) -> Option<ApiVersion> {
        match s {
            "v1" => Some(ApiVersion::V1),
            "v2" => Some(ApiVersion::V2),
            _ => None,
        }
    }
}

/// What Stripe says about an account, in the cache's columns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountRecord {
    pub stripe_account_id: String,
    pub country: Option<String>,
    pub business_name: Option<String>,
    pub email: Option<String>,
    /// JSON text.
    pub requirements: String,
    /// JSON text.
    pub future_requirements: String,
    /// JSON text.
    pub capabilities: String,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub disabled_reason: Option<String>,
    pub current_deadline: Option<i64>,
    pub payout_interval: Option<String>,
    pub payout_delay_days: Option<i64>,
    pub payout_weekly_anchor: Option<String>,
    pub payout_monthly_anchor: Option<i64>,
    pub dashboard_type: Option<String>,
    /// JSON text.
    pub controller: String,
    /// Stripe's creation time of the account.
    pub created: Option<i64>,
}

/// A cached account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConnectedAccountRow {
    pub id: i64,
    pub owner_user_id: Option<i64>,
    pub stripe_account_id: String,
    pub api_version: String,
    pub country: Option<String>,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub requirements: String,
    pub future_requirements: String,
    pub capabilities: String,
    pub charges_enabled: i64,
    pub payouts_enabled: i64,
    pub details_submitted: i64,
    pub disabled_reason: Option<String>,
    pub current_deadline: Option<i64>,
    pub payout_interval: Option<String>,
    pub payout_delay_days: Option<i64>,
    pub payout_weekly_anchor: Option<String>,
    pub payout_monthly_anchor: Option<i64>,
    pub dashboard_type: Option<String>,
    pub controller: String,
    pub revoked: i64,
    /// Creation time of the newest event the row reflects (Stripe's clock).
    pub last_event_at: i64,
    /// When Stripe answered the last fetch written here (Stripe's clock, its `Date` header), so
    /// it compares with event times; before that it was this machine's clock.
    pub last_synced_at: i64,
    /// When that fetch started (this machine's clock, milliseconds): orders fetches.
    pub sync_started_ms: i64,
    pub created_at: i64,
    /// `domain::account_status` slug, computed when the row was written.
    pub status: Option<String>,
}

impl ConnectedAccountRow {
    pub fn api_version(&self) -> Option<ApiVersion> {
        ApiVersion::parse(&self.api_version)
    }
}

const COLUMNS: &str = "id, owner_user_id, stripe_account_id, api_version, country, business_name, \
    email, requirements, future_requirements, capabilities, charges_enabled, payouts_enabled, \
    details_submitted, disabled_reason, current_deadline, payout_interval, payout_delay_days, \
    payout_weekly_anchor, payout_monthly_anchor, dashboard_type, controller, revoked, last_event_at, \
    last_synced_at, sync_started_ms, created_at, status";

/// The Stripe data columns, in the order [`bind_record`] binds them (from `$1`).
const DATA_COLUMNS: &str = "stripe_account_id, country, business_name, email, requirements, \
    future_requirements, capabilities, charges_enabled, payouts_enabled, details_submitted, \
    disabled_reason, current_deadline, payout_interval, payout_delay_days, payout_weekly_anchor, \
    payout_monthly_anchor, dashboard_type, controller, created_at, status, status_changed_at";
const DATA_PLACEHOLDERS: &str =
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21";
/// Next free placeholder after the data columns.
const AFTER_DATA: usize = 22;

const UPDATE_DATA: &str = "country = excluded.country, business_name = excluded.business_name, \
    email = excluded.email, requirements = excluded.requirements, \
    future_requirements = excluded.future_requirements, capabilities = excluded.capabilities, \
    charges_enabled = excluded.charges_enabled, payouts_enabled = excluded.payouts_enabled, \
    details_submitted = excluded.details_submitted, disabled_reason = excluded.disabled_reason, \
    current_deadline = excluded.current_deadline, payout_interval = excluded.payout_interval, \
    payout_delay_days = excluded.payout_delay_days, \
    payout_weekly_anchor = excluded.payout_weekly_anchor, \
    payout_monthly_anchor = excluded.payout_monthly_anchor, \
    dashboard_type = excluded.dashboard_type, controller = excluded.controller, \
    status = excluded.status, \
    status_changed_at = CASE WHEN connected_accounts.status IS DISTINCT FROM excluded.status \
        THEN excluded.status_changed_at ELSE connected_accounts.status_changed_at END";

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_record<'q>(query: AnyQuery<'q>, r: &'q AccountRecord, now: i64) -> AnyQuery<'q> {
    query
        .bind(&r.stripe_account_id)
        .bind(&r.country)
        .bind(&r.business_name)
        .bind(&r.email)
        .bind(&r.requirements)
        .bind(&r.future_requirements)
        .bind(&r.capabilities)
        .bind(r.charges_enabled as i64)
        .bind(r.payouts_enabled as i64)
        .bind(r.details_submitted as i64)
        .bind(&r.disabled_reason)
        .bind(r.current_deadline)
        .bind(&r.payout_interval)
        .bind(r.payout_delay_days)
        .bind(&r.payout_weekly_anchor)
        .bind(r.payout_monthly_anchor)
        .bind(&r.dashboard_type)
        .bind(&r.controller)
        .bind(r.created.unwrap_or(now))
        .bind(crate::account_view::status_of_record(r, now).slug())
        // `status_changed_at`, kept by UPDATE_DATA when the status stays (the admins' digest).
        .bind(now)
}

/// Writes the account as a v1 event of time `event_created` carried it, if that event is newer
/// than everything the row reflects (events applied, last fetch) and the row is a v1 account.
/// `false` when it was not written (then the caller fetches the account instead, or the event is
/// older than the cache).
pub async fn apply_event_snapshot(
    db: &Db,
    record: &AccountRecord,
    event_created: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let p = AFTER_DATA;
    let sql = format!(
        "INSERT INTO connected_accounts ({DATA_COLUMNS}, api_version, last_event_at) \
         VALUES ({DATA_PLACEHOLDERS}, 'v1', ${p}) \
         ON CONFLICT (stripe_account_id) DO UPDATE SET {UPDATE_DATA}, \
         last_event_at = excluded.last_event_at \
         WHERE connected_accounts.api_version = 'v1' \
           AND connected_accounts.last_event_at < excluded.last_event_at \
           AND connected_accounts.last_synced_at < excluded.last_event_at"
    );
    let query = bind_record(sqlx::query(&sql), record, now).bind(event_created);
    write_and_tell(db, record, query, now).await
}

/// How a fetched account is written.
#[derive(Debug, Clone, Copy)]
pub struct FetchedAt {
    /// When the fetch started (milliseconds): a fetch that started later wins.
    pub started_ms: i64,
    /// When it finished (seconds, this machine's clock: the status computed from deadlines).
    pub finished: i64,
    /// When Stripe answered (seconds, Stripe's clock: the response's `Date` header), compared
    /// with event creation times, which are Stripe's too. A skewed clock here must not decide
    /// whether a fetch is newer than an event.
    pub stripe_time: i64,
    /// Creation time of the event that caused the fetch (0 for none).
    pub event_created: i64,
    /// The account (re)connected to the platform: clears `revoked`, unless the revocation is as
    /// new as `event_created` (Stripe does not order deliveries: an `authorized` event from
    /// before a disconnection may arrive after it).
    pub reconnected: bool,
}

/// Writes an account just fetched from Stripe (inserting it with `api_version` when new, and
/// recording `api_version` on an existing row when `set_version`). `false` when a fetch that started
/// later has already been written.
pub async fn store_fetched(
    db: &Db,
    record: &AccountRecord,
    api_version: ApiVersion,
    set_version: bool,
    at: FetchedAt,
) -> Result<bool, sqlx::Error> {
    let p = AFTER_DATA;
    let sql = format!(
        "INSERT INTO connected_accounts ({DATA_COLUMNS}, api_version, last_event_at, \
         last_synced_at, sync_started_ms) \
         VALUES ({DATA_PLACEHOLDERS}, ${}, ${}, ${}, ${}) \
         ON CONFLICT (stripe_account_id) DO UPDATE SET {UPDATE_DATA}, \
         last_event_at = CASE WHEN excluded.last_event_at > connected_accounts.last_event_at \
             THEN excluded.last_event_at ELSE connected_accounts.last_event_at END, \
         last_synced_at = excluded.last_synced_at, sync_started_ms = excluded.sync_started_ms, \
         revoked = CASE WHEN ${} = 1 AND excluded.last_event_at > connected_accounts.last_event_at \
             THEN 0 ELSE connected_accounts.revoked END, \
         api_version = CASE WHEN ${} = 1 THEN excluded.api_version \
             ELSE connected_accounts.api_version END \
         WHERE connected_accounts.sync_started_ms <= excluded.sync_started_ms",
        p,
        p + 1,
        p + 2,
        p + 3,
        p + 4,
        p + 5
    );
    let query = bind_record(sqlx::query(&sql), record, at.finished)
        .bind(api_version.as_str())
        .bind(at.event_created)
        .bind(at.stripe_time)
        .bind(at.started_ms)
        .bind(at.reconnected as i64)
        .bind(set_version as i64);
    let was_written = write_and_tell(db, record, query, at.finished).await?;
    if set_version && !was_written {
        // A known API version is a fact, not a snapshot: it holds even when a fetch that started
        // later (a webhook's, which could only guess v1 for an account it had never seen) was
        // written first and this one's data is stale.
        sqlx::query("UPDATE connected_accounts SET api_version = $1 WHERE stripe_account_id = $2")
            .bind(api_version.as_str())
            .bind(&record.stripe_account_id)
            .execute(db.pool())
            .await?;
    }
    Ok(was_written)
}

/// The platform lost access to the account (`account.application.deauthorized`), unless an event
/// newer than `event_created` has already been applied. `false` when nothing changed.
pub async fn mark_revoked(
    db: &Db,
    stripe_account_id: &str,
    event_created: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE connected_accounts SET revoked = 1, last_event_at = $1 \
         WHERE stripe_account_id = $2 AND last_event_at <= $1",
    )
    .bind(event_created)
    .bind(stripe_account_id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Links an account to its owner (one account per owner). Never takes an account from another
/// login: `false` when the account is missing or already linked to someone else (the guard is in
/// the `WHERE`, so two logins connecting one account at once cannot both win).
pub async fn set_owner(
    db: &Db,
    stripe_account_id: &str,
    owner_user_id: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE connected_accounts SET owner_user_id = $1 WHERE stripe_account_id = $2 \
         AND (owner_user_id IS NULL OR owner_user_id = $1)",
    )
    .bind(owner_user_id)
    .bind(stripe_account_id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn find_by_stripe_id(
    db: &Db,
    stripe_account_id: &str,
) -> Result<Option<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE stripe_account_id = $1"
    ))
    .bind(stripe_account_id)
    .fetch_optional(db.pool())
    .await
}

pub async fn find_by_owner(
    db: &Db,
    owner_user_id: i64,
) -> Result<Option<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE owner_user_id = $1"
    ))
    .bind(owner_user_id)
    .fetch_optional(db.pool())
    .await
}

/// Every cached account, by Stripe id.
pub async fn list_all(db: &Db) -> Result<Vec<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts ORDER BY stripe_account_id"
    ))
    .fetch_all(db.pool())
    .await
}

/// Writes an account read from a list of accounts (reconciliation) that started at
/// `at.started_ms`: like [`store_fetched`] for an existing v1 row or a new one, but never over a
/// v2 row (read with the v2 API instead) nor over an event applied after the list was read.
pub async fn store_listed(
    db: &Db,
    record: &AccountRecord,
    at: FetchedAt,
) -> Result<bool, sqlx::Error> {
    let p = AFTER_DATA;
    let sql = format!(
        "INSERT INTO connected_accounts ({DATA_COLUMNS}, api_version, last_synced_at, \
         sync_started_ms) \
         VALUES ({DATA_PLACEHOLDERS}, 'v1', ${}, ${}) \
         ON CONFLICT (stripe_account_id) DO UPDATE SET {UPDATE_DATA}, \
         last_synced_at = excluded.last_synced_at, sync_started_ms = excluded.sync_started_ms \
         WHERE connected_accounts.api_version = 'v1' \
           AND connected_accounts.sync_started_ms <= excluded.sync_started_ms \
           AND connected_accounts.last_event_at < excluded.last_synced_at",
        p,
        p + 1
    );
    let query = bind_record(sqlx::query(&sql), record, at.finished)
        .bind(at.stripe_time)
        .bind(at.started_ms);
    write_and_tell(db, record, query, at.finished).await
}

/// Takes the account row's lock for the rest of the transaction, before anything is read: a
/// write that changes nothing takes the row's lock on PostgreSQL and the database's write lock on
/// SQLite (a transaction that read first could not upgrade once another wrote: "database is
/// locked"). Everything that writes owner notices for the account does this first.
pub async fn lock_in(
    conn: &mut sqlx::AnyConnection,
    stripe_account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE connected_accounts SET last_event_at = last_event_at WHERE stripe_account_id = $1",
    )
    .bind(stripe_account_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Runs `query` (a guarded write of `record`) in a transaction that first locks the account's row
/// and reads it, so the owner's notices (`crate::owner_notices`) compare what the cache held with
/// what it now holds: of two workers writing one account, the second waits for the first and
/// compares with what the first wrote. `true` when the row was written.
async fn write_and_tell<'q>(
    db: &Db,
    record: &AccountRecord,
    query: AnyQuery<'q>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    lock_in(&mut tx, &record.stripe_account_id).await?;
    let before: Option<ConnectedAccountRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE stripe_account_id = $1"
    ))
    .bind(&record.stripe_account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let was_written = query.execute(&mut *tx).await?.rows_affected() == 1;
    if was_written {
        crate::owner_notices::after_write_in(
            &mut tx,
            db.public_url(),
            before.as_ref(),
            record,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    written(db, record, was_written).await
}

/// After a write of `record`: its capabilities, indexed for the console's filter.
async fn written(db: &Db, record: &AccountRecord, was_written: bool) -> Result<bool, sqlx::Error> {
    if was_written {
        super::account_capabilities::replace(db, &record.stripe_account_id, &record.capabilities)
            .await?;
    }
    Ok(was_written)
}

/// Ids of the accounts cached as v2 (reconciled one by one with the v2 API).
pub async fn v2_account_ids(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT stripe_account_id FROM connected_accounts WHERE api_version = 'v2'")
        .fetch_all(db.pool())
        .await
}

/// Rows written before the status column existed, for [`set_status`].
pub async fn without_status(db: &Db, limit: i64) -> Result<Vec<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE status IS NULL LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

pub async fn set_status(db: &Db, id: i64, status: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connected_accounts SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Accounts per status slug.
pub async fn count_by_status(db: &Db) -> Result<Vec<(Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, COUNT(*) FROM connected_accounts GROUP BY status")
        .fetch_all(db.pool())
        .await
}

/// Accounts whose deadline falls in `[from, to)`, soonest first.
pub async fn deadlines_between(
    db: &Db,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<ConnectedAccountRow>, sqlx::Error> {
    deadlines_between_in(&mut *db.pool().acquire().await?, from, to, limit).await
}

/// [`deadlines_between`] on the caller's connection or transaction.
pub async fn deadlines_between_in(
    conn: &mut sqlx::AnyConnection,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<ConnectedAccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts \
         WHERE current_deadline >= $1 AND current_deadline < $2 \
         ORDER BY current_deadline, id LIMIT $3"
    ))
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// How many accounts have Stripe's deadline in `[from, to)`.
pub async fn count_deadlines_between_in(
    conn: &mut sqlx::AnyConnection,
    from: i64,
    to: i64,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM connected_accounts WHERE current_deadline >= $1 AND current_deadline < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// Accounts whose status became `first` or `second` in `[from, to)` and still is: at most `limit`,
/// oldest change first, and how many there are.
pub async fn status_changed_between_in(
    conn: &mut sqlx::AnyConnection,
    (first, second): (&str, &str),
    from: i64,
    to: i64,
    limit: i64,
) -> Result<(Vec<ConnectedAccountRow>, i64), sqlx::Error> {
    const WHERE: &str = "status IN ($1, $2) AND status_changed_at >= $3 AND status_changed_at < $4";
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connected_accounts WHERE {WHERE} \
         ORDER BY status_changed_at, id LIMIT $5"
    ))
    .bind(first)
    .bind(second)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let (count,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM connected_accounts WHERE {WHERE}"
    ))
    .bind(first)
    .bind(second)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    Ok((rows, count))
}

/// What the console's search matches: the name and email as one lower-case document, the same
/// expression the PostgreSQL index is built on (migration `account_search`).
const SEARCH_DOCUMENT: &str = "LOWER(COALESCE(business_name, '') || ' | ' || COALESCE(email, ''))";

/// `%text%` for a search, lower-cased, without LIKE's wildcards (a search is for text).
fn search_pattern(search: &str) -> String {
    format!("%{}%", search.to_lowercase().replace(['%', '_', '\\'], ""))
}

/// The console's list filters.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Part of the name or email, or a Stripe id.
    pub search: Option<String>,
    pub status: Option<String>,
    pub country: Option<String>,
    pub api_version: Option<String>,
    pub dashboard_type: Option<String>,
    /// Deadline in `[from, to)`.
    pub deadline: Option<(i64, i64)>,
    /// A capability (`card_payments`, `merchant.card_payments`); with [`Self::capability_status`],
    /// accounts where it has that status, alone: accounts that have it.
    pub capability: Option<String>,
    /// A capability status (`active`, `pending`, `inactive`, ...); alone: accounts with any
    /// capability in that status.
    pub capability_status: Option<String>,
}

/// The console's list orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    /// Created, newest first.
    #[default]
    Newest,
    /// Name (or email when there is none), A to Z.
    Name,
    /// Deadline, soonest first; accounts without one last.
    Deadline,
}

impl ListSort {
    /// The sort key (as indexed) and whether it ascends.
    fn key(self) -> (&'static str, bool) {
        match self {
            ListSort::Newest => ("created_at", false),
            ListSort::Name => ("LOWER(COALESCE(business_name, email, ''))", true),
            ListSort::Deadline => ("COALESCE(current_deadline, 253402300799)", true),
        }
    }
}

/// One page of accounts in `sort` order, after the row `after` (its id): keyset pagination, no
/// OFFSET, so page 500 costs what page 1 does.
pub async fn list_page(
    db: &Db,
    filter: &ListFilter,
    sort: ListSort,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<ConnectedAccountRow>, sqlx::Error> {
    let mut sql = format!("SELECT {COLUMNS} FROM connected_accounts WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(search) = &filter.search {
        if search.starts_with("acct_") {
            sql.push_str(&format!(" AND stripe_account_id = {}", next()));
            binds.push(Bind::Text(search.clone()));
        } else {
            // Name and email in one indexed document (see the `account_search` migrations):
            // an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL.
            let a = next();
            sql.push_str(&match db.backend() {
                Backend::Sqlite => format!(
                    " AND id IN (SELECT rowid FROM connected_accounts_search WHERE doc LIKE {a})"
                ),
                Backend::Postgres => format!(" AND {SEARCH_DOCUMENT} LIKE {a}"),
            });
            binds.push(Bind::Text(search_pattern(search)));
        }
    }
    for (column, value) in [
        ("status", &filter.status),
        ("country", &filter.country),
        ("api_version", &filter.api_version),
        ("dashboard_type", &filter.dashboard_type),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {column} = {}", next()));
            binds.push(Bind::Text(value.clone()));
        }
    }
    if let Some((from, to)) = filter.deadline {
        let (a, b) = (next(), next());
        sql.push_str(&format!(
            " AND current_deadline >= {a} AND current_deadline < {b}"
        ));
        binds.push(Bind::Int(from));
        binds.push(Bind::Int(to));
    }
    let mut capability = Vec::new();
    for (column, value) in [
        ("capability", &filter.capability),
        ("status", &filter.capability_status),
    ] {
        if let Some(value) = value {
            capability.push(format!("c.{column} = {}", next()));
            binds.push(Bind::Text(value.clone()));
        }
    }
    if !capability.is_empty() {
        // EXISTS, probed row by row in the page's order: a page of a common status stops after
        // a few dozen probes instead of first collecting every matching account.
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM account_capabilities c \
             WHERE c.account_id = connected_accounts.id AND {})",
            capability.join(" AND ")
        ));
    }
    let (key, ascending) = sort.key();
    let (beyond, order) = if ascending {
        (">", "ASC")
    } else {
        ("<", "DESC")
    };
    if let Some(id) = after {
        // Rows after the cursor row in (key, id) order, its key read in the query (the cursor
        // stays an id whatever the order). A row-value comparison, so both databases walk the
        // (key, id) index from the cursor.
        let (a, b) = (next(), next());
        sql.push_str(&format!(
            " AND ({key}, id) {beyond} ((SELECT {key} FROM connected_accounts WHERE id = {a}), {b})"
        ));
        binds.extend([Bind::Int(id), Bind::Int(id)]);
    }
    sql.push_str(&format!(
        " ORDER BY {key} {order}, id {order} LIMIT {}",
        next()
    ));
    binds.push(Bind::Int(limit));
    let mut query = sqlx::query_as::<_, ConnectedAccountRow>(&sql);
    for bind in binds {
        query = match bind {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    query.fetch_all(db.pool()).await
}

enum Bind {
    Text(String),
    Int(i64),
}
