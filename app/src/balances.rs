//! Connected accounts' balances, kept as Stripe reports them, for the console's list of negative
//! balances: with the platform liable for negative balances (the default,
//! `PLATFORM_LOSSES=application`), an account's negative balance is the platform's exposure
//! (`../shared/stripe-docs/connect-integration-guide.txt`).
//!
//! Stripe sends `balance.available` when funds become available but "not for negative
//! transactions" (the event type as Stripe's SDKs document it, e.g. stripe-ruby
//! `Stripe::Events::V1BalanceAvailableEventNotification`): after an event that takes money away
//! (a dispute's withdrawal, a refund, a payout) the balance is read from Stripe instead, and the
//! reconciliation reads it too.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegativeLine {
    pub account_id: String,
    pub account_name: String,
    pub amount: String,
    pub as_of: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    /// Per currency: "-$154.49 over 2 accounts".
    pub by_currency: Vec<String>,
    pub lines: Vec<NegativeLine>,
}

/// Accounts with a negative available balance, the most negative first, and the sum per
/// currency. Admins only.
#[server]
pub async fn get_exposure() -> Result<Exposure, AppError> {
    crate::error::with_status(ssr::exposure().await)
}

/// The events after which an account's balance is read from Stripe: each moves money in or out
/// of it without a `balance.available` (Stripe's event types list,
/// docs.stripe.com/api/events/types).
pub const MONEY_MOVING_EVENTS: [&str; 5] = [
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
    "charge.refunded",
    "payout.created",
    "payout.failed",
];

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::auth::{ssr as auth, Role};
    use crate::db::account_balances::{self, BalanceEntry};
    use crate::db::{unix_now, Db};
    use crate::state::app_state;
    use domain::calendar::moment_label;
    use domain::money::format_amount;
    use stripe_client::models::balance::Balance;
    use stripe_client::models::event::Event;
    use stripe_client::{RequestOptions, StripeClient, StripeError};

    /// One entry per currency, available and pending (each summed over source types).
    pub fn entries(balance: &Balance) -> Vec<BalanceEntry> {
        let mut out: Vec<BalanceEntry> = Vec::new();
        let mut add = |currency: &str, available: i64, pending: i64| {
            let currency = currency.to_ascii_lowercase();
            match out.iter_mut().find(|e| e.currency == currency) {
                Some(e) => {
                    e.available += available;
                    e.pending += pending;
                }
                None => out.push(BalanceEntry {
                    currency,
                    available,
                    pending,
                }),
            }
        };
        for a in &balance.available {
            add(&a.currency, a.amount, 0);
        }
        for p in &balance.pending {
            add(&p.currency, 0, p.amount);
        }
        out
    }

    /// A `balance.available` event of `account`: the balance it carries, unless a newer report
    /// was written.
    pub async fn apply_event(db: &Db, account: &str, event: &Event) -> Result<(), sqlx::Error> {
        if event.data_object_type() != Some("balance") {
            return Ok(());
        }
        let Ok(balance) = serde_json::from_value::<Balance>(event.data.object.clone()) else {
            tracing::warn!("balance.available without a readable balance; ignored");
            return Ok(());
        };
        account_balances::replace_if_newer(
            db,
            account,
            event.created,
            &entries(&balance),
            unix_now(),
        )
        .await?;
        Ok(())
    }

    #[derive(Debug, thiserror::Error)]
    pub enum BalanceSyncError {
        #[error("stripe: {0}")]
        Stripe(#[from] StripeError),
        #[error("database: {0}")]
        Db(#[from] sqlx::Error),
    }

    /// Reads the account's balance from Stripe and keeps it (unless a newer report was kept).
    pub async fn sync(
        db: &Db,
        stripe: &StripeClient,
        account: &str,
    ) -> Result<(), BalanceSyncError> {
        let read = stripe
            .retrieve_balance_dated(&RequestOptions::for_account(account.to_string()))
            .await?;
        let now = unix_now();
        account_balances::replace_if_newer(
            db,
            account,
            read.date.unwrap_or(now),
            &entries(&read.value),
            now,
        )
        .await?;
        Ok(())
    }

    pub async fn exposure() -> Result<Exposure, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let by_currency = account_balances::exposure(&state.db)
            .await?
            .into_iter()
            .map(|(currency, total, accounts)| {
                format!(
                    "{} over {accounts} account{}",
                    format_amount(total, &currency),
                    if accounts == 1 { "" } else { "s" }
                )
            })
            .collect();
        let lines = account_balances::negative(&state.db, 100)
            .await?
            .into_iter()
            .map(|r| NegativeLine {
                account_name: r
                    .business_name
                    .or(r.email)
                    .unwrap_or_else(|| r.stripe_account_id.clone()),
                account_id: r.stripe_account_id,
                amount: format_amount(r.available, &r.currency),
                as_of: moment_label(r.as_of),
            })
            .collect();
        Ok(Exposure { by_currency, lines })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn entries_merge_available_and_pending_per_currency() {
            let balance: Balance = serde_json::from_value(serde_json::json!({
                "object": "balance",
                "available": [{"amount": -15449, "currency": "usd"}, {"amount": 5, "currency": "EUR"}],
                "pending": [{"amount": 19163, "currency": "usd"}]
            }))
            .unwrap();
            let e = entries(&balance);
            assert_eq!(e.len(), 2);
            assert_eq!(
                (e[0].currency.as_str(), e[0].available, e[0].pending),
                ("usd", -15449, 19163)
            );
            assert_eq!((e[1].currency.as_str(), e[1].available), ("eur", 5));
        }
    }
}

/// The console's negative balances: the platform's exposure per currency and the accounts.
#[component]
pub fn ExposureView(exposure: Exposure) -> impl IntoView {
    if exposure.lines.is_empty() {
        return view! { <p class="muted" data-testid="no-negative-balances">"No connected account has a negative balance."</p> }.into_any();
    }
    view! {
        <p data-testid="exposure"><strong>"Exposure: "</strong>{exposure.by_currency.join("; ")}</p>
        <div class="table-wrap">
            <table class="table" data-testid="negative-balances">
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col" class="num">"Available"</th>
                        <th scope="col">"As Stripe reported it at"</th>
                    </tr>
                </thead>
                <tbody>
                    {exposure.lines.into_iter().map(|l| view! {
                        <tr data-testid="negative-balance" data-account=l.account_id.clone()>
                            <td><a href=format!("/admin/accounts/{}", l.account_id)>{l.account_name}</a></td>
                            <td class="num negative">{l.amount}</td>
                            <td class="muted">{l.as_of}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
