//! `/admin/balances`: connected accounts with a negative balance, the platform's exposure per
//! currency. Read again every few seconds, so a balance Stripe reports shows without a reload.

use crate::balances::{get_exposure, ExposureView};
use crate::components::error_view::error_fallback;
use crate::components::poll::polled;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

#[component]
pub fn BalancesPage() -> impl IntoView {
    let first = Resource::new(|| (), |_| get_exposure());
    view! {
        <Title text="Negative balances"/>
        <h1>"Negative balances"</h1>
        <p class="hint">"Connected accounts whose available balance is below zero, as Stripe last reported it (after disputes, refunds and payouts, and at each reconciliation). While the platform is liable for negative balances, this is its money at risk."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let initial = first.await?;
                    let current = polled(initial, Duration::from_secs(5), get_exposure);
                    Ok::<_, AppError>(view! {
                        <section class="card stack">
                            {move || view! { <ExposureView exposure=current.get()/> }}
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
