//! Typed errors: Stripe's API errors (v1 and v2), OAuth errors, and transport failures.

use std::fmt;

use serde::Deserialize;

/// The error part of a Stripe API error response (`{"error": {...}}`), v1 or v2.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// `invalid_request_error`, `api_error`, `card_error`, `idempotency_error`, … (kept as sent).
    #[serde(rename = "type", default)]
    pub error_type: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub param: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub decline_code: Option<String>,
    #[serde(default)]
    pub doc_url: Option<String>,
    /// v2 only: a message meant for the end user.
    #[serde(default)]
    pub user_message: Option<String>,
    /// Card errors: the failed charge's id.
    #[serde(default)]
    pub charge: Option<String>,
    /// Card errors on a PaymentIntent: the PaymentIntent as it is after the failure.
    #[serde(default)]
    pub payment_intent: Option<ErrorPaymentIntent>,
}

/// The PaymentIntent named by a card error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorPaymentIntent {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// The error of an OAuth call, e.g. `{"error": "invalid_grant", "error_description": "…"}`.
/// The same shape comes back on the redirect URI when a user denies access
/// (`?error=access_denied&error_description=…`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_description {
            Some(description) => write!(f, "{}: {}", self.error, description),
            None => f.write_str(&self.error),
        }
    }
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Stripe answered with an API error object.
    Api(ApiError),
    /// The OAuth endpoint answered with an OAuth error.
    OAuth(OAuthError),
    /// The request could not be sent or the response could not be read.
    Network(String),
    /// An attempt took longer than the configured timeout.
    Timeout,
    /// The response body was not what the model expects.
    Decode(String),
    /// Stripe answered with an error status but no error object we understand.
    UnexpectedResponse(String),
    /// The request could not be built (bad base URL, parameters that cannot be encoded).
    InvalidRequest(String),
}

/// An error from a Stripe call, with the HTTP status and Stripe's `Request-Id` when there was a response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct StripeError {
    // Boxed so `Result<T, StripeError>` stays small.
    kind: Box<ErrorKind>,
    status: Option<u16>,
    request_id: Option<String>,
}

impl fmt::Display for StripeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind.as_ref() {
            ErrorKind::Api(api) => {
                write!(f, "Stripe API error ({})", api.error_type)?;
                if let Some(code) = &api.code {
                    write!(f, " [{code}]")?;
                }
                if let Some(message) = &api.message {
                    write!(f, ": {message}")?;
                }
                if let Some(param) = &api.param {
                    write!(f, " (param {param})")?;
                }
            }
            ErrorKind::OAuth(oauth) => write!(f, "Stripe OAuth error: {oauth}")?,
            ErrorKind::Network(message) => write!(f, "network error talking to Stripe: {message}")?,
            ErrorKind::Timeout => f.write_str("request to Stripe timed out")?,
            ErrorKind::Decode(message) => {
                write!(f, "could not decode Stripe's response: {message}")?
            }
            ErrorKind::UnexpectedResponse(body) => {
                write!(f, "unexpected response from Stripe: {body}")?
            }
            ErrorKind::InvalidRequest(message) => write!(f, "invalid Stripe request: {message}")?,
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(request_id) = &self.request_id {
                write!(f, ", request {request_id}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl StripeError {
    pub fn new(kind: ErrorKind, status: Option<u16>, request_id: Option<String>) -> Self {
        Self {
            kind: Box::new(kind),
            status,
            request_id,
        }
    }

    pub(crate) fn set_response_meta(&mut self, status: Option<u16>, request_id: Option<String>) {
        self.status = status;
        self.request_id = request_id;
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRequest(message.into()), None, None)
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub fn status(&self) -> Option<u16> {
        self.status
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The Stripe API error object, if Stripe sent one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self.kind.as_ref() {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The OAuth error, if the OAuth endpoint sent one.
    pub fn oauth_error(&self) -> Option<&OAuthError> {
        match self.kind.as_ref() {
            ErrorKind::OAuth(oauth) => Some(oauth),
            _ => None,
        }
    }

    /// Stripe's error `type` (`invalid_request_error`, …).
    pub fn error_type(&self) -> Option<&str> {
        self.api_error().map(|api| api.error_type.as_str())
    }

    pub fn code(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.code.as_deref())
    }

    pub fn param(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.param.as_deref())
    }

    pub fn message(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.message.as_deref())
    }

    pub fn decline_code(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.decline_code.as_deref())
    }

    pub fn doc_url(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.doc_url.as_deref())
    }

    pub fn is_timeout(&self) -> bool {
        matches!(*self.kind, ErrorKind::Timeout)
    }

    pub fn is_network(&self) -> bool {
        matches!(*self.kind, ErrorKind::Network(_))
    }

    /// HTTP 404 (`resource_missing` and friends).
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }
}

#[derive(Deserialize)]
struct ApiErrorEnvelope {
    error: ApiError,
}

/// Builds the error for a non-2xx response body.
pub(crate) fn error_from_response(
    status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> StripeError {
    let kind = if let Ok(envelope) = serde_json::from_slice::<ApiErrorEnvelope>(body) {
        ErrorKind::Api(envelope.error)
    } else if let Ok(oauth) = serde_json::from_slice::<OAuthError>(body) {
        ErrorKind::OAuth(oauth)
    } else {
        ErrorKind::UnexpectedResponse(snippet(body))
    };
    StripeError::new(kind, Some(status), request_id)
}

/// Why a successful response did not decode, without any of its values: a 2xx body may carry
/// secrets (`/oauth/token` answers with an access token and a refresh token), and serde's own
/// message can quote a value ("invalid type: string \"…\""). Says where it failed and which
/// top-level fields the body had.
pub(crate) fn decode_failure(error: &serde_json::Error, body: &[u8]) -> String {
    let fields = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
        .map(|object| object.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|_| "not a JSON object".to_string());
    format!(
        "{:?} error at line {} column {} ({} bytes; fields: {fields})",
        error.classify(),
        error.line(),
        error.column(),
        body.len()
    )
}

/// The start of an error body that is not Stripe's error JSON (e.g. a proxy's HTML page), for
/// error messages (never the whole of a large body).
pub(crate) fn snippet(body: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(LIMIT).collect();
    if text.chars().count() > LIMIT {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_does_not_decode_is_described_without_its_values() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Token {
            access_token: u64,
        }
        let body = br#"{"access_token":"sk_live_secret_token","refresh_token":"rt_secret","stripe_user_id":"acct_1"}"#;
        let error = serde_json::from_slice::<Token>(body).unwrap_err();
        let described = decode_failure(&error, body);
        assert!(!described.contains("secret"), "{described}");
        assert!(
            described.contains("access_token, refresh_token, stripe_user_id"),
            "{described}"
        );
    }

    #[test]
    fn decodes_a_v1_error() {
        let body = br#"{"error":{"type":"invalid_request_error","code":"resource_missing","param":"account","message":"No such account: 'acct_x'","doc_url":"https://stripe.com/docs/error-codes/resource-missing","request_log_url":"x"}}"#;
        let error = error_from_response(404, Some("req_1".into()), body);
        assert_eq!(error.error_type(), Some("invalid_request_error"));
        assert_eq!(error.code(), Some("resource_missing"));
        assert_eq!(error.param(), Some("account"));
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.request_id(), Some("req_1"));
        assert!(error.is_not_found());
        assert!(error.to_string().contains("resource_missing"));
    }

    #[test]
    fn decodes_a_card_error_with_decline_code() {
        let body = br#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}"#;
        let error = error_from_response(402, None, body);
        assert_eq!(error.decline_code(), Some("insufficient_funds"));
    }

    #[test]
    fn decodes_a_v2_error() {
        let body = br#"{"error":{"type":"invalid_request_error","code":"accounts_v2_access_blocked","message":"blocked","user_message":"Please contact support"}}"#;
        let error = error_from_response(400, None, body);
        assert_eq!(
            error.api_error().unwrap().user_message.as_deref(),
            Some("Please contact support")
        );
    }

    #[test]
    fn decodes_an_oauth_error() {
        let body = br#"{"error":"invalid_grant","error_description":"Authorization code does not exist: ac_123"}"#;
        let error = error_from_response(400, None, body);
        let oauth = error.oauth_error().expect("oauth error");
        assert_eq!(oauth.error, "invalid_grant");
        assert!(error.api_error().is_none());
    }

    #[test]
    fn non_json_body_is_kept_short() {
        let body = vec![b'x'; 5000];
        let error = error_from_response(502, None, &body);
        match error.kind() {
            ErrorKind::UnexpectedResponse(text) => assert!(text.chars().count() <= 201),
            other => panic!("unexpected kind {other:?}"),
        }
    }
}
