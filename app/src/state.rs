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
    /// Which Connect.js runtime Stripe's loader drives in the browser (Stripe's, or the offline
    /// emulator's stand-in).
    pub connect_js: crate::embedded::ConnectJsSource,
    /// Which Stripe the portal talks to (test-data tools exist only in test modes).
    pub stripe_mode: StripeMode,
    /// The portal's own address as people reach it, for return, refresh and redirect URLs.
    pub public_url: String,
    /// The platform configuration until an admin saves one in the console.
    pub platform_defaults: domain::platform::PlatformConfig,
    /// Limits on password checks and sign-ups.
    pub limits: crate::throttle::Limits,
    /// This installation's random id (kept in the database), part of every idempotency key the
    /// portal derives (see [`crate::idempotency_keys`]).
    pub installation_id: String,
    /// No SMTP server is configured: mail is kept in the database for the development mailbox
    /// (`/dev/mailbox`, opened from the loopback address only).
    pub dev_mailbox: bool,
    /// How often the admins' digest goes out (seconds; 0: only when an admin sends it).
    pub admin_digest_every_secs: i64,
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
    /// From the configured secret key (`None`: the emulator). Only Stripe's test-mode prefixes
    /// count as test: a live key, or one whose prefix is not known, turns the test-data tools
    /// off (Stripe, "API keys": `sk_test_`/`rk_test_` test mode, `sk_live_`/`rk_live_` live).
    pub fn from_secret_key(key: Option<&str>) -> StripeMode {
        match key.map(str::trim) {
            None => StripeMode::Emulator,
            Some(k) if k.starts_with("sk_test_") || k.starts_with("rk_test_") => StripeMode::Test,
            Some(_) => StripeMode::Live,
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
    /// Wakes the mail worker when mail was queued (it also looks every few seconds, for mail
    /// queued by another instance).
    pub mail_wake: Arc<tokio::sync::Notify>,
}

/// The state, from inside a server function or a server-rendered component.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        crate::error::AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::StripeMode;

    #[test]
    fn only_test_keys_and_the_emulator_are_test_modes() {
        assert_eq!(StripeMode::from_secret_key(None), StripeMode::Emulator);
        for key in ["sk_test_abc", "rk_test_abc"] {
            assert_eq!(
                StripeMode::from_secret_key(Some(key)),
                StripeMode::Test,
                "{key}"
            );
        }
        for key in [
            "sk_live_abc",
            "rk_live_abc",
            "sk_abc",
            "pk_test_abc",
            "whsec_abc",
            "SK_TEST_abc",
            "",
            "test",
        ] {
            assert_eq!(
                StripeMode::from_secret_key(Some(key)),
                StripeMode::Live,
                "{key}"
            );
        }
        assert!(StripeMode::Emulator.is_test() && StripeMode::Test.is_test());
        assert!(!StripeMode::Live.is_test());
    }
}
