//! The platform's application-fee revenue from one connected account (admin console), summed
//! from Stripe's application fees. Stripe cannot filter fees by account, so the newest fees are
//! read page by page and the ones from this account kept.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many of the platform's newest fees are read at most (10 pages of 100).
pub const FEES_SCANNED: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyRevenue {
    pub currency: String,
    /// Fees taken, minus what was refunded, in minor units.
    pub net: i64,
    /// "$12.34".
    pub formatted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRevenue {
    pub by_currency: Vec<CurrencyRevenue>,
    /// Fees from this account that were counted.
    pub fees: usize,
    /// The platform has more fees than were read: older ones are not in the sum.
    pub partial: bool,
}

/// Sums `(amount, amount_refunded, currency)` per currency, in the order currencies first appear.
pub fn sum_fees<'a>(fees: impl IntoIterator<Item = (i64, i64, &'a str)>) -> Vec<CurrencyRevenue> {
    let mut out: Vec<CurrencyRevenue> = Vec::new();
    for (amount, refunded, currency) in fees {
        let currency = currency.to_ascii_lowercase();
        let net = amount - refunded;
        match out.iter_mut().find(|r| r.currency == currency) {
            Some(r) => r.net += net,
            None => out.push(CurrencyRevenue {
                currency,
                net,
                formatted: String::new(),
            }),
        }
    }
    for r in &mut out {
        r.formatted = domain::money::format_amount(r.net, &r.currency);
    }
    out
}

/// Admins only.
#[server]
pub async fn get_fee_revenue(account: String) -> Result<FeeRevenue, AppError> {
    use crate::auth::{ssr::require_role, Role};
    use stripe_client::api::ListParams;
    use stripe_client::RequestOptions;
    crate::error::with_status(
        async {
            require_role(Role::Admin).await?;
            if !crate::account_sync::is_account_id(&account) {
                return Err(AppError::NotFound);
            }
            let state = crate::state::app_state()?;
            let mut mine = Vec::new();
            let mut list = ListParams::limit(100);
            let mut scanned = 0;
            let partial = loop {
                let page = state
                    .stripe
                    .list_application_fees(&list, &RequestOptions::new())
                    .await
                    .map_err(|e| {
                        crate::stripe_errors::to_app_error("list the application fees", &e)
                    })?;
                scanned += page.data.len();
                let last = page.data.last().map(|f| f.id.clone());
                mine.extend(
                    page.data
                        .into_iter()
                        .filter(|f| f.account.as_deref() == Some(account.as_str())),
                );
                match last {
                    Some(last) if page.has_more && scanned < FEES_SCANNED => {
                        list = ListParams::limit(100).after(last)
                    }
                    _ => break page.has_more,
                }
            };
            Ok(FeeRevenue {
                by_currency: sum_fees(
                    mine.iter()
                        .map(|f| (f.amount, f.amount_refunded, f.currency.as_str())),
                ),
                fees: mine.len(),
                partial,
            })
        }
        .await,
    )
}

/// The revenue line of the admin console's account page.
#[component]
pub fn FeeRevenueView(account: String) -> impl IntoView {
    let revenue = Resource::new(move || account.clone(), get_fee_revenue);
    view! {
        <section class="card" aria-labelledby="fee-revenue-title">
            <h2 id="fee-revenue-title">"Application-fee revenue"</h2>
            <Transition fallback=|| view! { <p class="loading">"Reading fees from Stripe…"</p> }>
                {move || Suspend::new(async move {
                    match revenue.await {
                        Ok(r) if r.fees == 0 => view! {
                            <p class="muted">"No application fees from this account yet."</p>
                        }.into_any(),
                        Ok(r) => view! {
                            <dl class="stats">
                                {r.by_currency.into_iter().map(|c| view! {
                                    <div class="stat">
                                        <dt>{c.currency.to_ascii_uppercase()}</dt>
                                        <dd data-testid="fee-revenue">{c.formatted}</dd>
                                    </div>
                                }).collect_view()}
                            </dl>
                            <p class="hint">
                                {format!("From {} fee{} net of refunds", r.fees, if r.fees == 1 { "" } else { "s" })}
                                {r.partial.then(|| format!(" (the platform's newest {FEES_SCANNED} fees were read)"))}
                                "."
                            </p>
                        }.into_any(),
                        Err(e) => view! {
                            <p class="form-error" role="alert">{e.to_string()}</p>
                            <button type="button" class="button button-quiet" on:click=move |_| revenue.refetch()>"Try again"</button>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_per_currency_net_of_refunds() {
        let sums = sum_fees([(100, 0, "usd"), (250, 50, "USD"), (300, 0, "jpy")]);
        assert_eq!(sums.len(), 2);
        assert_eq!(sums[0].currency, "usd");
        assert_eq!(sums[0].net, 300);
        assert_eq!(sums[0].formatted, "$3.00");
        assert_eq!(sums[1].net, 300);
        assert_eq!(sums[1].formatted, "¥300");
    }
}
