//! A value a page shows and reads again every few seconds (from the database, through a server
//! function: no Stripe call), so a webhook's change shows without a reload.

use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;
use std::time::Duration;

/// Starts from `initial` (what the page was rendered with), then asks `fetch` every `every` in
/// the browser; the signal changes only when the answer does. A failed read keeps what is shown.
pub fn polled<T, F, Fut>(initial: T, every: Duration, fetch: F) -> ReadSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn() -> Fut + Clone + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let (value, set_value) = signal(initial);
    Effect::new(move |_| {
        let fetch = fetch.clone();
        let handle = set_interval_with_handle(
            move || {
                let fetch = fetch.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = fetch().await {
                        if fresh != value.get_untracked() {
                            set_value.set(fresh);
                        }
                    }
                });
            },
            every,
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    });
    value
}
