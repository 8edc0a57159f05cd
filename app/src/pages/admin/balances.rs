//! `/admin/balances`: connected accounts with a negative balance (the platform's exposure per
//! currency) and the payouts that failed in the last 30 days. Read again every few seconds, so
//! what Stripe reports shows without a reload.

use crate::balances::{get_exposure, Exposure, ExposureView};
use crate::components::error_view::error_fallback;
use crate::components::poll::polled;
use crate::error::AppError;
use crate::failed_payouts::{list_failed_payouts, FailedPayoutLine, FailedPayoutTable};
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

async fn both() -> Result<(Exposure, Vec<FailedPayoutLine>), AppError> {
    Ok((get_exposure().await?, list_failed_payouts().await?))
}

#[component]
pub fn BalancesPage() -> impl IntoView {
    let first = Resource::new(|| (), |_| both());
    view! {
        <Title text="Balances and payouts"/>
        <h1>"Balances and payouts"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let initial = first.await?;
                    let current = polled(initial, Duration::from_secs(5), both);
                    Ok::<_, AppError>(view! {
                        <section class="card stack" aria-labelledby="negative-title">
                            <h2 id="negative-title">"Negative balances"</h2>
                            <p class="hint">"Connected accounts whose available balance is below zero, as Stripe last reported it (after disputes, refunds and payouts, and at each reconciliation). While the platform is liable for negative balances, this is its money at risk."</p>
                            {move || view! { <ExposureView exposure=current.get().0/> }}
                        </section>
                        <section class="card stack" aria-labelledby="failed-payouts-title">
                            <h2 id="failed-payouts-title">"Failed payouts"</h2>
                            <p class="hint">"Payouts Stripe reported as failed in the last 30 days. The owner sees the same on their home page, with a link to check their bank account."</p>
                            {move || view! { <FailedPayoutTable lines=current.get().1/> }}
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
