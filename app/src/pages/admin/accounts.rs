//! `/admin/accounts` (search, filters and pages in the URL, working before hydration) and
//! `/admin/accounts/{id}` (the account, its requirements, and the actions on it).

use crate::account_view::capability_label;
use crate::components::error_view::error_fallback;
use crate::components::form::{action_error, FormError};
use crate::components::payout_schedule_view::{PayoutFacts, ScheduleFields};
use crate::components::requirements_view::{CapabilitiesView, Reader, RequirementsView};
use crate::components::test_data_panel::TestDataPanel;
use crate::console::{
    get_account_detail, get_account_payouts, list_accounts, AccountDetail, AccountQuery,
    AdminAccountLink, AdminCapability, AdminLoginLink, AdminReject, AdminResync,
    AdminUpdatePayoutSchedule, AuditLine, EventLine,
};
use crate::error::AppError;
use crate::fee_revenue::FeeRevenueView;
use domain::account_status::AccountStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn query_from_url() -> Memo<AccountQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| AccountQuery {
            q: q.get("q"),
            status: q.get("status"),
            country: q.get("country"),
            api: q.get("api"),
            dashboard: q.get("dashboard"),
            deadline: q.get("deadline"),
            cap: q.get("cap"),
            cap_status: q.get("cap_status"),
            sort: q.get("sort"),
            after: q.get("after"),
        })
    })
}

/// The same filters with another cursor, as a link.
fn page_link(query: &AccountQuery, after: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in [
        ("q", &query.q),
        ("status", &query.status),
        ("country", &query.country),
        ("api", &query.api),
        ("dashboard", &query.dashboard),
        ("deadline", &query.deadline),
        ("cap", &query.cap),
        ("cap_status", &query.cap_status),
        ("sort", &query.sort),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            pairs.push((k.to_string(), v.clone()));
        }
    }
    if let Some(after) = after {
        pairs.push(("after".into(), after.to_string()));
    }
    let q = leptos_router::params::ParamsMap::from_iter(pairs).to_query_string();
    format!("/admin/accounts{q}")
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = query_from_url();
    let page = Resource::new(
        move || query.get(),
        |q| {
            list_accounts(
                q.q,
                q.status,
                q.country,
                q.api,
                q.dashboard,
                q.deadline,
                q.cap,
                q.cap_status,
                q.sort,
                q.after,
            )
        },
    );
    view! {
        <Title text="Accounts"/>
        <h1>"Accounts"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    let q = query.get_untracked();
                    Ok::<_, AppError>(view! {
                        <Filters q=q.clone() capabilities=page.capabilities.clone()/>
                        <section class="card">
                            {if page.rows.is_empty() {
                                view! { <p class="muted">"No accounts match."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table" data-testid="accounts">
                                        <thead><tr>
                                            <th scope="col">"Account"</th><th scope="col">"Status"</th>
                                            <th scope="col">"Deadline"</th><th scope="col">"Country"</th><th scope="col">"API"</th>
                                        </tr></thead>
                                        <tbody>
                                            {page.rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td>
                                                        <a href=format!("/admin/accounts/{}", r.stripe_account_id)>{r.name}</a>
                                                        <br/><code class="muted">{r.stripe_account_id.clone()}</code>
                                                        {r.no_portal_login.then(|| view! { " " <span class="badge">"no portal login"</span> })}
                                                    </td>
                                                    <td><span class=format!("status-badge small status-{}", r.status_slug)>{r.status_label}</span></td>
                                                    <td>{r.deadline.unwrap_or_default()}</td>
                                                    <td>{r.country.unwrap_or_default()}</td>
                                                    <td>{r.api_version}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <nav class="pager" aria-label="Pages">
                                {q.after.is_some().then(|| view! { <a href=page_link(&q, None)>"First page"</a> })}
                                {page.next.as_deref().map(|next| view! { <a href=page_link(&q, Some(next)) rel="next">"Next page"</a> })}
                            </nav>
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The filter form, showing the filters of the URL (a plain GET form: works before hydration).
/// Values are set as attributes (for the page as sent) and as properties (the form is redrawn in
/// place on back and forward, where attributes no longer change what a field shows).
#[component]
fn Filters(q: AccountQuery, capabilities: Vec<String>) -> impl IntoView {
    let choice = |current: &Option<String>, value: &str| current.as_deref() == Some(value);
    let mut capabilities = capabilities;
    if let Some(cap) = q
        .cap
        .clone()
        .filter(|c| !c.is_empty() && !capabilities.contains(c))
    {
        capabilities.push(cap);
    }
    let statuses = [
        ("active", "Active"),
        ("pending", "Pending"),
        ("inactive", "Inactive"),
        ("restricted", "Restricted"),
        ("unrequested", "Not requested"),
    ];
    view! {
        <form method="get" action="/admin/accounts" class="card filters" role="search">
            <div class="field">
                <label for="filter-q">"Search"</label>
                <input id="filter-q" name="q" type="search" placeholder="Name, email or acct_…" value=q.q.clone().unwrap_or_default() prop:value=q.q.clone().unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status" prop:value=q.status.clone().unwrap_or_default()>
                    <option value="">"Any"</option>
                    {AccountStatus::ALL.iter().map(|s| view! {
                        <option value=s.slug() selected=choice(&q.status, s.slug())>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-country">"Country"</label>
                <input id="filter-country" name="country" maxlength="2" placeholder="US" value=q.country.clone().unwrap_or_default() prop:value=q.country.clone().unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="filter-api">"API"</label>
                <select id="filter-api" name="api" prop:value=q.api.clone().unwrap_or_default()>
                    <option value="">"Any"</option>
                    <option value="v1" selected=choice(&q.api, "v1")>"v1"</option>
                    <option value="v2" selected=choice(&q.api, "v2")>"v2"</option>
                </select>
            </div>
            <div class="field">
                <label for="filter-dashboard">"Dashboard"</label>
                <select id="filter-dashboard" name="dashboard" prop:value=q.dashboard.clone().unwrap_or_default()>
                    <option value="">"Any"</option>
                    <option value="express" selected=choice(&q.dashboard, "express")>"Express"</option>
                    <option value="full" selected=choice(&q.dashboard, "full")>"Full"</option>
                    <option value="none" selected=choice(&q.dashboard, "none")>"None"</option>
                </select>
            </div>
            <div class="field">
                <label for="filter-deadline">"Deadline"</label>
                <select id="filter-deadline" name="deadline" prop:value=q.deadline.clone().unwrap_or_default()>
                    <option value="">"Any"</option>
                    <option value="7d" selected=choice(&q.deadline, "7d")>"Next 7 days"</option>
                    <option value="30d" selected=choice(&q.deadline, "30d")>"Next 30 days"</option>
                </select>
            </div>
            <div class="field">
                <label for="filter-cap">"Capability"</label>
                <select id="filter-cap" name="cap" prop:value=q.cap.clone().unwrap_or_default()>
                    <option value="">"Any"</option>
                    {capabilities.into_iter().map(|name| view! {
                        <option value=name.clone() selected=choice(&q.cap, &name)>{capability_label(&name)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-cap-status">"Capability status"</label>
                <select id="filter-cap-status" name="cap_status" prop:value=q.cap_status.clone().unwrap_or_default()>
                    <option value="">"Any"</option>
                    {statuses.into_iter().map(|(v, label)| view! {
                        <option value=v selected=choice(&q.cap_status, v)>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-sort">"Sort by"</label>
                <select id="filter-sort" name="sort" prop:value=q.sort.clone().unwrap_or_default()>
                    <option value="">"Newest first"</option>
                    <option value="name" selected=choice(&q.sort, "name")>"Name, A to Z"</option>
                    <option value="deadline" selected=choice(&q.sort, "deadline")>"Deadline, soonest first"</option>
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Apply"</button>
                <a href="/admin/accounts" class="button button-quiet">"Clear"</a>
            </div>
        </form>
    }
}

/// Capabilities offered in the console's capability field (any Stripe name may be typed).
const COMMON_CAPABILITIES: [&str; 8] = [
    "card_payments",
    "transfers",
    "us_bank_account_ach_payments",
    "sepa_debit_payments",
    "link_payments",
    "klarna_payments",
    "affirm_payments",
    "tax_reporting_us_1099_k",
];

/// The account's schedule, balances and payouts (from Stripe), and the schedule form for v1
/// accounts (the owner's rules; a refusal stays next to its field with what was typed).
#[component]
fn AccountPayouts(account: String, editable: bool) -> impl IntoView {
    let save = ServerAction::<AdminUpdatePayoutSchedule>::new();
    let error = action_error(save);
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    let id = account.clone();
    let overview = Resource::new(
        move || saved.get(),
        move |_| get_account_payouts(id.clone()),
    );
    view! {
        <Transition fallback=|| view! { <section class="card embed-skeleton skeleton-16" aria-busy="true"></section> }>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let account = account.clone();
                    Suspend::new(async move {
                        overview.await.map(|o| {
                            let form = o.form.clone();
                            let min_delay = o.minimum_delay_days;
                            view! {
                                <PayoutFacts overview=o pay=None/>
                                {editable.then(|| view! {
                                    <section class="card stack" aria-labelledby="admin-schedule-title">
                                        <h2 id="admin-schedule-title">"Change the payout schedule"</h2>
                                        <FormError error/>
                                        {move || (saved.get() > 0 && error.get().is_none()).then(|| view! { <p class="form-success" role="status">"Schedule saved."</p> })}
                                        <ActionForm action=save attr:class="stack schedule-form" on:submit=|ev| confirmed(&ev, "Change this account's payout schedule on Stripe?")>
                                            <input type="hidden" name="account" value=account/>
                                            <ScheduleFields form min_delay error/>
                                            <div><button type="submit" class="button" disabled=move || save.pending().get()>"Save schedule"</button></div>
                                        </ActionForm>
                                    </section>
                                })}
                            }
                        })
                    })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

fn confirmed(ev: &leptos::ev::SubmitEvent, message: &str) {
    if !window().confirm_with_message(message).unwrap_or(false) {
        ev.prevent_default();
    }
}

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let resync = ServerAction::<AdminResync>::new();
    let reject = ServerAction::<AdminReject>::new();
    let capability = ServerAction::<AdminCapability>::new();
    let detail = Resource::new(
        move || {
            (
                id(),
                resync.version().get(),
                reject.version().get(),
                capability.version().get(),
            )
        },
        |(id, ..)| get_account_detail(id),
    );
    view! {
        <Title text="Account"/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    detail.await.map(|d| view! { <Detail d resync reject capability/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Detail(
    d: AccountDetail,
    resync: ServerAction<AdminResync>,
    reject: ServerAction<AdminReject>,
    capability: ServerAction<AdminCapability>,
) -> impl IntoView {
    let account = d.overview.stripe_account_id.clone();
    let link = ServerAction::<AdminAccountLink>::new();
    let login = ServerAction::<AdminLoginLink>::new();
    let result_of = |value: Option<Result<String, AppError>>| {
        value.map(|r| match r {
            Ok(text) => view! { <p class="form-success" role="status">{text}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    let url_of = |value: Option<Result<String, AppError>>, label: &'static str| {
        value.map(|r| match r {
        Ok(url) => view! {
            <div class="field">
                <label for=format!("copy-{label}")>{label}</label>
                <input id=format!("copy-{label}") readonly value=url.clone() data-testid=format!("link-{label}")/>
                <p class="hint">"Send this link to the owner. It works once and expires in a few minutes."</p>
            </div>
        }.into_any(),
        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
    })
    };
    let title = d
        .overview
        .business_name
        .clone()
        .unwrap_or_else(|| account.clone());
    let hidden = account.clone();
    let (h_resync, h_link, h_update, h_login, h_reject, h_capability) = (
        hidden.clone(),
        hidden.clone(),
        hidden.clone(),
        hidden.clone(),
        hidden.clone(),
        hidden,
    );
    let v1 = d.overview.api_version == "v1";
    let test_mode = d.test_mode;
    let query = use_query_map();
    let tab =
        Memo::new(move |_| query.with(|q| DetailTab::from_query(q.get_str("tab"), test_mode)));
    let tabs: Vec<DetailTab> = DetailTab::ALL
        .into_iter()
        .filter(|t| test_mode || *t != DetailTab::TestData)
        .collect();
    let counts = TabCounts {
        capabilities: d.overview.capabilities.len(),
        events: d.events.len(),
        audit: d.audit.len(),
    };
    let capabilities = StoredValue::new(d.overview.capabilities.clone());
    let events = StoredValue::new(d.events.clone());
    let audit = StoredValue::new(d.audit.clone());
    let tab_account = account.clone();
    let panel_account = account.clone();
    view! {
        <h1>{title}</h1>
        // What is wrong beside what an admin can do about it and who the account is: side by
        // side on a wide screen.
        <div class="account-overview">
            <div class="stack">
                <RequirementsView account=d.overview.clone() reader=Reader::Admin capabilities_apart=true/>
            </div>
            <div class="stack">
                <section class="card stack" aria-labelledby="actions-title">
                    <h2 id="actions-title">"Actions"</h2>
                    <div class="actions">
                        <ActionForm action=resync on:submit=|ev| confirmed(&ev, "Read this account again from Stripe?")>
                            <input type="hidden" name="account" value=h_resync/>
                            <button type="submit" class="button button-quiet" disabled=move || resync.pending().get()>"Resync from Stripe"</button>
                        </ActionForm>
                        <ActionForm action=link on:submit=|ev| confirmed(&ev, "Create a new onboarding link for this account?")>
                            <input type="hidden" name="account" value=h_link/>
                            <input type="hidden" name="kind" value="onboarding"/>
                            <button type="submit" class="button button-quiet" disabled=move || link.pending().get()>"Create onboarding link"</button>
                        </ActionForm>
                        {d.uses_update_links.then(|| {
                            let hidden = h_update;
                            view! {
                                <ActionForm action=link on:submit=|ev| confirmed(&ev, "Create an update link for this account?")>
                                    <input type="hidden" name="account" value=hidden/>
                                    <input type="hidden" name="kind" value="update"/>
                                    <button type="submit" class="button button-quiet">"Create update link"</button>
                                </ActionForm>
                            }
                        })}
                        {(d.overview.dashboard_type.as_deref() == Some("express")).then(|| {
                            let hidden = h_login;
                            view! {
                                <ActionForm action=login on:submit=|ev| confirmed(&ev, "Create an Express dashboard login link?")>
                                    <input type="hidden" name="account" value=hidden/>
                                    <button type="submit" class="button button-quiet">"Express dashboard link"</button>
                                </ActionForm>
                            }
                        })}
                    </div>
                    {move || result_of(resync.value().get())}
                    {move || url_of(link.value().get(), "Link")}
                    {move || url_of(login.value().get(), "Dashboard")}
                    <ActionForm action=reject attr:class="inline-reject" on:submit=|ev| confirmed(&ev, "Reject this account on Stripe? This cannot be undone.")>
                        <input type="hidden" name="account" value=h_reject/>
                        <label for="reject-reason">"Reject the account"</label>
                        <select id="reject-reason" name="reason">
                            {crate::console::REJECT_REASONS.into_iter().map(|(value, label)| view! {
                                <option value=value>{label}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button button-danger button-small">"Reject"</button>
                    </ActionForm>
                    {move || result_of(reject.value().get())}
                    {v1.then(|| view! {
                        <ActionForm action=capability attr:class="inline-reject" on:submit=|ev| confirmed(&ev, "Change this capability on Stripe?")>
                            <input type="hidden" name="account" value=h_capability/>
                            <label for="capability-name">"Capability"</label>
                            <input id="capability-name" name="capability" list="capability-names" placeholder="card_payments" required/>
                            <datalist id="capability-names">
                                {COMMON_CAPABILITIES.into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
                            </datalist>
                            <label for="capability-requested" class="visually-hidden">"Change"</label>
                            <select id="capability-requested" name="requested">
                                <option value="true">"Request"</option>
                                <option value="false">"Remove"</option>
                            </select>
                            <button type="submit" class="button button-quiet button-small" disabled=move || capability.pending().get()>"Apply"</button>
                        </ActionForm>
                    })}
                    {move || result_of(capability.value().get())}
                </section>
                <section class="card stack" aria-labelledby="about-title">
                    <h2 id="about-title">"Account"</h2>
                    <dl class="facts account-facts">
                        <div><dt>"Stripe id"</dt><dd><code>{account.clone()}</code></dd></div>
                        <div><dt>"Owner"</dt><dd>{d.owner_email.clone().unwrap_or_else(|| "No portal login linked".into())}</dd></div>
                        <div><dt>"API"</dt><dd>{d.overview.api_version.clone()}</dd></div>
                        <div><dt>"Dashboard"</dt><dd>{d.overview.dashboard_type.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>"Country"</dt><dd>{d.overview.country.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>"Payout schedule"</dt><dd>{d.payout_schedule.clone()}</dd></div>
                    </dl>
                    <details><summary>"Configuration (controller / responsibilities)"</summary><pre class="payload">{d.controller.clone()}</pre></details>
                    {d.dashboard_url.clone().map(|u| view! { <p><a href=u target="_blank" rel="noopener">"Open in Stripe's dashboard"</a></p> })}
                </section>
            </div>
        </div>
        // The long lists, one at a time: plain links, so the tab is in the URL (reload, back and
        // forward keep it) and works before hydration.
        <nav class="tabs" aria-label="Account details">
            <ul>
                {tabs.into_iter().map(|t| {
                    let href = format!("/admin/accounts/{tab_account}?tab={}", t.slug());
                    view! {
                        <li>
                            <a href=href data-noscroll="" aria-current=move || (tab.get() == t).then_some("page")>
                                {t.label()}
                                {counts.of(t).map(|n| view! { " " <span class="badge">{n}</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <div class="stack tab-panel">
            {move || {
                let account = panel_account.clone();
                match tab.get() {
                    DetailTab::Capabilities => view! { <CapabilitiesView capabilities=capabilities.get_value()/> }.into_any(),
                    DetailTab::Payouts => view! { <AccountPayouts account editable=v1/> }.into_any(),
                    DetailTab::Disputes => view! { <crate::disputes::AccountDisputes account/> }.into_any(),
                    DetailTab::Refunds => view! { <crate::refunds::AccountRefunds account/> }.into_any(),
                    DetailTab::FeeRevenue => view! { <FeeRevenueView account/> }.into_any(),
                    DetailTab::TestData => view! { <TestDataPanel account/> }.into_any(),
                    DetailTab::Events => view! { <EventList events=events.get_value()/> }.into_any(),
                    DetailTab::Audit => view! { <AuditList audit=audit.get_value()/> }.into_any(),
                }
            }}
        </div>
    }
}

/// The tabs of the console's account page, below the overview (`?tab=<slug>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DetailTab {
    Capabilities,
    Payouts,
    Disputes,
    Refunds,
    FeeRevenue,
    TestData,
    Events,
    Audit,
}

impl DetailTab {
    const ALL: [DetailTab; 8] = [
        DetailTab::Capabilities,
        DetailTab::Payouts,
        DetailTab::Disputes,
        DetailTab::Refunds,
        DetailTab::FeeRevenue,
        DetailTab::TestData,
        DetailTab::Events,
        DetailTab::Audit,
    ];

    fn slug(self) -> &'static str {
        match self {
            DetailTab::Capabilities => "capabilities",
            DetailTab::Payouts => "payouts",
            DetailTab::Disputes => "disputes",
            DetailTab::Refunds => "refunds",
            DetailTab::FeeRevenue => "fees",
            DetailTab::TestData => "test-data",
            DetailTab::Events => "events",
            DetailTab::Audit => "audit",
        }
    }

    fn label(self) -> &'static str {
        match self {
            DetailTab::Capabilities => "Capabilities",
            DetailTab::Payouts => "Payouts",
            DetailTab::Disputes => "Disputes",
            DetailTab::Refunds => "Refunds",
            DetailTab::FeeRevenue => "Fee revenue",
            DetailTab::TestData => "Test data",
            DetailTab::Events => "Webhook events",
            DetailTab::Audit => "Audit log",
        }
    }

    /// The tab a URL names; the first one for none, an unknown name, or test data on a live
    /// account.
    fn from_query(slug: Option<&str>, test_mode: bool) -> Self {
        DetailTab::ALL
            .into_iter()
            .find(|t| Some(t.slug()) == slug && (test_mode || *t != DetailTab::TestData))
            .unwrap_or(DetailTab::Capabilities)
    }
}

/// How many entries the list tabs hold (shown beside their names).
#[derive(Debug, Clone, Copy)]
struct TabCounts {
    capabilities: usize,
    events: usize,
    audit: usize,
}

impl TabCounts {
    fn of(self, tab: DetailTab) -> Option<usize> {
        match tab {
            DetailTab::Capabilities => Some(self.capabilities),
            DetailTab::Events => Some(self.events),
            DetailTab::Audit => Some(self.audit),
            DetailTab::Payouts
            | DetailTab::Disputes
            | DetailTab::Refunds
            | DetailTab::FeeRevenue
            | DetailTab::TestData => None,
        }
    }
}

#[component]
fn EventList(events: Vec<EventLine>) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Webhook events"</h2>
            {if events.is_empty() {
                view! { <p class="muted">"No events for this account yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="requirements">
                        {events.into_iter().map(|e| view! {
                            <li><code>{e.event_type}</code><span class="muted">{format!(" — {}, {}", e.status, e.received)}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn AuditList(audit: Vec<AuditLine>) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit log"</h2>
            {if audit.is_empty() {
                view! { <p class="muted">"No console actions on this account yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="requirements">
                        {audit.into_iter().map(|a| view! {
                            <li>{format!("{} — {} {}", a.at, a.admin, a.action)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::DetailTab;

    #[test]
    fn the_tab_comes_from_the_url_and_falls_back_to_the_first() {
        assert_eq!(
            DetailTab::from_query(Some("events"), false),
            DetailTab::Events
        );
        assert_eq!(DetailTab::from_query(Some("audit"), true), DetailTab::Audit);
        assert_eq!(DetailTab::from_query(None, true), DetailTab::Capabilities);
        assert_eq!(
            DetailTab::from_query(Some("nonsense"), true),
            DetailTab::Capabilities
        );
        // Test data exists only for test-mode accounts.
        assert_eq!(
            DetailTab::from_query(Some("test-data"), true),
            DetailTab::TestData
        );
        assert_eq!(
            DetailTab::from_query(Some("test-data"), false),
            DetailTab::Capabilities
        );
        for t in DetailTab::ALL {
            assert_eq!(DetailTab::from_query(Some(t.slug()), true), t);
        }
    }
}
