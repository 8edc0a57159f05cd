//! The HTTP core: one reqwest client, Stripe's headers, idempotency keys, retries with backoff
//! and jitter, timeouts, typed errors and tracing.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::{field, Instrument};

use crate::config::{StripeConfig, API_VERSION_V1, API_VERSION_V2};
use crate::error::{decode_failure, error_from_response, ErrorKind, StripeError};
use crate::params::Params;

const USER_AGENT: &str = concat!("connect-portal-stripe-client/", env!("CARGO_PKG_VERSION"));

/// Per-request options: which connected account the call acts for, and the idempotency key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// v1: sent as `Stripe-Account`; v2: used as `Stripe-Context` unless that is set.
    pub stripe_account: Option<String>,
    /// Sent as `Stripe-Context` (v2, or v1 with organisation keys).
    pub stripe_context: Option<String>,
    /// Used for this POST and all its retries instead of a fresh UUID v4, e.g.
    /// `create-account-owner-42` to make "create the account for owner 42" happen once.
    pub idempotency_key: Option<String>,
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// Options acting for a connected account.
    pub fn for_account(account: impl Into<String>) -> Self {
        Self::new().stripe_account(account)
    }

    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    pub fn stripe_context(mut self, context: impl Into<String>) -> Self {
        self.stripe_context = Some(context.into());
        self
    }

    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// Which API a request goes to: decides `Stripe-Version`, the body encoding and the account header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiMode {
    V1,
    V2,
}

pub(crate) enum Body {
    Empty,
    Form(String),
    Json(Vec<u8>),
}

/// Where a request goes: the API or the OAuth host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Api,
    Connect,
}

/// A response's value with the time Stripe answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dated<T> {
    pub value: T,
    /// Stripe's clock when it answered (unix seconds): the response's HTTP `Date` header, which
    /// every HTTP server sends (RFC 9110 §6.6.1) and Stripe's API does. `None` when missing.
    pub date: Option<i64>,
}

/// The portal's Stripe client. Cheap to clone (one shared connection pool).
#[derive(Clone)]
pub struct StripeClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: StripeConfig,
    http: reqwest::Client,
}

impl fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl StripeClient {
    /// A client with its own connection pool and the configured timeout.
    pub fn new(config: StripeConfig) -> Result<Self, StripeError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(30)))
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| {
                StripeError::invalid_request(format!("cannot build HTTP client: {error}"))
            })?;
        Ok(Self::with_http_client(config, http))
    }

    /// A client on an existing reqwest client (its own timeout settings apply).
    pub fn with_http_client(mut config: StripeConfig, http: reqwest::Client) -> Self {
        config.api_base = config.api_base.trim_end_matches('/').to_owned();
        config.connect_base = config.connect_base.trim_end_matches('/').to_owned();
        Self {
            inner: Arc::new(Inner { config, http }),
        }
    }

    pub fn config(&self) -> &StripeConfig {
        &self.inner.config
    }

    /// `GET` a v1 path (`/v1/...`) with query parameters in bracket notation.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Params,
        opts: &RequestOptions,
    ) -> Result<T, StripeError> {
        Ok(self.get_dated(path, query, opts).await?.value)
    }

    /// [`StripeClient::get`], with the time Stripe answered (to order what was read against
    /// Stripe's own event times, whatever this machine's clock says).
    pub async fn get_dated<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Params,
        opts: &RequestOptions,
    ) -> Result<Dated<T>, StripeError> {
        self.execute_dated(
            Method::GET,
            Host::Api,
            path,
            &query.to_form(),
            Body::Empty,
            ApiMode::V1,
            opts,
        )
        .await
    }

    /// `POST` a v1 path with a form-encoded body.
    pub async fn post_form<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &Params,
        opts: &RequestOptions,
    ) -> Result<T, StripeError> {
        self.execute(
            Method::POST,
            Host::Api,
            path,
            "",
            Body::Form(params.to_form()),
            ApiMode::V1,
            opts,
        )
        .await
    }

    /// `DELETE` a v1 path.
    pub async fn delete<T: DeserializeOwned>(
        &self,
        path: &str,
        opts: &RequestOptions,
    ) -> Result<T, StripeError> {
        self.execute(
            Method::DELETE,
            Host::Api,
            path,
            "",
            Body::Empty,
            ApiMode::V1,
            opts,
        )
        .await
    }

    /// `GET` a v2 path (`/v2/...`); repeated keys for lists (`include=a&include=b`).
    pub async fn get_v2<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        opts: &RequestOptions,
    ) -> Result<T, StripeError> {
        Ok(self.get_v2_dated(path, query, opts).await?.value)
    }

    /// [`StripeClient::get_v2`], with the time Stripe answered.
    pub async fn get_v2_dated<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        opts: &RequestOptions,
    ) -> Result<Dated<T>, StripeError> {
        let query = serde_urlencoded::to_string(query).map_err(|error| {
            StripeError::invalid_request(format!("cannot encode query: {error}"))
        })?;
        self.execute_dated(
            Method::GET,
            Host::Api,
            path,
            &query,
            Body::Empty,
            ApiMode::V2,
            opts,
        )
        .await
    }

    /// `POST` a v2 path with a JSON body.
    pub async fn post_json<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
        opts: &RequestOptions,
    ) -> Result<T, StripeError> {
        let body = serde_json::to_vec(body).map_err(|error| {
            StripeError::invalid_request(format!("cannot encode body: {error}"))
        })?;
        self.execute(
            Method::POST,
            Host::Api,
            path,
            "",
            Body::Json(body),
            ApiMode::V2,
            opts,
        )
        .await
    }

    /// `POST` a form to the OAuth host (`connect_base`), with Stripe's clock when it answered.
    pub(crate) async fn post_connect_form_dated<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &Params,
    ) -> Result<Dated<T>, StripeError> {
        let opts = RequestOptions::default();
        self.execute_dated(
            Method::POST,
            Host::Connect,
            path,
            "",
            Body::Form(params.to_form()),
            ApiMode::V1,
            &opts,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn execute<T: DeserializeOwned>(
        &self,
        method: Method,
        host: Host,
        path: &str,
        query: &str,
        body: Body,
        mode: ApiMode,
        opts: &RequestOptions,
    ) -> Result<T, StripeError> {
        self.execute_dated(method, host, path, query, body, mode, opts)
            .await
            .map(|dated| dated.value)
    }

    #[allow(clippy::too_many_arguments)]
    async fn execute_dated<T: DeserializeOwned>(
        &self,
        method: Method,
        host: Host,
        path: &str,
        query: &str,
        body: Body,
        mode: ApiMode,
        opts: &RequestOptions,
    ) -> Result<Dated<T>, StripeError> {
        if !path.starts_with('/') {
            return Err(StripeError::invalid_request(format!(
                "path must start with '/': {path}"
            )));
        }
        let config = &self.inner.config;
        let base = match host {
            Host::Api => &config.api_base,
            Host::Connect => &config.connect_base,
        };
        let url = if query.is_empty() {
            format!("{base}{path}")
        } else {
            format!("{base}{path}?{query}")
        };
        let headers = self.headers(&method, &body, mode, opts)?;
        let span = tracing::info_span!(
            "stripe_request",
            method = %method,
            path = %path,
            api = ?mode,
            stripe_account = opts.stripe_account.as_deref().or(opts.stripe_context.as_deref()),
            attempt = field::Empty,
            status = field::Empty,
            request_id = field::Empty,
        );
        self.send_with_retries(method, url, headers, body, &span)
            .instrument(span.clone())
            .await
    }

    fn headers(
        &self,
        method: &Method,
        body: &Body,
        mode: ApiMode,
        opts: &RequestOptions,
    ) -> Result<HeaderMap, StripeError> {
        let mut headers = HeaderMap::new();
        let mut auth = header_value(&format!(
            "Bearer {}",
            self.inner.config.secret_key.expose_secret()
        ))?;
        auth.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, auth);
        let version = match mode {
            ApiMode::V1 => API_VERSION_V1,
            ApiMode::V2 => API_VERSION_V2,
        };
        headers.insert("Stripe-Version", HeaderValue::from_static(version));
        match mode {
            ApiMode::V1 => {
                if let Some(account) = &opts.stripe_account {
                    headers.insert("Stripe-Account", header_value(account)?);
                }
                if let Some(context) = &opts.stripe_context {
                    headers.insert("Stripe-Context", header_value(context)?);
                }
            }
            ApiMode::V2 => {
                if let Some(context) = opts
                    .stripe_context
                    .as_ref()
                    .or(opts.stripe_account.as_ref())
                {
                    headers.insert("Stripe-Context", header_value(context)?);
                }
            }
        }
        let needs_key =
            *method == Method::POST || (mode == ApiMode::V2 && *method == Method::DELETE);
        if needs_key {
            let key = opts
                .idempotency_key
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            headers.insert("Idempotency-Key", header_value(&key)?);
        }
        match body {
            Body::Empty => {}
            Body::Form(_) => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
            }
            Body::Json(_) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
        }
        Ok(headers)
    }

    async fn send_with_retries<T: DeserializeOwned>(
        &self,
        method: Method,
        url: String,
        headers: HeaderMap,
        body: Body,
        span: &tracing::Span,
    ) -> Result<Dated<T>, StripeError> {
        let config = &self.inner.config;
        let body_bytes: Option<Vec<u8>> = match body {
            Body::Empty => None,
            Body::Form(form) => Some(form.into_bytes()),
            Body::Json(json) => Some(json),
        };
        let mut attempt: u32 = 0;
        loop {
            span.record("attempt", attempt);
            let started = Instant::now();
            let mut request = self
                .inner
                .http
                .request(method.clone(), &url)
                .headers(headers.clone());
            if let Some(bytes) = &body_bytes {
                request = request.body(bytes.clone());
            }
            let outcome = match request.send().await {
                Ok(response) => read_response(response).await,
                Err(error) => Err(transport_error(&error)),
            };
            let (error, retry) = match outcome {
                Ok(response) => {
                    span.record("status", response.status);
                    if let Some(request_id) = &response.request_id {
                        span.record("request_id", request_id.as_str());
                    }
                    if (200..300).contains(&response.status) {
                        tracing::debug!(
                            elapsed_ms = started.elapsed().as_millis() as u64,
                            "stripe response"
                        );
                        let value = serde_json::from_slice(&response.body).map_err(|error| {
                            StripeError::new(
                                ErrorKind::Decode(decode_failure(&error, &response.body)),
                                Some(response.status),
                                response.request_id.clone(),
                            )
                        })?;
                        return Ok(Dated {
                            value,
                            date: response.date,
                        });
                    }
                    let retry =
                        should_retry(Some(response.status), response.should_retry.as_deref());
                    (
                        error_from_response(response.status, response.request_id, &response.body),
                        retry,
                    )
                }
                Err(error) => (error, true),
            };
            if retry && attempt < config.max_retries {
                let delay =
                    backoff_delay(attempt, config.retry_initial_delay, config.retry_max_delay);
                tracing::warn!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    error = %error,
                    "retrying Stripe request"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            // A 4xx is usually the caller's business (not found, invalid params); the rest is ours.
            match error.status() {
                Some(status) if status < 500 => {
                    tracing::info!(error = %error, "Stripe request failed")
                }
                _ => tracing::warn!(error = %error, "Stripe request failed"),
            }
            return Err(error);
        }
    }
}

struct RawResponse {
    status: u16,
    request_id: Option<String>,
    should_retry: Option<String>,
    date: Option<i64>,
    body: Vec<u8>,
}

async fn read_response(response: reqwest::Response) -> Result<RawResponse, StripeError> {
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request_id = header("Request-Id");
    let should_retry = header("Stripe-Should-Retry");
    let date = header("Date").as_deref().and_then(parse_http_date);
    match response.bytes().await {
        Ok(body) => Ok(RawResponse {
            status,
            request_id,
            should_retry,
            date,
            body: body.to_vec(),
        }),
        Err(error) => {
            let mut failure = transport_error(&error);
            failure.set_response_meta(Some(status), request_id);
            Err(failure)
        }
    }
}

/// An HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`) as unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let time = httpdate::parse_http_date(value).ok()?;
    let secs = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

fn transport_error(error: &reqwest::Error) -> StripeError {
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        // reqwest's message names the URL but never headers, so no key can leak here.
        ErrorKind::Network(error_chain(error))
    };
    StripeError::new(kind, None, None)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn header_value(value: &str) -> Result<HeaderValue, StripeError> {
    HeaderValue::from_str(value).map_err(|_| {
        StripeError::invalid_request("header value has characters HTTP does not allow")
    })
}

/// Stripe's rule: the `Stripe-Should-Retry` header wins; otherwise retry network failures,
/// 409 (conflict/lock timeout), 429 (rate limit) and 5xx.
pub(crate) fn should_retry(status: Option<u16>, should_retry_header: Option<&str>) -> bool {
    match should_retry_header {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    match status {
        None => true,
        Some(409) | Some(429) => true,
        Some(status) => status >= 500,
    }
}

/// Exponential backoff with jitter as in Stripe's libraries: `initial·2^attempt`, capped at
/// `max`, then scaled by a random factor in [0.5, 1], but never below `initial`.
pub(crate) fn backoff_delay(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let exponential = initial.saturating_mul(2u32.saturating_pow(attempt.min(16)));
    let capped = exponential.min(max);
    let factor: f64 = rand::thread_rng().gen_range(0.5..=1.0);
    capped.mul_f64(factor).max(initial.min(max))
}

/// Percent-encodes an id for use as one path segment, so an id can never change the path.
pub(crate) fn segment(id: &str) -> Result<String, StripeError> {
    if id.is_empty() {
        return Err(StripeError::invalid_request("empty id in path"));
    }
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'_' | b'-' | b'.') && id != "." && id != ".."
        {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_read_as_unix_seconds() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn retry_rules_follow_stripe() {
        assert!(should_retry(None, None));
        assert!(should_retry(Some(409), None));
        assert!(should_retry(Some(429), None));
        assert!(should_retry(Some(500), None));
        assert!(should_retry(Some(503), None));
        assert!(!should_retry(Some(400), None));
        assert!(!should_retry(Some(402), None));
        assert!(!should_retry(Some(404), None));
        assert!(!should_retry(Some(500), Some("false")));
        assert!(!should_retry(Some(429), Some("false")));
        assert!(should_retry(Some(400), Some("true")));
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let initial = Duration::from_millis(500);
        let max = Duration::from_secs(5);
        for _ in 0..200 {
            let first = backoff_delay(0, initial, max);
            assert_eq!(first, initial);
            let third = backoff_delay(2, initial, max);
            assert!(
                third >= Duration::from_millis(1000) && third <= Duration::from_millis(2000),
                "{third:?}"
            );
            let late = backoff_delay(30, initial, max);
            assert!(
                late >= Duration::from_millis(2500) && late <= max,
                "{late:?}"
            );
        }
        let samples: std::collections::BTreeSet<_> =
            (0..50).map(|_| backoff_delay(3, initial, max)).collect();
        assert!(samples.len() > 1, "jitter gives different delays");
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        assert_eq!(segment("acct_1Abc").unwrap(), "acct_1Abc");
        assert_eq!(segment("../v1/balance").unwrap(), "..%2Fv1%2Fbalance");
        assert_eq!(segment("..").unwrap(), "%2E%2E");
        assert_eq!(segment("a b?c#d").unwrap(), "a%20b%3Fc%23d");
        assert!(segment("").is_err());
    }

    #[test]
    fn client_debug_hides_the_key() {
        let client = StripeClient::new(StripeConfig::new("sk_live_verysecretvalue")).unwrap();
        let debug = format!("{client:?}");
        assert!(debug.contains("sk_live_…redacted"), "{debug}");
        assert!(!debug.contains("verysecretvalue"), "{debug}");
    }
}
