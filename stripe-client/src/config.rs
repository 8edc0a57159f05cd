//! Client configuration.

use std::time::Duration;

use crate::secret::SecretString;

/// Stripe's v1 API version, pinned for every v1 request.
pub const API_VERSION_V1: &str = "2026-09-30.endive";
/// Stripe's v2 API version (public preview), pinned for every v2 request.
pub const API_VERSION_V2: &str = "2026-09-30.preview";

pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";
pub const DEFAULT_CONNECT_BASE: &str = "https://connect.stripe.com";
/// Stripe's official libraries retry twice by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
pub const DEFAULT_RETRY_INITIAL_DELAY: Duration = Duration::from_millis(500);
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(5);

/// Everything the client needs to talk to Stripe (or to the local sandbox).
#[derive(Clone, Debug)]
pub struct StripeConfig {
    /// The platform's secret key (`sk_test_…`/`sk_live_…`, or a restricted `rk_…` key).
    pub secret_key: SecretString,
    /// Base URL of the API, without a trailing slash: `https://api.stripe.com` by default.
    pub api_base: String,
    /// Base URL for OAuth (`/oauth/authorize`, `/oauth/token`): `https://connect.stripe.com` by default.
    pub connect_base: String,
    /// Time limit for one attempt of one request (connect, send and read the body).
    pub timeout: Duration,
    /// How many times a failed request is retried (network errors, 409, 429, 5xx).
    pub max_retries: u32,
    /// First backoff delay; doubled on each retry, with jitter.
    pub retry_initial_delay: Duration,
    /// Upper bound for one backoff delay.
    pub retry_max_delay: Duration,
}

impl StripeConfig {
    /// A configuration for real Stripe with the given secret key and Stripe's default
    /// retry and timeout settings.
    pub fn new(secret_key: impl Into<SecretString>) -> Self {
        Self {
            secret_key: secret_key.into(),
            api_base: DEFAULT_API_BASE.to_owned(),
            connect_base: DEFAULT_CONNECT_BASE.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_initial_delay: DEFAULT_RETRY_INITIAL_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
        }
    }

    pub fn with_api_base(mut self, api_base: impl Into<String>) -> Self {
        self.api_base = trim_base(api_base.into());
        self
    }

    pub fn with_connect_base(mut self, connect_base: impl Into<String>) -> Self {
        self.connect_base = trim_base(connect_base.into());
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    pub fn with_retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.retry_initial_delay = initial;
        self.retry_max_delay = max;
        self
    }
}

fn trim_base(base: String) -> String {
    base.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_stripe_libraries() {
        let config = StripeConfig::new("sk_test_123");
        assert_eq!(config.api_base, "https://api.stripe.com");
        assert_eq!(config.connect_base, "https://connect.stripe.com");
        assert_eq!(config.max_retries, 2);
        let config = config.with_api_base("http://127.0.0.1:9/");
        assert_eq!(config.api_base, "http://127.0.0.1:9");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let config = StripeConfig::new("sk_test_supersecretvalue");
        let debug = format!("{config:?}");
        assert!(debug.contains("sk_test_…redacted"), "{debug}");
        assert!(!debug.contains("supersecretvalue"), "{debug}");
    }
}
