//! `/account/test-data`: the owner's test-data tools (test modes only).

use crate::components::test_data_panel::TestDataPanel;
use crate::test_data::test_data_available;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TestDataPage() -> impl IntoView {
    let available = Resource::new(|| (), |_| test_data_available());
    view! {
        <Title text="Test data"/>
        <h1>"Test data"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match available.await {
                    Ok(true) => view! { <TestDataPanel/> }.into_any(),
                    Ok(false) => view! {
                        <p class="lead">"Test data tools exist only in test mode. This portal uses live Stripe keys."</p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
