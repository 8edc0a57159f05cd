//! The platform's application-fee revenue (admin console): kept in the `application_fees` table
//! from the platform's own `application_fee.created` and `application_fee.refunded` events (both
//! carry the ApplicationFee object: Stripe's event types list, docs.stripe.com/api/events/types),
//! with fees from before the table read from Stripe's list by reconciliation. The account page
//! shows one account's revenue per currency and per month; the overview the platform's last 30
//! days as a bar chart.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Days in the overview's chart, today (UTC) included.
pub const CHART_DAYS: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyRevenue {
    pub currency: String,
    pub fees: i64,
    /// Fees taken, minus what was refunded, in minor units.
    pub net: i64,
    /// "$12.34".
    pub formatted: String,
    /// What was refunded of them, "$1.00" ("" when nothing).
    pub refunded: String,
}

/// One calendar month (UTC) of one account's fees, one amount per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRevenue {
    /// "March 2026".
    pub label: String,
    /// "$12.34", one per currency.
    pub amounts: Vec<String>,
    pub fees: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRevenue {
    pub by_currency: Vec<CurrencyRevenue>,
    /// Newest month first; months without fees are left out.
    pub months: Vec<MonthRevenue>,
    /// Fees from this account.
    pub fees: i64,
}

/// One day's bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayBar {
    /// "3 March 2026".
    pub label: String,
    pub net: i64,
    /// "$12.34".
    pub formatted: String,
}

/// One currency's last [`CHART_DAYS`] days (no exchange rates: one chart per currency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyChart {
    pub currency: String,
    /// Oldest day first.
    pub days: Vec<DayBar>,
    pub total: String,
    pub fees: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformFeeRevenue {
    /// "1 March 2026", the chart's first and last days.
    pub from: String,
    pub to: String,
    /// The largest total first; empty when no fee was taken in the window.
    pub charts: Vec<CurrencyChart>,
}

/// One account's fee revenue (admins only).
#[server]
pub async fn get_fee_revenue(account: String) -> Result<FeeRevenue, AppError> {
    crate::error::with_status(ssr::of_account(account).await)
}

/// The platform's fee revenue of the last [`CHART_DAYS`] days (admins only).
#[server]
pub async fn get_platform_fee_revenue() -> Result<PlatformFeeRevenue, AppError> {
    crate::error::with_status(ssr::last_days().await)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::auth::{ssr as auth, Role};
    use crate::db::application_fees::{self, DaySum, FeeRecord};
    use crate::db::{unix_now, Db};
    use crate::state::app_state;
    use domain::calendar::{Date, SECONDS_PER_DAY};
    use domain::fee_revenue::{by_month, daily_series, month_label, DayTotal};
    use domain::money::format_amount;
    use stripe_client::api::ListParams;
    use stripe_client::models::event::Event;
    use stripe_client::models::payment::ApplicationFee;
    use stripe_client::{RequestOptions, StripeClient};

    fn day_totals(sums: Vec<DaySum>) -> Vec<DayTotal> {
        sums.into_iter()
            .map(|s| DayTotal {
                day: s.day,
                currency: s.currency,
                fees: s.fees,
                net: s.amount - s.refunded,
            })
            .collect()
    }

    pub async fn of_account(account: String) -> Result<FeeRevenue, AppError> {
        auth::require_role(Role::Admin).await?;
        if !crate::account_sync::is_account_id(&account) {
            return Err(AppError::NotFound);
        }
        let state = app_state()?;
        let sums = application_fees::sums_of_account(&state.db, &account).await?;
        let days = day_totals(application_fees::days_of_account(&state.db, &account).await?);
        Ok(revenue(sums, &days))
    }

    pub fn revenue(sums: Vec<application_fees::CurrencySum>, days: &[DayTotal]) -> FeeRevenue {
        let by_currency: Vec<CurrencyRevenue> = sums
            .into_iter()
            .map(|s| CurrencyRevenue {
                net: s.amount - s.refunded,
                formatted: format_amount(s.amount - s.refunded, &s.currency),
                refunded: if s.refunded > 0 {
                    format_amount(s.refunded, &s.currency)
                } else {
                    String::new()
                },
                fees: s.fees,
                currency: s.currency,
            })
            .collect();
        let mut months: Vec<MonthRevenue> = Vec::new();
        for m in by_month(days) {
            let label = month_label(m.year, m.month);
            let amount = format_amount(m.net, &m.currency);
            match months.last_mut() {
                Some(last) if last.label == label => {
                    last.amounts.push(amount);
                    last.fees += m.fees;
                }
                _ => months.push(MonthRevenue {
                    label,
                    amounts: vec![amount],
                    fees: m.fees,
                }),
            }
        }
        FeeRevenue {
            fees: by_currency.iter().map(|c| c.fees).sum(),
            by_currency,
            months,
        }
    }

    pub async fn last_days() -> Result<PlatformFeeRevenue, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let today = unix_now().div_euclid(SECONDS_PER_DAY);
        let first = today - CHART_DAYS as i64 + 1;
        let days = day_totals(application_fees::days_since(&state.db, first).await?);
        Ok(chart(&days, today))
    }

    pub fn chart(days: &[DayTotal], today: i64) -> PlatformFeeRevenue {
        let first = today - CHART_DAYS as i64 + 1;
        let charts = daily_series(days, today, CHART_DAYS)
            .into_iter()
            .map(|series| CurrencyChart {
                days: series
                    .net
                    .iter()
                    .enumerate()
                    .map(|(i, net)| DayBar {
                        label: Date::from_day_number(first + i as i64).long_label(),
                        net: *net,
                        formatted: format_amount(*net, &series.currency),
                    })
                    .collect(),
                total: format_amount(series.total, &series.currency),
                fees: series.fees,
                currency: series.currency,
            })
            .collect();
        PlatformFeeRevenue {
            from: Date::from_day_number(first).long_label(),
            to: Date::from_day_number(today).long_label(),
            charts,
        }
    }

    /// The table's record of a fee: `None` when Stripe's object lacks what the table needs (an
    /// account, a charge) or names no account the portal can read.
    pub fn record_from(fee: &ApplicationFee, fallback_created: i64) -> Option<FeeRecord> {
        let account = fee.account.as_deref()?;
        if !crate::account_sync::is_account_id(account) {
            return None;
        }
        Some(FeeRecord {
            stripe_fee_id: fee.id.clone(),
            stripe_account_id: account.to_string(),
            charge_id: fee.charge.clone()?,
            amount: fee.amount,
            amount_refunded: fee.amount_refunded,
            currency: fee.currency.to_ascii_lowercase(),
            created: fee.created.unwrap_or(fallback_created),
        })
    }

    /// An `application_fee.created` or `.refunded` event: the fee it carries is written when the
    /// event is newer than the table's row, or carries more refunded (Stripe does not promise
    /// delivery order, docs.stripe.com/webhooks#event-ordering; a redelivery changes nothing).
    /// `false` when the event carries no fee the table can hold.
    pub async fn apply_event(db: &Db, event: &Event) -> Result<bool, sqlx::Error> {
        if event.data_object_type() != Some("application_fee") {
            return Ok(false);
        }
        let record = match event.data_object::<ApplicationFee>() {
            Ok(fee) => record_from(&fee, event.created),
            Err(e) => {
                tracing::warn!(error = %e, "application fee event did not decode; ignored");
                None
            }
        };
        let Some(record) = record else {
            tracing::warn!(
                fee = ?event.data_object_id(),
                "application fee without a connected account or charge; ignored"
            );
            return Ok(false);
        };
        if !application_fees::apply_event_snapshot(db, &record, event.created, unix_now()).await? {
            tracing::info!(
                fee = %record.stripe_fee_id,
                "event not newer than the stored fee; not applied"
            );
        }
        Ok(true)
    }

    /// What one [`backfill`] did.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct BackfillStats {
        pub listed: usize,
        pub written: usize,
    }

    /// Reads Stripe's list of the platform's fees (newest first, pages of 100 with
    /// `starting_after`) into the table, at most `max_pages` pages for each of two stretches:
    /// from the newest fee back to the first page that adds nothing (fees whose events were
    /// lost), and from the table's oldest fee back (fees from before the table existed; once
    /// Stripe's list ends there, one short page a run). The same write as every listed fee: it
    /// adds a fee, or more refunded, never older data.
    pub async fn backfill(
        db: &Db,
        stripe: &StripeClient,
        max_pages: usize,
    ) -> Result<BackfillStats, String> {
        let mut stats = BackfillStats::default();
        let newest = store_pages(db, stripe, None, max_pages, true, &mut stats).await;
        let oldest = application_fees::oldest_created(db)
            .await
            .map_err(|e| format!("reading the oldest fee: {e}"))?;
        if let Some(oldest) = oldest {
            store_pages(db, stripe, Some(oldest), max_pages, false, &mut stats).await?;
        }
        newest?;
        Ok(stats)
    }

    async fn store_pages(
        db: &Db,
        stripe: &StripeClient,
        created_until: Option<i64>,
        max_pages: usize,
        stop_when_nothing_new: bool,
        stats: &mut BackfillStats,
    ) -> Result<(), String> {
        let mut list = ListParams::limit(100);
        for _ in 0..max_pages {
            let options = RequestOptions::new();
            let page = match created_until {
                Some(until) => {
                    stripe
                        .list_application_fees_created_until(&list, until, &options)
                        .await
                }
                None => stripe.list_application_fees(&list, &options).await,
            }
            .map_err(|e| format!("listing application fees: {e}"))?;
            let mut written = 0;
            for fee in &page.data {
                stats.listed += 1;
                let Some(record) = record_from(fee, unix_now()) else {
                    continue;
                };
                if application_fees::store_listed(db, &record, unix_now())
                    .await
                    .map_err(|e| format!("storing an application fee: {e}"))?
                {
                    written += 1;
                }
            }
            stats.written += written;
            match page.data.last() {
                Some(last) if page.has_more && !(stop_when_nothing_new && written == 0) => {
                    list = ListParams::limit(100).after(last.id.clone())
                }
                _ => break,
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::db::application_fees::CurrencySum;

        #[test]
        fn an_accounts_revenue_is_net_of_refunds_per_currency_and_month() {
            let d = |y, m, dd| Date::new(y, m, dd).unwrap().day_number();
            let sums = vec![
                CurrencySum {
                    currency: "usd".into(),
                    fees: 3,
                    amount: 600,
                    refunded: 100,
                },
                CurrencySum {
                    currency: "jpy".into(),
                    fees: 1,
                    amount: 300,
                    refunded: 0,
                },
            ];
            let days = [
                DayTotal {
                    day: d(2026, 2, 3),
                    currency: "usd".into(),
                    fees: 2,
                    net: 300,
                },
                DayTotal {
                    day: d(2026, 3, 1),
                    currency: "jpy".into(),
                    fees: 1,
                    net: 300,
                },
                DayTotal {
                    day: d(2026, 3, 2),
                    currency: "usd".into(),
                    fees: 1,
                    net: 200,
                },
            ];
            let r = revenue(sums, &days);
            assert_eq!(r.fees, 4);
            assert_eq!(
                (
                    r.by_currency[0].formatted.as_str(),
                    r.by_currency[0].refunded.as_str()
                ),
                ("$5.00", "$1.00")
            );
            assert_eq!(r.by_currency[1].refunded, "");
            let months: Vec<_> = r
                .months
                .iter()
                .map(|m| (m.label.as_str(), m.amounts.join(", "), m.fees))
                .collect();
            assert_eq!(
                months,
                vec![
                    ("March 2026", "¥300, $2.00".to_string(), 2),
                    ("February 2026", "$3.00".to_string(), 2),
                ]
            );
        }

        #[test]
        fn the_chart_has_a_bar_for_every_day_of_the_window() {
            let today = Date::new(2026, 3, 31).unwrap().day_number();
            let days = [DayTotal {
                day: today - 1,
                currency: "eur".into(),
                fees: 2,
                net: 1_234,
            }];
            let c = chart(&days, today);
            assert_eq!(
                (c.from.as_str(), c.to.as_str()),
                ("2 March 2026", "31 March 2026")
            );
            assert_eq!(c.charts.len(), 1);
            let eur = &c.charts[0];
            assert_eq!(eur.days.len(), CHART_DAYS);
            assert_eq!(eur.days[28].formatted, "€12.34");
            assert_eq!(eur.days[28].label, "30 March 2026");
            assert_eq!(eur.days[29].net, 0);
            assert_eq!(eur.total, "€12.34");
            assert!(chart(&[], today).charts.is_empty());
        }

        #[test]
        fn a_fee_needs_its_account_and_charge() {
            let fee = ApplicationFee {
                id: "fee_1".into(),
                amount: 200,
                amount_refunded: 0,
                currency: "USD".into(),
                account: Some("acct_1A".into()),
                charge: Some("ch_1".into()),
                refunded: false,
                created: None,
            };
            let r = record_from(&fee, 42).unwrap();
            assert_eq!((r.currency.as_str(), r.created), ("usd", 42));
            let no_account = ApplicationFee {
                account: None,
                ..fee.clone()
            };
            assert!(record_from(&no_account, 0).is_none());
            let odd_account = ApplicationFee {
                account: Some("../x".into()),
                ..fee
            };
            assert!(record_from(&odd_account, 0).is_none());
        }
    }
}

/// The "Fee revenue" tab of the console's account page: totals per currency, then per month.
#[component]
pub fn FeeRevenueView(account: String) -> impl IntoView {
    let revenue = Resource::new(move || account.clone(), get_fee_revenue);
    view! {
        <section class="card stack" aria-labelledby="fee-revenue-title">
            <h2 id="fee-revenue-title">"Application-fee revenue"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
                                        {(!c.refunded.is_empty()).then(|| view! {
                                            <dd class="hint">{format!("after {} refunded", c.refunded)}</dd>
                                        })}
                                    </div>
                                }).collect_view()}
                            </dl>
                            <p class="hint">
                                {format!("From {} fee{}, net of refunds (a refund counts in the month its fee was taken).", r.fees, if r.fees == 1 { "" } else { "s" })}
                            </p>
                            <div class="table-wrap">
                                <table class="table">
                                    <caption class="visually-hidden">"Fee revenue per month (UTC)"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Month (UTC)"</th>
                                            <th scope="col">"Net revenue"</th>
                                            <th scope="col">"Fees"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {r.months.into_iter().map(|m| view! {
                                            <tr data-testid="fee-revenue-month">
                                                <th scope="row">{m.label}</th>
                                                <td class="num">{m.amounts.join(", ")}</td>
                                                <td class="num">{m.fees}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
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

/// The overview's fee revenue of the last [`CHART_DAYS`] days: one bar per day (SVG drawn on
/// the server), one chart per currency, the total in words for screen readers.
#[component]
pub fn FeeRevenueChart(revenue: PlatformFeeRevenue) -> impl IntoView {
    const BAR: usize = 10;
    let width = CHART_DAYS * BAR;
    view! {
        <section class="card stack" aria-labelledby="fee-chart-title" data-testid="overview-fee-revenue">
            <h2 id="fee-chart-title">"Fee revenue, last 30 days"</h2>
            <p class="hint">{format!("{} to {} (UTC), net of refunds.", revenue.from, revenue.to)}</p>
            {if revenue.charts.is_empty() {
                view! { <p class="muted">"No application fees in the last 30 days."</p> }.into_any()
            } else {
                revenue.charts.into_iter().map(|c| {
                    let max = c.days.iter().map(|d| d.net).max().unwrap_or(0).max(1);
                    let summary = format!(
                        "{}: {} from {} fee{} in the last 30 days.",
                        c.currency.to_ascii_uppercase(),
                        c.total,
                        c.fees,
                        if c.fees == 1 { "" } else { "s" },
                    );
                    view! {
                        <figure class="fee-chart" data-testid=format!("fee-chart-{}", c.currency)>
                            <figcaption>
                                <span class="chart-label" aria-hidden="true">{c.currency.to_ascii_uppercase()}</span>
                                " "
                                <span class="chart-count" aria-hidden="true" data-testid="fee-chart-total">{c.total.clone()}</span>
                                <span class="visually-hidden">{summary}</span>
                            </figcaption>
                            <svg class="chart-bar fee-chart-bars" viewBox=format!("0 0 {width} 100") preserveAspectRatio="none" aria-hidden="true">
                                {c.days.into_iter().enumerate().map(|(i, d)| {
                                    // A day without fees is a zero bar: a hairline on the axis.
                                    let height = ((d.net.max(0) as f64 / max as f64) * 98.0).round() + 2.0;
                                    let height = if d.net > 0 { height } else { 1.0 };
                                    view! {
                                        <rect x=(i * BAR + 1).to_string() y=(100.0 - height).to_string()
                                            width=(BAR - 2).to_string() height=height.to_string()
                                            data-net=d.net.to_string()>
                                            <title>{format!("{}: {}", d.label, d.formatted)}</title>
                                        </rect>
                                    }
                                }).collect_view()}
                            </svg>
                        </figure>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}
