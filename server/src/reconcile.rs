//! Reconciliation: now and then, one instance reads every connected account from Stripe and
//! brings the cache in line. Webhooks keep the cache current; this catches what they cannot (a
//! delivery lost for good, an account created outside the portal, an endpoint that was down
//! longer than Stripe retries). The same run fills the application-fee table from Stripe's list of
//! the platform's fees: fees from before the table existed, and fees whose events were lost.

use crate::periodic_job::{PeriodicJob, Schedule};
use app::account_sync::{self, record_from_v1, unix_now_ms, SyncCause, VersionHint};
use app::db::connected_accounts::{self, ApiVersion, FetchedAt};
use app::db::{unix_now, Db};
use serde_json::Value;
use std::time::Duration;
use stripe_client::{Dated, Params, RequestOptions, StripeClient};

const JOB: &str = "reconcile_accounts";
/// How long a run may hold the job before another instance may take it.
const LEASE_SECS: i64 = 1_800;
/// Pages of 100 application fees read per stretch and run (`fee_revenue::ssr::backfill`), so a
/// platform with years of fees is filled over a few runs rather than in one long one.
const FEE_PAGES_PER_RUN: usize = 20;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunStats {
    pub listed: usize,
    pub written: usize,
    pub v2_synced: usize,
    /// Balances read (accounts that can take payments): negative balances send no event.
    pub balances_read: usize,
    pub fees_listed: usize,
    pub fees_written: usize,
}

/// Reads every account (v1 list pages of 100; v2 accounts one by one) into the cache, then the
/// platform's application fees into their table.
pub async fn run_once(db: &Db, stripe: &StripeClient) -> Result<RunStats, String> {
    let mut stats = RunStats::default();
    let mut after: Option<String> = None;
    loop {
        let started_ms = unix_now_ms();
        let params = Params::new()
            .set("limit", "100")
            .set_opt("starting_after", after.as_deref());
        let dated: Dated<Value> = stripe
            .get_dated("/v1/accounts", &params, &RequestOptions::new())
            .await
            .map_err(|e| format!("listing accounts: {e}"))?;
        let page = dated.value;
        let data = page["data"].as_array().cloned().unwrap_or_default();
        for raw in &data {
            stats.listed += 1;
            let Ok(record) = record_from_v1(raw) else {
                tracing::warn!(account = ?raw.get("id"), "reconcile: an account did not decode");
                continue;
            };
            let finished = unix_now();
            let at = FetchedAt {
                started_ms,
                finished,
                // Stripe's clock when it answered, compared with event times (Stripe's too).
                stripe_time: dated.date.unwrap_or(finished),
                event_created: 0,
                reconnected: false,
            };
            if connected_accounts::store_listed(db, &record, at)
                .await
                .map_err(|e| format!("storing an account: {e}"))?
            {
                stats.written += 1;
            }
            if record.charges_enabled {
                match app::balances::ssr::sync(db, stripe, &record.stripe_account_id).await {
                    Ok(()) => stats.balances_read += 1,
                    Err(e) => tracing::warn!(account = %record.stripe_account_id, error = %e,
                        "reconcile: balance not read"),
                }
            }
        }
        after = data
            .last()
            .and_then(|a| a["id"].as_str())
            .map(str::to_string);
        if page["has_more"] != true || after.is_none() {
            break;
        }
    }
    for id in connected_accounts::v2_account_ids(db)
        .await
        .map_err(|e| format!("reading v2 accounts: {e}"))?
    {
        match account_sync::sync(
            db,
            stripe,
            &id,
            VersionHint::Known(ApiVersion::V2),
            SyncCause::default(),
        )
        .await
        {
            Ok(_) => stats.v2_synced += 1,
            Err(e) => tracing::warn!(account = %id, error = %e, "reconcile: v2 account not synced"),
        }
    }
    // Accounts are reconciled whether or not the fees can be read this time.
    match app::fee_revenue::ssr::backfill(db, stripe, FEE_PAGES_PER_RUN).await {
        Ok(fees) => {
            stats.fees_listed = fees.listed;
            stats.fees_written = fees.written;
        }
        Err(e) => tracing::warn!(error = %e, "reconcile: application fees not read"),
    }
    Ok(stats)
}

/// Runs [`run_once`] every `every` on whichever instance claims the job first; `every` of zero:
/// never.
pub fn spawn(db: Db, stripe: StripeClient, every: Duration) -> PeriodicJob {
    if every.is_zero() {
        return PeriodicJob::off();
    }
    let schedule = Schedule {
        job: JOB,
        every_secs: every.as_secs().max(1) as i64,
        lease_secs: LEASE_SECS,
        // Look often enough to start close to when the job falls due, whichever instance ran last.
        tick: every.min(Duration::from_secs(30)),
        look_at_start: false,
    };
    PeriodicJob::spawn(db.clone(), schedule, move || {
        let (db, stripe) = (db.clone(), stripe.clone());
        async move {
            let stats = run_once(&db, &stripe).await?;
            tracing::info!(?stats, "accounts reconciled with Stripe");
            Ok(())
        }
    })
}
