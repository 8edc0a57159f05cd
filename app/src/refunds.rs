//! Refunds of connected accounts' payments, kept from `refund.*` events (created, updated,
//! failed: each carries the refund, Stripe's event types list, docs.stripe.com/api/events/types)
//! and listed with their status on the console's account page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    pub id: String,
    pub amount: String,
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
    /// Stripe's `failure_reason` of a failed refund, as Stripe names it.
    pub failure_reason: Option<String>,
    pub created: String,
    pub payment_intent: Option<String>,
}

/// One account's refunds, newest first. Admins only.
#[server]
pub async fn list_account_refunds(account: String) -> Result<Vec<RefundLine>, AppError> {
    crate::error::with_status(ssr::of_account(account).await)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::account_sync::{is_account_id, unix_now_ms};
    use crate::auth::{ssr as auth, Role};
    use crate::db::refunds::{self, RefundRecord, RefundRow};
    use crate::db::{unix_now, Db};
    use crate::state::app_state;
    use domain::calendar::moment_label;
    use domain::event_order::{decide, Decision};
    use domain::money::format_amount;
    use stripe_client::models::event::Event;
    use stripe_client::models::payment::Refund;
    use stripe_client::{Dated, Params, RequestOptions, StripeClient, StripeError};

    fn line(r: &RefundRow) -> RefundLine {
        RefundLine {
            id: r.stripe_refund_id.clone(),
            amount: format_amount(r.amount, &r.currency),
            status: r.status.clone(),
            status_label: domain::refunds::status_label(&r.status),
            reason: r.reason.as_deref().map(domain::refunds::reason_label),
            failure_reason: r.failure_reason.clone(),
            created: moment_label(r.created),
            payment_intent: r.payment_intent_id.clone(),
        }
    }

    pub async fn of_account(account: String) -> Result<Vec<RefundLine>, AppError> {
        auth::require_role(Role::Admin).await?;
        if !is_account_id(&account) {
            return Err(AppError::NotFound);
        }
        let state = app_state()?;
        Ok(refunds::of_account(&state.db, &account, 100)
            .await?
            .iter()
            .map(line)
            .collect())
    }

    #[derive(Debug, thiserror::Error)]
    pub enum RefundSyncError {
        #[error("not a refund id")]
        InvalidId,
        #[error("stripe: {0}")]
        Stripe(#[from] StripeError),
        #[error("database: {0}")]
        Db(#[from] sqlx::Error),
    }

    /// `re_…` (and `pyr_…` for some payment methods); letters, digits and underscores.
    fn is_refund_id(id: &str) -> bool {
        (id.starts_with("re_") || id.starts_with("pyr_"))
            && id.len() <= 255
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    fn record_from(r: &Refund, account: &str) -> RefundRecord {
        RefundRecord {
            stripe_refund_id: r.id.clone(),
            stripe_account_id: account.to_string(),
            charge_id: r.charge.clone(),
            payment_intent_id: r.payment_intent.clone(),
            amount: r.amount,
            currency: r.currency.to_ascii_lowercase(),
            // Stripe's `status` is nullable in its spec; an unknown one is shown as such.
            status: r.status.clone().unwrap_or_else(|| "unknown".into()),
            reason: r.reason.clone(),
            failure_reason: r.failure_reason.clone(),
            created: r.created.unwrap_or_default(),
        }
    }

    pub async fn sync(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
        id: &str,
        event_created: i64,
    ) -> Result<(), RefundSyncError> {
        if !is_refund_id(id) || !is_account_id(account) {
            return Err(RefundSyncError::InvalidId);
        }
        let started_ms = unix_now_ms();
        let read: Dated<Refund> = stripe
            .get_dated(
                &format!("/v1/refunds/{id}"),
                &Params::new(),
                &RequestOptions::for_account(account.to_string()),
            )
            .await?;
        let now = unix_now();
        refunds::store_fetched(
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

    /// A `refund.*` event of `account`, written when newer than what is stored
    /// (`domain::event_order`).
    pub async fn apply_event(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
        event: &Event,
    ) -> Result<(), RefundSyncError> {
        if event.data_object_type() != Some("refund") {
            return Ok(());
        }
        let Some(id) = event.data_object_id().filter(|id| is_refund_id(id)) else {
            return Ok(());
        };
        let Ok(refund) = serde_json::from_value::<Refund>(event.data.object.clone()) else {
            return sync(db, stripe, account, id, event.created).await;
        };
        let stored = refunds::find(db, id).await?;
        if stored
            .as_ref()
            .is_some_and(|r| r.stripe_account_id != account)
        {
            tracing::warn!(
                refund = id,
                "event names a refund of another account; ignored"
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
        let record = record_from(&refund, account);
        if refunds::apply_event_snapshot(db, &record, event.created, unix_now()).await? {
            return Ok(());
        }
        match refunds::find(db, id).await? {
            Some(row) if row.stripe_account_id != account => Ok(()),
            Some(row) if event.created < row.last_event_at => Ok(()),
            _ => sync(db, stripe, account, id, event.created).await,
        }
    }
}

/// The console account page's "Refunds" tab.
#[component]
pub fn AccountRefunds(account: String) -> impl IntoView {
    let lines = Resource::new(move || account.clone(), list_account_refunds);
    view! {
        <section class="card stack" aria-labelledby="account-refunds-title">
            <h2 id="account-refunds-title">"Refunds"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(l) if l.is_empty() => view! { <p class="muted">"No refunds on this account's payments."</p> }.into_any(),
                        Ok(l) => view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Created"</th>
                                            <th scope="col" class="num">"Amount"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Reason"</th>
                                            <th scope="col">"Payment"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {l.into_iter().map(|r| view! {
                                            <tr data-testid="refund-row" data-status=r.status.clone()>
                                                <td class="muted">{r.created}</td>
                                                <td class="num">{r.amount}</td>
                                                <td>
                                                    <span class="badge">{r.status_label}</span>
                                                    {r.failure_reason.map(|f| view! { <span class="muted">{format!(" ({f})")}</span> })}
                                                </td>
                                                <td>{r.reason.unwrap_or_else(|| "—".into())}</td>
                                                <td><code>{r.payment_intent.unwrap_or_else(|| "—".into())}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! {
                            <p class="form-error" role="alert">{e.to_string()}</p>
                            <button type="button" class="button button-quiet" on:click=move |_| lines.refetch()>"Try again"</button>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
