//! Disputes on connected accounts' charges: kept from `charge.dispute.*` events (and read from
//! Stripe when an event cannot tell whether it is newer), listed in the console by evidence
//! deadline and on the owner's home page.
//!
//! With the platform liable for negative balances (the default, `PLATFORM_LOSSES=application`),
//! a lost dispute the account cannot pay for is the platform's money
//! (`../shared/stripe-docs/connect-integration-guide.txt`).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One dispute, as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeLine {
    pub id: String,
    pub account_id: String,
    /// The account's name or address (console lists only).
    pub account_name: Option<String>,
    pub amount: String,
    pub reason: String,
    /// `domain::disputes::DisputeStatus` as Stripe names it (for styling and tests).
    pub status: String,
    pub status_label: String,
    pub deadline: String,
    /// `evidence_details.due_by` (Unix seconds), when Stripe gave one.
    pub due_by: Option<i64>,
    pub needs_response: bool,
    /// The response is due within three days (or overdue).
    pub urgent: bool,
    /// The disputed payment, for the owner's payment page.
    pub payment_intent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputePage {
    pub lines: Vec<DisputeLine>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The overview's answer to "how much is disputed, and by when must someone act?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeSummary {
    pub open: i64,
    pub nearest_deadline: Option<String>,
    /// Disputed amounts per currency, formatted, largest first.
    pub amounts: Vec<String>,
}

/// Open disputes of every account, nearest evidence deadline first (`page` from 1).
#[server]
pub async fn list_open_disputes(page: Option<i64>) -> Result<DisputePage, AppError> {
    crate::error::with_status(ssr::open_page(page).await)
}

#[server]
pub async fn get_dispute_summary() -> Result<DisputeSummary, AppError> {
    crate::error::with_status(ssr::summary().await)
}

/// One account's disputes (console).
#[server]
pub async fn list_account_disputes(account: String) -> Result<Vec<DisputeLine>, AppError> {
    crate::error::with_status(ssr::of_account(account).await)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::account_sync::unix_now_ms;
    use crate::auth::{ssr as auth, Role};
    use crate::db::disputes::{self, DisputeRecord, DisputeRow, FetchedAt};
    use crate::db::{unix_now, Db};
    use crate::state::app_state;
    use domain::disputes::{deadline_label, reason_label, response_deadline, DisputeStatus};
    use domain::event_order::{decide, Decision};
    use domain::money::format_amount;
    use stripe_client::models::dispute::Dispute;
    use stripe_client::models::event::Event;
    use stripe_client::{RequestOptions, StripeClient, StripeError};

    const PAGE: i64 = 25;

    /// Days before the evidence deadline from which a dispute is shown as urgent.
    const URGENT_DAYS: i64 = 3;

    pub fn line(row: &DisputeRow, account_name: Option<String>, now: i64) -> DisputeLine {
        let status = DisputeStatus::parse(&row.status);
        let due_by = response_deadline(row.due_by);
        let needs_response = status.is_some_and(DisputeStatus::needs_response);
        DisputeLine {
            id: row.stripe_dispute_id.clone(),
            account_id: row.stripe_account_id.clone(),
            account_name,
            amount: format_amount(row.amount, &row.currency),
            reason: reason_label(&row.reason),
            status: row.status.clone(),
            // A status Stripe adds later is shown as Stripe names it.
            status_label: status.map_or_else(|| row.status.replace('_', " "), |s| s.label().into()),
            deadline: status.map_or_else(String::new, |s| deadline_label(s, due_by, now)),
            due_by,
            needs_response,
            urgent: needs_response && due_by.is_some_and(|t| t - now <= URGENT_DAYS * 86_400),
            payment_intent: row.payment_intent_id.clone(),
        }
    }

    pub async fn open_page(page: Option<i64>) -> Result<DisputePage, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let page = page.unwrap_or(1).clamp(1, 10_000);
        let (rows, total) = disputes::open_page(&state.db, PAGE, (page - 1) * PAGE).await?;
        let now = unix_now();
        let lines = rows
            .into_iter()
            .map(|r| {
                let name = r.business_name.or(r.email);
                line(&r.dispute, name, now)
            })
            .collect();
        Ok(DisputePage {
            lines,
            total,
            page,
            pages: ((total + PAGE - 1) / PAGE).max(1),
        })
    }

    pub async fn summary() -> Result<DisputeSummary, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let s = disputes::open_summary(&state.db, unix_now()).await?;
        Ok(DisputeSummary {
            open: s.count,
            nearest_deadline: s.nearest_due.map(domain::calendar::moment_label),
            amounts: s
                .amounts
                .iter()
                .map(|(currency, amount)| format_amount(*amount, currency))
                .collect(),
        })
    }

    pub async fn of_account(account: String) -> Result<Vec<DisputeLine>, AppError> {
        auth::require_role(Role::Admin).await?;
        if !crate::account_sync::is_account_id(&account) {
            return Err(AppError::NotFound);
        }
        let state = app_state()?;
        let now = unix_now();
        Ok(disputes::of_account(&state.db, &account, false, 100)
            .await?
            .iter()
            .map(|r| line(r, None, now))
            .collect())
    }

    /// The open disputes of the owner's account, for the home page.
    pub async fn open_of_owner_account(
        db: &Db,
        account: &str,
    ) -> Result<Vec<DisputeLine>, AppError> {
        let now = unix_now();
        Ok(disputes::of_account(db, account, true, 20)
            .await?
            .iter()
            .map(|r| line(r, None, now))
            .collect())
    }

    #[derive(Debug, thiserror::Error)]
    pub enum DisputeSyncError {
        #[error("not a dispute id")]
        InvalidId,
        #[error("stripe: {0}")]
        Stripe(#[from] StripeError),
        #[error("database: {0}")]
        Db(#[from] sqlx::Error),
    }

    /// Stripe's ids are letters, digits and underscores (`dp_…`; older disputes `du_…`).
    fn is_dispute_id(id: &str) -> bool {
        (id.starts_with("dp_") || id.starts_with("du_"))
            && id.len() <= 255
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    pub fn record_from(d: &Dispute, account: &str) -> DisputeRecord {
        DisputeRecord {
            stripe_dispute_id: d.id.clone(),
            stripe_account_id: account.to_string(),
            charge_id: d.charge.clone(),
            payment_intent_id: d.payment_intent.clone(),
            amount: d.amount,
            currency: d.currency.to_ascii_lowercase(),
            reason: d.reason.clone(),
            status: d.status.clone(),
            due_by: response_deadline(d.evidence_details.due_by),
            created: d.created,
        }
    }

    /// Reads the dispute from Stripe as the account and stores it (unless a later read was
    /// stored first).
    pub async fn sync(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
        dispute_id: &str,
        event_created: i64,
    ) -> Result<(), DisputeSyncError> {
        if !is_dispute_id(dispute_id) || !crate::account_sync::is_account_id(account) {
            return Err(DisputeSyncError::InvalidId);
        }
        let started_ms = unix_now_ms();
        let read = stripe
            .retrieve_dispute_dated(dispute_id, &RequestOptions::new().stripe_account(account))
            .await?;
        let now = unix_now();
        let at = FetchedAt {
            started_ms,
            stripe_time: read.date.unwrap_or(now),
            event_created,
        };
        disputes::store_fetched(db, &record_from(&read.value, account), at, now).await?;
        Ok(())
    }

    /// A `charge.dispute.*` event of `account`. Older data never overwrites newer: the event's
    /// dispute is written when the event is newer than every event and read the table reflects;
    /// when that cannot be told (same second) the dispute is read from Stripe instead. Stripe
    /// does not promise delivery order (docs.stripe.com/webhooks#event-ordering).
    pub async fn apply_event(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
        event: &Event,
    ) -> Result<(), DisputeSyncError> {
        if event.data_object_type() != Some("dispute") {
            return Ok(());
        }
        let Some(id) = event.data_object_id().filter(|id| is_dispute_id(id)) else {
            return Ok(());
        };
        let Ok(dispute) = serde_json::from_value::<Dispute>(event.data.object.clone()) else {
            // Not the shape this portal knows: trust Stripe's current state instead.
            return sync(db, stripe, account, id, event.created).await;
        };
        let record = record_from(&dispute, account);
        let stored = disputes::find(db, id).await?;
        if stored
            .as_ref()
            .is_some_and(|r| r.stripe_account_id != account)
        {
            tracing::warn!(
                dispute = id,
                "event names a dispute of another account; ignored"
            );
            return Ok(());
        }
        match decide(
            stored.map(|r| (r.last_event_at, r.fetched_at)),
            event.created,
        ) {
            Decision::Skip => {
                tracing::info!(
                    dispute = id,
                    "event older than the stored dispute; not applied"
                );
                return Ok(());
            }
            Decision::Fetch => return sync(db, stripe, account, id, event.created).await,
            Decision::Apply => {}
        }
        if disputes::apply_event_snapshot(db, &record, event.created, unix_now()).await? {
            return Ok(());
        }
        // Written in between by another worker: decide again from what it wrote.
        match disputes::find(db, id).await? {
            Some(row) if row.stripe_account_id != account => Ok(()),
            Some(row) if event.created < row.last_event_at => Ok(()),
            _ => sync(db, stripe, account, id, event.created).await,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn row(status: &str, due_by: Option<i64>) -> DisputeRow {
            DisputeRow {
                stripe_dispute_id: "dp_1".into(),
                stripe_account_id: "acct_1".into(),
                charge_id: "ch_1".into(),
                payment_intent_id: Some("pi_1".into()),
                amount: 12_345,
                currency: "eur".into(),
                reason: "product_not_received".into(),
                status: status.into(),
                due_by,
                created: 0,
                last_event_at: 0,
                fetched_at: 0,
            }
        }

        #[test]
        fn lines_say_what_stripe_said_and_when_it_is_due() {
            let now = 1_700_000_000;
            let l = line(&row("needs_response", Some(now + 2 * 86_400)), None, now);
            assert_eq!(l.amount, "€123.45");
            assert_eq!(l.reason, "Product not received");
            assert_eq!(l.status_label, "Needs a response");
            assert!(l.needs_response && l.urgent);
            let l = line(&row("needs_response", Some(now + 5 * 86_400)), None, now);
            assert!(!l.urgent);
            let l = line(&row("under_review", Some(now + 86_400)), None, now);
            assert!(!l.needs_response && !l.urgent);
            let l = line(&row("some_new_status", None), None, now);
            assert_eq!(
                (l.status_label.as_str(), l.deadline.as_str()),
                ("some new status", "")
            );
        }

        #[test]
        fn only_stripe_shaped_ids_are_read() {
            assert!(is_dispute_id("dp_1Abc"));
            assert!(is_dispute_id("du_1Abc"));
            assert!(!is_dispute_id("dp_../x"));
            assert!(!is_dispute_id("ch_1"));
        }
    }
}

/// A list of disputes: deadline, amount, reason, status, and (console) the account.
#[component]
pub fn DisputeTable(
    lines: Vec<DisputeLine>,
    /// Console: the account column, each linking to its page.
    #[prop(optional)]
    with_account: bool,
    /// Owner: a link to the payment, where the embedded component takes the response.
    #[prop(optional)]
    respond_link: bool,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table disputes">
                <thead>
                    <tr>
                        <th scope="col">"Deadline"</th>
                        <th scope="col">"Amount"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"Status"</th>
                        {with_account.then(|| view! { <th scope="col">"Account"</th> })}
                        {respond_link.then(|| view! { <th scope="col"><span class="visually-hidden">"Action"</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let account_href = format!("/admin/accounts/{}?tab=disputes", l.account_id);
                        let account_name = l.account_name.clone().unwrap_or_else(|| l.account_id.clone());
                        let payment_href = l.payment_intent.as_ref().map_or_else(
                            || "/account/payments".to_string(),
                            |pi| format!("/account/payments/{pi}"),
                        );
                        let label = if l.needs_response { "Respond" } else { "View" };
                        view! {
                            <tr data-testid="dispute-row" data-dispute=l.id.clone() data-status=l.status.clone()>
                                <td class:urgent=l.urgent>{l.deadline.clone()}</td>
                                <td class="num">{l.amount.clone()}</td>
                                <td>{l.reason.clone()}</td>
                                <td><span class=format!("badge dispute-{}", l.status)>{l.status_label.clone()}</span></td>
                                {with_account.then(|| view! { <td><a href=account_href>{account_name}</a></td> })}
                                {respond_link.then(|| view! { <td><a class="button button-quiet button-small" href=payment_href>{label}</a></td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The console account page's "Disputes" tab.
#[component]
pub fn AccountDisputes(account: String) -> impl IntoView {
    let lines = Resource::new(move || account.clone(), list_account_disputes);
    view! {
        <section class="card stack" aria-labelledby="account-disputes-title">
            <h2 id="account-disputes-title">"Disputes"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(l) if l.is_empty() => view! { <p class="muted">"No disputes on this account's payments."</p> }.into_any(),
                        Ok(l) => view! { <DisputeTable lines=l/> }.into_any(),
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
