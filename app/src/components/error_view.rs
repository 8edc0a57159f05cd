//! How errors look to a person: a plain sentence, never internal text.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the HTTP status of the server-rendered response (no effect in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A calm full-width notice for an error that stops a page from showing.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    let title = match error {
        AppError::Unauthenticated => "Please sign in",
        AppError::Forbidden => "No access",
        AppError::NotFound => "Not found",
        AppError::Invalid { .. } | AppError::Conflict(_) | AppError::TooManyAttempts(_) => {
            "That did not work"
        }
        AppError::Busy => "Please try again",
        AppError::Internal | AppError::Transport => "Something went wrong",
    };
    view! {
        <section class="notice notice-error" role="alert">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
        </section>
    }
}

/// Fallback for `<ErrorBoundary>`: shows the first error as plain text. Errors that are not an
/// `AppError` get the fixed internal message.
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        let error = errors
            .get()
            .into_iter()
            .next()
            .map(|(_, e)| {
                e.downcast_ref::<AppError>()
                    .cloned()
                    .unwrap_or(AppError::Internal)
            })
            .unwrap_or(AppError::Internal);
        view! { <ErrorNotice error/> }
    }
}
