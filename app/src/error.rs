//! The one error type that server functions return to the browser.
//!
//! Every variant carries only text that is safe to show a person. Internal failures (SQL, Stripe,
//! I/O) are logged where they happen and become [`AppError::Internal`], whose message is fixed.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyAttempts(String),
    #[error("We could not find that.")]
    NotFound,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// Too much costly work at once (password hashing): try again shortly.
    #[error("The server is busy right now. Please try again in a moment.")]
    Busy,
    /// Transport-level failures (network, decoding) reported by the server-function layer. The
    /// detail is logged, never carried: this error is serialised to the browser.
    #[error("The request could not be completed. Check your connection and try again.")]
    Transport,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The field a validation error belongs to, so a form can show it next to the input.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// HTTP status code for this error, set on the response by server functions and pages.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Invalid { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts(_) => 429,
            AppError::NotFound => 404,
            AppError::Busy => 503,
            AppError::Internal | AppError::Transport => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // The detail may carry internal text (e.g. a deserialisation error naming our types):
        // it goes to the log only, not into the error sent to the browser.
        #[cfg(feature = "ssr")]
        tracing::warn!(detail = %value, "server function request failed");
        #[cfg(not(feature = "ssr"))]
        leptos::logging::debug_warn!("server function request failed: {value}");
        AppError::Transport
    }
}

/// Gives a server function's error its HTTP status, so API clients see 401/403/422/429 rather
/// than a blanket 500. Plain form posts (no JavaScript yet) keep the redirect back to the form
/// that the server-function layer makes, which carries the error to the page.
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    use leptos::prelude::use_context;
    if let Err(error) = &result {
        let parts = use_context::<axum::http::request::Parts>();
        let plain_form = parts
            .as_ref()
            .and_then(|p| p.headers.get(axum::http::header::ACCEPT))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if !plain_form {
            crate::components::error_view::set_status(error.status_code());
        }
    }
    result
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_a_fixed_message() {
        assert_eq!(
            AppError::Internal.to_string(),
            "Something went wrong on our side. Please try again in a moment."
        );
        let transport = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization(
            "expected value at line 1 column 1 in sqlx::Row".into(),
        ));
        assert!(!transport.to_string().contains("sqlx"));
        let sent = serde_json::to_string(&transport).unwrap();
        assert!(!sent.contains("sqlx"), "{sent}");
    }

    #[test]
    fn status_codes_match_the_error() {
        assert_eq!(AppError::Unauthenticated.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::invalid("email", "x").status_code(), 422);
        assert_eq!(AppError::TooManyAttempts("x".into()).status_code(), 429);
        assert_eq!(AppError::Busy.status_code(), 503);
    }
}
