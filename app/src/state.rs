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
    /// Where Connect.js is loaded from (Stripe's URL, or the offline emulator's).
    pub connect_js_url: String,
    /// Which Stripe the portal talks to (test-data tools exist only in test modes).
    pub stripe_mode: StripeMode,
    /// The portal's own address as people reach it, for return, refresh and redirect URLs.
    pub public_url: String,
    /// The platform configuration until an admin saves one in the console.
    pub platform_defaults: domain::platform::PlatformConfig,
    /// Limits on password checks and sign-ups.
    pub limits: crate::throttle::Limits,
}

/// Which Stripe is behind the client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StripeMode {
    /// The offline Stripe emulator (no keys).
    #[default]
    Emulator,
    /// Stripe in test mode (`sk_test_…` / `rk_test_…`).
    Test,
    /// Stripe in live mode: no test-data tools.
    Live,
}

impl StripeMode {
    /// From the configured secret key (`None`: the emulator).
    pub fn from_secret_key(key: Option<&str>) -> StripeMode {
        match key {
            None => StripeMode::Emulator,
            Some(k) if k.starts_with("sk_live_") || k.starts_with("rk_live_") => StripeMode::Live,
            Some(_) => StripeMode::Test,
        }
    }

    pub fn is_test(self) -> bool {
        self != StripeMode::Live
    }
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
