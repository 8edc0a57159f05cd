//! The platform admin console (`/admin/...`).

pub mod accounts;
pub mod admins;
pub mod balances;
pub mod disputes;
pub mod events;
pub mod mail;
pub mod settings;

use crate::auth::Role;
use crate::balances::{get_exposure, Exposure};
use crate::components::error_view::error_fallback;
use crate::components::guard::RequireRole;
use crate::components::layout::{AreaLayout, NavItem};
use crate::console::{get_console_overview, AccountLine, StatusCount};
use crate::disputes::{get_dispute_summary, DisputeSummary};
use crate::error::AppError;
use crate::fee_revenue::{get_platform_fee_revenue, FeeRevenueChart};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use serde::{Deserialize, Serialize};

/// Everything under `/admin`: platform admins only, with the console's navigation.
#[component]
pub fn ConsoleArea() -> impl IntoView {
    view! {
        <RequireRole role=Role::Admin>
            <AreaLayout label="Admin console" items=vec![
                NavItem::new("/admin", "Overview"),
                NavItem::new("/admin/accounts", "Accounts"),
                NavItem::new("/admin/disputes", "Disputes"),
                NavItem::new("/admin/balances", "Balances and payouts"),
                NavItem::new("/admin/events", "Events"),
                NavItem::new("/admin/audit", "Audit log"),
                NavItem::new("/admin/mail", "Mail"),
                NavItem::new("/admin/admins", "Admins"),
                NavItem::new("/admin/settings", "Settings"),
            ]>
                <Outlet/>
            </AreaLayout>
        </RequireRole>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleCounts {
    pub admins: i64,
    pub owners: i64,
}

#[server]
pub async fn get_people_counts() -> Result<PeopleCounts, AppError> {
    crate::error::with_status(people_counts().await)
}

#[cfg(feature = "ssr")]
async fn people_counts() -> Result<PeopleCounts, AppError> {
    crate::auth::ssr::require_role(Role::Admin).await?;
    let state = crate::state::app_state()?;
    let mut counts = PeopleCounts {
        admins: 0,
        owners: 0,
    };
    for (role, count) in crate::db::users::count_by_role(&state.db).await? {
        match Role::parse(&role) {
            Some(Role::Admin) => counts.admins = count,
            Some(Role::Owner) => counts.owners = count,
            None => {}
        }
    }
    Ok(counts)
}

#[component]
pub fn ConsoleOverview() -> impl IntoView {
    let counts = Resource::new(|| (), |_| get_people_counts());
    let overview = Resource::new(|| (), |_| get_console_overview());
    let disputes = Resource::new(|| (), |_| get_dispute_summary());
    let exposure = Resource::new(|| (), |_| get_exposure());
    let fees = Resource::new(|| (), |_| get_platform_fee_revenue());
    view! {
        <Title text="Admin console"/>
        <h1>"Overview"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let c = counts.await?;
                    let o = overview.await?;
                    let d = disputes.await?;
                    let x = exposure.await?;
                    let f = fees.await?;
                    Ok::<_, AppError>(view! {
                        <div class="stack">
                            <StatusChart statuses=o.statuses.clone() total=o.total/>
                            <section class="card stack" aria-labelledby="deadlines-title">
                                <h2 id="deadlines-title">"Deadlines"</h2>
                                <DeadlineList title="In the next 7 days" window="7d" rows=o.due_7_days.clone()/>
                                <DeadlineList title="In 8 to 30 days" window="30d" rows=o.due_30_days.clone()/>
                            </section>
                            <MoneyAtRisk disputes=d exposure=x/>
                            <FeeRevenueChart revenue=f/>
                            <dl class="stats">
                                <div class="stat"><dt>"Last webhook received"</dt><dd class="stat-small">{o.last_event.clone().unwrap_or_else(|| "None yet".into())}</dd></div>
                                <div class="stat"><dt>"Failed events"</dt><dd><a href="/admin/events?status=failed">{o.failed_events}</a></dd></div>
                                <div class="stat"><dt>"Waiting to be processed"</dt><dd>{o.pending_events}</dd></div>
                                <div class="stat"><dt>"Account owners"</dt><dd>{c.owners}</dd></div>
                                <div class="stat"><dt>"Platform admins"</dt><dd>{c.admins}</dd></div>
                            </dl>
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Accounts by status as horizontal bars (SVG drawn on the server), each a link to the list.
#[component]
fn StatusChart(statuses: Vec<StatusCount>, total: i64) -> impl IntoView {
    let max = statuses.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    view! {
        <section class="card stack" aria-labelledby="chart-title">
            <h2 id="chart-title">"Accounts by status" <span class="badge">{total}</span></h2>
            <ul class="status-chart">
                {statuses.into_iter().map(|s| {
                    let width = (s.count as f64 / max as f64 * 100.0).round();
                    view! {
                        <li>
                            <a href=format!("/admin/accounts?status={}", s.slug) data-testid=format!("chart-{}", s.slug)>
                                <span class="chart-label">{s.label.clone()}</span>
                                <svg class=format!("chart-bar status-{}", s.slug) viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                    <rect x="0" y="0" height="10" width=width.to_string()></rect>
                                </svg>
                                <span class="chart-count">{s.count}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DeadlineList(
    title: &'static str,
    window: &'static str,
    rows: Vec<AccountLine>,
) -> impl IntoView {
    view! {
        <div>
            <h3>{title} " " <a class="hint" href=format!("/admin/accounts?deadline={window}")>"see all"</a></h3>
            {if rows.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="requirements">
                        {rows.into_iter().map(|r| view! {
                            <li>
                                <a href=format!("/admin/accounts/{}", r.stripe_account_id)>{r.name}</a>
                                <span class="muted">{format!(" — {} ({})", r.deadline.unwrap_or_default(), r.status_label)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

/// Money at risk: open disputes (how many, how much, the nearest deadline) and negative
/// balances (the exposure per currency).
#[component]
fn MoneyAtRisk(disputes: DisputeSummary, exposure: Exposure) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="risk-title" data-testid="overview-risk">
            <h2 id="risk-title">"Money at risk"</h2>
            <div data-testid="overview-disputes">
                <h3>"Disputes" " " <a class="hint" href="/admin/disputes">"see all"</a></h3>
                {if disputes.open == 0 {
                    view! { <p class="muted">"No open disputes."</p> }.into_any()
                } else {
                    view! {
                        <dl class="stats">
                            <div class="stat"><dt>"Open"</dt><dd><a href="/admin/disputes" data-testid="open-disputes">{disputes.open}</a></dd></div>
                            <div class="stat"><dt>"Disputed"</dt><dd class="stat-small">{disputes.amounts.join(", ")}</dd></div>
                            <div class="stat"><dt>"Next evidence deadline"</dt><dd class="stat-small">{disputes.nearest_deadline.clone().unwrap_or_else(|| "None waiting for a response".into())}</dd></div>
                        </dl>
                    }.into_any()
                }}
            </div>
            <div data-testid="overview-balances">
                <h3>"Negative balances" " " <a class="hint" href="/admin/balances">"see all"</a></h3>
                {if exposure.by_currency.is_empty() {
                    view! { <p class="muted">"No connected account has a negative balance."</p> }.into_any()
                } else {
                    view! { <p>{exposure.by_currency.join("; ")}</p> }.into_any()
                }}
            </div>
        </section>
    }
}
