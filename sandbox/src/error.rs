//! Stripe's error object: `{"error": {type, code, message, param, doc_url}}` with Stripe's status codes,
//! and the v2 shape (`v2.error`: `{"error": {type, code, message}}`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub kind: &'static str,
    pub code: Option<String>,
    pub message: String,
    pub param: Option<String>,
    /// More members of the error object (a card error's `decline_code`, `charge`, `payment_intent`).
    pub extra: Vec<(String, Value)>,
}

/// Marker placed in a response's extensions so the v2 layer can re-render the error in v2 shape.
#[derive(Debug, Clone)]
pub struct RenderedError(pub ApiError);

impl ApiError {
    pub fn new(
        status: u16,
        kind: &'static str,
        code: Option<&str>,
        message: impl Into<String>,
        param: Option<&str>,
    ) -> Self {
        ApiError {
            status,
            kind,
            code: code.map(str::to_string),
            message: message.into(),
            param: param.map(str::to_string),
            extra: Vec::new(),
        }
    }

    /// The same error with another member in its object.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.push((key.to_string(), value));
        self
    }

    /// 400 invalid_request_error without a code (Stripe's answer to malformed values).
    pub fn invalid(message: impl Into<String>, param: Option<&str>) -> Self {
        Self::new(400, "invalid_request_error", None, message, param)
    }

    pub fn invalid_code(code: &str, message: impl Into<String>, param: Option<&str>) -> Self {
        Self::new(400, "invalid_request_error", Some(code), message, param)
    }

    pub fn missing(param: &str) -> Self {
        Self::invalid_code(
            "parameter_missing",
            format!("Missing required param: {param}."),
            Some(param),
        )
    }

    pub fn unknown(param: &str) -> Self {
        Self::invalid_code(
            "parameter_unknown",
            format!("Received unknown parameter: {param}"),
            Some(param),
        )
    }

    pub fn empty(param: &str) -> Self {
        Self::invalid_code(
            "parameter_invalid_empty",
            format!(
                "You passed an empty string for '{param}'. We assume empty values are an attempt to unset a parameter; however '{param}' cannot be unset. You should remove '{param}' from your request or supply a non-empty value."
            ),
            Some(param),
        )
    }

    pub fn invalid_integer(param: &str, value: &str) -> Self {
        Self::invalid_code(
            "parameter_invalid_integer",
            format!("Invalid integer: {value}"),
            Some(param),
        )
    }

    pub fn no_such(kind: &str, id: &str, param: &str) -> Self {
        Self::new(
            404,
            "invalid_request_error",
            Some("resource_missing"),
            format!("No such {kind}: '{id}'"),
            Some(param),
        )
    }

    pub fn not_found_path(method: &str, path: &str) -> Self {
        Self::new(
            404,
            "invalid_request_error",
            None,
            format!("Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."),
            None,
        )
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "invalid_request_error", None, message, None)
    }

    pub fn permission(message: impl Into<String>) -> Self {
        Self::new(
            403,
            "invalid_request_error",
            Some("account_invalid"),
            message,
            None,
        )
    }

    /// A key reused with other parameters (Stripe API reference, "Idempotent requests"; the
    /// message is the one Stripe sends).
    pub fn idempotency(key: &str) -> Self {
        Self::new(
            400,
            "idempotency_error",
            Some("idempotency_key_in_use"),
            format!("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."),
            None,
        )
    }

    #[allow(clippy::self_named_constructors)]
    pub fn api_error(message: impl Into<String>) -> Self {
        Self::new(500, "api_error", None, message, None)
    }

    pub fn rate_limited() -> Self {
        Self::new(
            429,
            "invalid_request_error",
            Some("rate_limit"),
            "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
            None,
        )
    }

    pub fn doc_url(&self) -> Option<String> {
        self.code.as_ref().map(|c| {
            format!(
                "https://stripe.com/docs/error-codes/{}",
                c.replace('_', "-")
            )
        })
    }

    pub fn v1_body(&self) -> Value {
        let mut e = Map::new();
        e.insert("type".into(), json!(self.kind));
        if let Some(code) = &self.code {
            e.insert("code".into(), json!(code));
            e.insert("doc_url".into(), json!(self.doc_url()));
        }
        e.insert("message".into(), json!(self.message));
        if let Some(param) = &self.param {
            e.insert("param".into(), json!(param));
        }
        for (key, value) in &self.extra {
            e.insert(key.clone(), value.clone());
        }
        json!({ "error": e })
    }

    /// The v2 error shape; codes follow the v2 names (`not_found`, `invalid_request`, …).
    pub fn v2_body(&self) -> Value {
        let code = match (self.status, self.code.as_deref()) {
            (404, _) => "not_found".to_string(),
            (_, Some("idempotency_key_in_use")) => "idempotency_error".to_string(),
            (_, Some(c)) => c.to_string(),
            (401, None) => "unauthorized".to_string(),
            (429, None) => "rate_limit".to_string(),
            (500, None) => "api_error".to_string(),
            _ => "invalid_request".to_string(),
        };
        let kind = if self.status == 404 {
            "not_found"
        } else {
            self.kind
        };
        let mut e = Map::new();
        e.insert("type".into(), json!(kind));
        e.insert("code".into(), json!(code));
        e.insert("message".into(), json!(self.message));
        e.insert(
            "doc_url".into(),
            json!(format!(
                "https://docs.stripe.com/error-codes/{}",
                code.replace('_', "-")
            )),
        );
        json!({ "error": e })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = (status, axum::Json(self.v1_body())).into_response();
        if self.status == 429 || self.status >= 500 {
            resp.headers_mut()
                .insert("Stripe-Should-Retry", "true".parse().expect("static"));
        }
        resp.extensions_mut().insert(RenderedError(self));
        resp
    }
}

pub type ApiResult<T = Value> = Result<T, ApiError>;
