//! Where Stripe sends the owner back: the return URL (the account is read again) and the refresh
//! URL (a new link is made and the browser sent on to it).

use crate::components::error_view::error_fallback;
use crate::onboarding::{finish_oauth, refresh_onboarding_link, sync_my_account};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OnboardingReturn() -> impl IntoView {
    let synced = Resource::new(|| (), |_| sync_my_account());
    view! {
        <Title text="Back from Stripe"/>
        <h1>"Back from Stripe"</h1>
        <Transition fallback=|| view! { <p class="loading">"Checking with Stripe…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    synced.await.map(|()| view! {
                        <p>"Your account was updated. " <a href="/account?returned=1">"See what Stripe still needs"</a> "."</p>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
pub fn OnboardingRefresh() -> impl IntoView {
    let query = use_query_map();
    let kind = move || query.with(|q| q.get("kind").unwrap_or_default());
    // The server function answers with a redirect to the new link.
    let refreshed = Resource::new(kind, refresh_onboarding_link);
    view! {
        <Title text="Opening Stripe"/>
        <h1>"Opening Stripe…"</h1>
        <Transition fallback=|| view! { <p class="loading">"Preparing a new link…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    refreshed.await.map(|()| view! {
                        <p>"If nothing happens, " <a href="/account">"go back to your account"</a> "."</p>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The OAuth redirect URI: Stripe sends the owner back here with a code (or an error).
#[component]
pub fn OauthCallback() -> impl IntoView {
    let query = use_query_map();
    let finished = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("code"),
                    q.get("state"),
                    q.get("error"),
                    q.get("error_description"),
                )
            })
        },
        |(code, state, error, description)| finish_oauth(code, state, error, description),
    );
    view! {
        <Title text="Connecting your Stripe account"/>
        <h1>"Connecting your Stripe account"</h1>
        <Transition fallback=|| view! { <p class="loading">"Finishing with Stripe…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                {error_fallback(errors)}
                <p><a href="/account">"Back to your account"</a></p>
            }>
                {move || Suspend::new(async move {
                    finished.await.map(|()| view! {
                        <p>"Connected. " <a href="/account?returned=1">"See your account"</a> "."</p>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
