//! Turns a failed Stripe call into words for the person who asked for it: what failed, Stripe's
//! own explanation where it is meant for people, and that it can be tried again. Details (request
//! ids, transport errors) go to the log only.

use crate::error::AppError;
use stripe_client::error::ErrorKind;
use stripe_client::StripeError;

/// `action` completes "Stripe could not …", e.g. "create the payment".
pub fn to_app_error(action: &str, err: &StripeError) -> AppError {
    tracing::warn!(action, error = %err, request_id = ?err.request_id(), "Stripe call failed");
    let detail = match err.kind() {
        // Card, validation and state errors carry a message written for people.
        ErrorKind::Api(api)
            if err
                .status()
                .is_some_and(|s| (400..500).contains(&s) && s != 401 && s != 429) =>
        {
            api.message.clone()
        }
        ErrorKind::Api(_) if err.status() == Some(429) => {
            Some("Stripe is busy right now.".to_string())
        }
        ErrorKind::Network(_) | ErrorKind::Timeout => {
            Some("Stripe could not be reached.".to_string())
        }
        _ => None,
    };
    let message = match detail {
        Some(detail) => format!("Stripe could not {action}: {detail} You can try again."),
        None => format!("Stripe could not {action}. You can try again in a moment."),
    };
    AppError::Conflict(message)
}
