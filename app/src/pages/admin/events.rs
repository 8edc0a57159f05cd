//! `/admin/events`: the stored webhook events, filtered by state, type and account, with the
//! payload, and a retry for failed ones. `/admin/audit`: the console's audit log.

use crate::components::error_view::error_fallback;
use crate::console::{list_audit, list_events, RetryEvent, AUDIT_ACTIONS};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EventsPage() -> impl IntoView {
    let query = use_query_map();
    let retry = ServerAction::<RetryEvent>::new();
    let filters =
        Memo::new(move |_| query.with(|q| (q.get("status"), q.get("type"), q.get("account"))));
    let events = Resource::new(
        move || (filters.get(), retry.version().get()),
        |((status, event_type, account), _)| list_events(status, event_type, account),
    );
    let current = move |k: &'static str| move || query.with(|q| q.get(k)).unwrap_or_default();
    view! {
        <Title text="Events"/>
        <h1>"Webhook events"</h1>
        <form method="get" action="/admin/events" class="card filters" role="search">
            <div class="field">
                <label for="events-status">"State"</label>
                <select id="events-status" name="status" prop:value=current("status")>
                    <option value="">"Any"</option>
                    {["processed", "failed", "ignored", "pending"].into_iter().map(|s| view! {
                        <option value=s selected=move || current("status")() == s>{s}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="events-type">"Type"</label>
                <input id="events-type" name="type" placeholder="account.updated" prop:value=current("type")/>
            </div>
            <div class="field">
                <label for="events-account">"Account"</label>
                <input id="events-account" name="account" placeholder="acct_…" prop:value=current("account")/>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Apply"</button>
                <a href="/admin/events" class="button button-quiet">"Clear"</a>
            </div>
        </form>
        {move || retry.value().get().map(|r| match r {
            Ok(text) => view! { <p class="form-success" role="status">{text}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let events = events.await?;
                    Ok::<_, AppError>(if events.is_empty() {
                        view! { <p class="card muted">"No events match."</p> }.into_any()
                    } else {
                        view! {
                            <section class="card stack" data-testid="events">
                                {events.into_iter().map(|e| {
                                    let failed = e.status == "failed";
                                    let id = e.id.clone();
                                    view! {
                                        // Failed events open, with their error and "Retry" in view.
                                        <details class="event" open=failed>
                                            <summary>
                                                <code>{e.event_type.clone()}</code>
                                                " "<span class=format!("status-badge small event-{}", e.status)>{e.status.clone()}</span>
                                                <span class="muted">{format!(" {} · {} · {} · {} attempt(s)", e.id, e.received, e.account_id.clone().unwrap_or_default(), e.attempts)}</span>
                                            </summary>
                                            {e.last_error.clone().map(|err| view! { <p class="field-error">{err}</p> })}
                                            {failed.then(|| view! {
                                                <ActionForm action=retry>
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="button button-small">"Retry"</button>
                                                </ActionForm>
                                            })}
                                            <pre class="payload">{e.payload}</pre>
                                        </details>
                                    }
                                }).collect_view()}
                            </section>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let entries = Resource::new(
        move || query.with(|q| (q.get("account"), q.get("admin"), q.get("action"))),
        |(account, admin, action)| list_audit(account, admin, action),
    );
    let chosen = move |value: &'static str| {
        move || query.with(|q| q.get("action")).as_deref() == Some(value)
    };
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <form method="get" action="/admin/audit" class="card filters" role="search">
            <div class="field">
                <label for="audit-account">"Account"</label>
                <input id="audit-account" name="account" placeholder="acct_…" prop:value=move || query.with(|q| q.get("account")).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="audit-admin">"Admin"</label>
                <input id="audit-admin" name="admin" placeholder="Part of an email" prop:value=move || query.with(|q| q.get("admin")).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    <option value="">"Any"</option>
                    {AUDIT_ACTIONS.into_iter().map(|a| view! { <option value=a selected=chosen(a)>{a}</option> }).collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Apply"</button>
                <a href="/admin/audit" class="button button-quiet">"Clear"</a>
            </div>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let entries = entries.await?;
                    Ok::<_, AppError>(view! {
                        <section class="card">
                            {entries.is_empty().then(|| view! { <p class="muted">"No entries match."</p> })}
                            <table class="table" data-testid="audit">
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Account"</th></tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|a| view! {
                                        <tr><td>{a.at}</td><td>{a.admin}</td><td>{format!("{} {}", a.action, a.detail)}</td><td><code>{a.account_id.unwrap_or_default()}</code></td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
