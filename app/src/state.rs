//! What every request handler, page and server function on the server can reach.

use crate::db::Db;
use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;

/// Settings the portal's own code reads at request time (the server crate parses them from the
/// environment).
#[derive(Debug, Clone, Default)]
pub struct PortalSettings {
    /// Take the client address for sign-in throttling from `X-Forwarded-For` (only behind a proxy
    /// that sets it).
    pub trust_forwarded_for: bool,
    /// Origins added to the Content-Security-Policy of pages.
    pub csp: crate::csp::CspSources,
    /// The platform's publishable key (`pk_…`), for Stripe's browser libraries.
    pub stripe_publishable_key: String,
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<PortalSettings>,
    /// Every Stripe call goes through this client (real Stripe, or the offline emulator in the
    /// default run: only its base URLs differ).
    pub stripe: stripe_client::StripeClient,
}

/// The state, from inside a server function or a server-rendered component.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        crate::error::AppError::Internal
    })
}
