//! Connect portal: the Leptos application shared by the server (`ssr`) and the browser (`hydrate`).

pub mod account_email;
pub mod account_view;
pub mod admin_digest;
pub mod admin_invites;
pub mod admins;
pub mod auth;
pub mod balances;
pub mod components;
pub mod console;
pub mod csp;
pub mod devices;
pub mod disputes;
pub mod embedded;
pub mod error;
pub mod failed_payouts;
pub mod fee_revenue;
pub mod mail_choices;
pub mod onboarding;
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod owner_notices;
pub mod pages;
pub mod payouts;
pub mod profile;
pub mod refunds;
pub mod settings;
pub mod test_data;
pub mod throttle;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod account_sync;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod idempotency_keys;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod platform;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod stripe_errors;

use auth::{get_current_user, CurrentUser, SignOut};
use error::AppError;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Gives this page a fresh nonce and the Content-Security-Policy that allows exactly it.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response), Some(state)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
        use_context::<state::AppState>(),
    ) else {
        return;
    };
    let policy = csp::page_policy(nonce.as_inner(), &state.settings.csp);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// What the portal knows of the signed-in person: `None` until a first answer.
pub type SignedIn = Option<Result<Option<CurrentUser>, AppError>>;

/// The signed-in person, shared by every page, and the sign-out action of the header.
#[derive(Clone, Copy)]
pub struct AuthContext {
    /// Read again after every navigation and sign-out; read it inside `<Suspense>`/`<Transition>`.
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    /// The last answer, readable without waiting (the route guards render synchronously): the
    /// person the server rendered the page for, then each answer `user` reads in the browser.
    pub known: ReadSignal<SignedIn>,
    pub sign_out: ServerAction<SignOut>,
}

/// Provides [`AuthContext`]. Who is signed in is read again after every navigation: signing in or
/// up ends with a redirect, so this also covers the sign-in and sign-up forms, whose actions live
/// on their pages (inside `<Routes>`, where a plain form post's error comes back through the URL).
#[component]
fn AuthProvider(children: Children) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let sign_out = ServerAction::<SignOut>::new();
    let user = Resource::new(
        move || (location.pathname.get(), sign_out.version().get()),
        |_| get_current_user(),
    );
    // Sent with the page, so hydration starts from the server's answer: reading `user` itself
    // outside a Suspense would make Leptos warn (and, during hydration, risk a mismatch).
    let (known, set_known) = signal(SharedValue::new(signed_in_for_request).into_inner());
    // An effect may read the resource: each answer it loads becomes the known one.
    Effect::new(move |_| {
        if let Some(answer) = user.get() {
            set_known.set(Some(answer));
        }
    });
    provide_context(AuthContext {
        user,
        known,
        sign_out,
    });
    children()
}

/// Who the page is rendered for: on the server, the person the request carries (attached before
/// rendering); in the browser, outside hydration, nobody known yet.
fn signed_in_for_request() -> SignedIn {
    #[cfg(feature = "ssr")]
    {
        Some(
            use_context::<axum::http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<auth::ssr::RequestUser>().cloned())
                .map(|user| user.0)
                .unwrap_or_else(|| {
                    tracing::error!("the signed-in person was not attached to the request");
                    Err(AppError::Internal)
                }),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // Browser-only: marks the page as interactive (tests wait for it before clicking).
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/connect-portal.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="description" content="Manage your Stripe Connect account on this platform."/>
        <Title formatter=|title: String| {
            if title.is_empty() { "Connect portal".to_string() } else { format!("{title} · Connect portal") }
        }/>
        <Router>
            <AuthProvider>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <components::layout::SiteHeader/>
            <main id="main">
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("") view=pages::landing::Landing/>
                <Route path=path!("/sign-in") view=pages::sign_in::SignInPage/>
                <Route path=path!("/sign-up") view=pages::sign_up::SignUpPage/>
                <Route path=path!("/sign-up/check-email") view=pages::account_email::CheckEmailPage/>
                <Route path=path!("/confirm-email") view=pages::account_email::ConfirmEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/confirm-email-change") view=pages::account_email::ConfirmEmailChangePage ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view=pages::account_email::ForgotPasswordPage/>
                <Route path=path!("/reset-password") view=pages::account_email::ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/invite/:token") view=pages::invite::InvitePage ssr=SsrMode::Async/>
                <Route path=path!("/profile") view=pages::profile::ProfilePage ssr=SsrMode::Async/>
                <ParentRoute path=path!("/account") view=pages::account::AccountArea ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::account::AccountHome/>
                    <Route path=path!("/test-data") view=pages::account::test_data::TestDataPage/>
                    <Route path=path!("/payments") view=pages::account::embedded::PaymentsPage/>
                    <Route path=path!("/payments/:id") view=pages::account::embedded::PaymentDetailsPage/>
                    <Route path=path!("/payouts") view=pages::account::embedded::PayoutsPage/>
                    <Route path=path!("/balances") view=pages::account::embedded::BalancesPage/>
                    <Route path=path!("/documents") view=pages::account::embedded::DocumentsPage/>
                    <Route path=path!("/settings") view=pages::account::embedded::SettingsPage/>
                    <Route path=path!("/onboarding/embedded") view=pages::account::embedded::OnboardingEmbeddedPage/>
                    <Route path=path!("/onboarding/return") view=pages::account::onboarding::OnboardingReturn/>
                    <Route path=path!("/onboarding/refresh") view=pages::account::onboarding::OnboardingRefresh/>
                    <Route path=path!("/oauth/callback") view=pages::account::onboarding::OauthCallback/>
                </ParentRoute>
                <ParentRoute path=path!("/admin") view=pages::admin::ConsoleArea ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::admin::ConsoleOverview/>
                    <Route path=path!("/accounts") view=pages::admin::accounts::AccountsPage/>
                    <Route path=path!("/accounts/:id") view=pages::admin::accounts::AccountDetailPage/>
                    <Route path=path!("/disputes") view=pages::admin::disputes::DisputesPage/>
                    <Route path=path!("/balances") view=pages::admin::balances::BalancesPage/>
                    <Route path=path!("/events") view=pages::admin::events::EventsPage/>
                    <Route path=path!("/audit") view=pages::admin::events::AuditPage/>
                    <Route path=path!("/mail") view=pages::admin::mail::MailPage/>
                    <Route path=path!("/settings") view=pages::admin::settings::SettingsPage/>
                    <Route path=path!("/admins") view=pages::admin::admins::AdminsPage/>
                </ParentRoute>
            </Routes>
            </main>
            </AuthProvider>
        </Router>
    }
}
