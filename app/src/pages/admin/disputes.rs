//! `/admin/disputes`: every open dispute, the nearest evidence deadline first. Read again every
//! few seconds, so a dispute Stripe reports shows without a reload.

use crate::components::error_view::error_fallback;
use crate::components::poll::polled;
use crate::disputes::{list_open_disputes, DisputePage, DisputeTable};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::time::Duration;

#[component]
pub fn DisputesPage() -> impl IntoView {
    let query = use_query_map();
    let page =
        Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok())));
    let first = Resource::new(move || page.get(), list_open_disputes);
    view! {
        <Title text="Disputes"/>
        <h1>"Open disputes"</h1>
        <p class="hint">"Disputes Stripe reported on connected accounts' payments that are not decided yet, the nearest evidence deadline first. A dispute an account cannot pay for is the platform's loss."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let initial = first.await?;
                    let number = initial.page;
                    let current = polled(initial, Duration::from_secs(5), move || list_open_disputes(Some(number)));
                    Ok::<_, AppError>(view! { <OpenList page=current/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn OpenList(page: ReadSignal<DisputePage>) -> impl IntoView {
    move || {
        let p = page.get();
        if p.lines.is_empty() {
            return view! { <section class="card"><p class="muted" data-testid="no-disputes">"No open disputes."</p></section> }.into_any();
        }
        let (number, pages) = (p.page, p.pages);
        view! {
            <section class="card stack">
                <p class="muted" data-testid="dispute-total">{format!("{} open dispute{}", p.total, if p.total == 1 { "" } else { "s" })}</p>
                <DisputeTable lines=p.lines with_account=true/>
                {(pages > 1).then(|| view! {
                    <nav class="pager" aria-label="Pages">
                        {(number > 1).then(|| view! { <a href=format!("/admin/disputes?page={}", number - 1)>"Previous"</a> })}
                        <span class="muted">{format!("Page {number} of {pages}")}</span>
                        {(number < pages).then(|| view! { <a href=format!("/admin/disputes?page={}", number + 1)>"Next"</a> })}
                    </nav>
                })}
            </section>
        }.into_any()
    }
}
