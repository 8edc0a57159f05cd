//! Failed payouts: payouts kept from `payout.*` events, and the failed ones of the last 30 days
//! shown on the owner's home (with where to check the bank account) and in the console. What
//! went wrong is Stripe's own words, the payout's `failure_message` (or its `failure_code`).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How far back failed payouts are shown.
pub const SHOWN_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedPayoutLine {
    pub id: String,
    pub account_id: String,
    /// Console lists only.
    pub account_name: Option<String>,
    pub amount: String,
    pub created: String,
    /// Stripe's `failure_message`, else its `failure_code`.
    pub reason: Option<String>,
}

/// Failed payouts of every account in the last 30 days, newest first. Admins only.
#[server]
pub async fn list_failed_payouts() -> Result<Vec<FailedPayoutLine>, AppError> {
    crate::error::with_status(ssr::console_list().await)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::account_sync::{is_account_id, unix_now_ms};
    use crate::auth::{ssr as auth, Role};
    use crate::db::payouts::{self, PayoutRecord, PayoutRow};
    use crate::db::{unix_now, Db};
    use crate::state::app_state;
    use domain::calendar::moment_label;
    use domain::event_order::{decide, Decision};
    use domain::money::format_amount;
    use stripe_client::models::event::Event;
    use stripe_client::models::payout::Payout;
    use stripe_client::{Dated, Params, RequestOptions, StripeClient, StripeError};

    pub fn line(row: &PayoutRow, account_name: Option<String>) -> FailedPayoutLine {
        FailedPayoutLine {
            id: row.stripe_payout_id.clone(),
            account_id: row.stripe_account_id.clone(),
            account_name,
            amount: format_amount(row.amount, &row.currency),
            created: moment_label(row.created),
            reason: row
                .failure_message
                .clone()
                .or_else(|| row.failure_code.clone()),
        }
    }

    pub async fn console_list() -> Result<Vec<FailedPayoutLine>, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let since = unix_now() - SHOWN_DAYS * 86_400;
        Ok(payouts::failed_since(&state.db, since, 100)
            .await?
            .into_iter()
            .map(|r| line(&r.payout, r.business_name.or(r.email)))
            .collect())
    }

    /// The owner's failed payouts of the last 30 days (the caller checked who the owner is).
    pub async fn of_owner_account(
        db: &Db,
        account: &str,
    ) -> Result<Vec<FailedPayoutLine>, AppError> {
        let since = unix_now() - SHOWN_DAYS * 86_400;
        Ok(payouts::failed_of_account(db, account, since, 10)
            .await?
            .iter()
            .map(|r| line(r, None))
            .collect())
    }

    #[derive(Debug, thiserror::Error)]
    pub enum PayoutSyncError {
        #[error("not a payout id")]
        InvalidId,
        #[error("stripe: {0}")]
        Stripe(#[from] StripeError),
        #[error("database: {0}")]
        Db(#[from] sqlx::Error),
    }

    /// `po_…`; letters, digits and underscores.
    fn is_payout_id(id: &str) -> bool {
        id.starts_with("po_")
            && id.len() <= 255
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    fn record_from(p: &Payout, account: &str) -> PayoutRecord {
        PayoutRecord {
            stripe_payout_id: p.id.clone(),
            stripe_account_id: account.to_string(),
            amount: p.amount,
            currency: p.currency.to_ascii_lowercase(),
            status: p.status.as_str().to_string(),
            failure_code: p.failure_code.clone(),
            failure_message: p.failure_message.clone(),
            arrival_date: p.arrival_date,
            created: p.created.unwrap_or_default(),
        }
    }

    /// Reads the payout from Stripe as the account and stores it.
    pub async fn sync(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
        id: &str,
        event_created: i64,
    ) -> Result<(), PayoutSyncError> {
        if !is_payout_id(id) || !is_account_id(account) {
            return Err(PayoutSyncError::InvalidId);
        }
        let started_ms = unix_now_ms();
        let read: Dated<Payout> = stripe
            .get_dated(
                &format!("/v1/payouts/{id}"),
                &Params::new(),
                &RequestOptions::for_account(account.to_string()),
            )
            .await?;
        let now = unix_now();
        payouts::store_fetched(
            db,
            &record_from(&read.value, account),
            started_ms,
            read.date.unwrap_or(now),
            event_created,
            now,
        )
        .await?;
        Ok(())
    }

    /// A `payout.*` event of `account` (created, updated, paid, failed, canceled: each carries
    /// the payout, Stripe's event types list, docs.stripe.com/api/events/types), written when it
    /// is newer than what is stored (`domain::event_order`).
    pub async fn apply_event(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
        event: &Event,
    ) -> Result<(), PayoutSyncError> {
        if event.data_object_type() != Some("payout") {
            return Ok(());
        }
        let Some(id) = event.data_object_id().filter(|id| is_payout_id(id)) else {
            return Ok(());
        };
        let Ok(payout) = serde_json::from_value::<Payout>(event.data.object.clone()) else {
            return sync(db, stripe, account, id, event.created).await;
        };
        let stored = payouts::find(db, id).await?;
        if stored
            .as_ref()
            .is_some_and(|r| r.stripe_account_id != account)
        {
            tracing::warn!(
                payout = id,
                "event names a payout of another account; ignored"
            );
            return Ok(());
        }
        match decide(
            stored.map(|r| (r.last_event_at, r.fetched_at)),
            event.created,
        ) {
            Decision::Skip => return Ok(()),
            Decision::Fetch => return sync(db, stripe, account, id, event.created).await,
            Decision::Apply => {}
        }
        let record = record_from(&payout, account);
        if payouts::apply_event_snapshot(db, &record, event.created, unix_now()).await? {
            return Ok(());
        }
        match payouts::find(db, id).await? {
            Some(row) if row.stripe_account_id != account => Ok(()),
            Some(row) if event.created < row.last_event_at => Ok(()),
            _ => sync(db, stripe, account, id, event.created).await,
        }
    }
}

/// The console's failed payouts.
#[component]
pub fn FailedPayoutTable(lines: Vec<FailedPayoutLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted" data-testid="no-failed-payouts">"No payout failed in the last 30 days."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"What Stripe said"</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let name = l.account_name.clone().unwrap_or_else(|| l.account_id.clone());
                        view! {
                            <tr data-testid="failed-payout" data-account=l.account_id.clone()>
                                <td><a href=format!("/admin/accounts/{}?tab=payouts", l.account_id)>{name}</a></td>
                                <td class="num">{l.amount}</td>
                                <td class="muted">{l.created}</td>
                                <td>{l.reason.unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
