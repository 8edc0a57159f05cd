//! Stripe webhooks: `POST /webhooks/stripe` (v1 snapshot events, including Connect events) and
//! `POST /webhooks/stripe/thin` (v2 thin events).
//!
//! A delivery is verified on its raw body against every configured secret, stored (the event id is
//! unique, so a redelivery is recognised), acknowledged, and then processed by the workers of
//! [`worker`], which claim stored events with a lease, retry failures with backoff and pick up what
//! was stored before a restart. Bodies and secrets are never logged.

pub mod processing;
pub mod retention;
pub mod worker;

use crate::stripe_setup::{SNAPSHOT_WEBHOOK_PATH, THIN_WEBHOOK_PATH};
use app::db::stripe_events::{self, EventSource, NewEvent};
use app::db::Db;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use std::sync::Arc;
use stripe_client::webhook::{self, DEFAULT_TOLERANCE};
use tokio::sync::Notify;
use tracing::Instrument;

/// What the webhook routes need.
#[derive(Clone)]
pub struct WebhookState {
    pub db: Db,
    secrets: Arc<Vec<String>>,
    /// Woken when an event is stored, so a worker picks it up at once.
    pub wake: Arc<Notify>,
}

impl WebhookState {
    pub fn new(db: Db, secrets: Vec<String>) -> Self {
        WebhookState {
            db,
            secrets: Arc::new(secrets),
            wake: Arc::new(Notify::new()),
        }
    }
}

/// The webhook routes, for merging into the portal's router.
/// The largest webhook body accepted. Stripe documents no maximum; an event carries one object
/// (an Account with every requirement and capability is tens of KiB), so 1 MiB leaves room and
/// still bounds what an unsigned sender can make us read before the signature is checked.
pub const WEBHOOK_MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn router<S>(state: WebhookState) -> Router<S> {
    Router::new()
        .route(SNAPSHOT_WEBHOOK_PATH, post(snapshot))
        .route(THIN_WEBHOOK_PATH, post(thin))
        .layer(axum::extract::DefaultBodyLimit::max(WEBHOOK_MAX_BODY_BYTES))
        .with_state(state)
}

async fn snapshot(
    State(state): State<WebhookState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    receive(&state, EventSource::Snapshot, &headers, &body).await
}

async fn thin(
    State(state): State<WebhookState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    receive(&state, EventSource::Thin, &headers, &body).await
}

pub use stripe_client::webhook::Envelope;

/// Reads the envelope of a verified body; `None` when it is not an event of that kind.
pub fn envelope(source: EventSource, body: &[u8]) -> Option<Envelope> {
    match source {
        EventSource::Snapshot => Envelope::decode_snapshot(body),
        EventSource::Thin => Envelope::decode_thin(body),
    }
}

async fn receive(
    state: &WebhookState,
    source: EventSource,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, &'static str) {
    let span = tracing::info_span!(
        "stripe_webhook",
        source = source.as_str(),
        event_id = tracing::field::Empty,
        event_type = tracing::field::Empty,
    );
    async {
        let signature = headers
            .get("stripe-signature")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let secrets: Vec<&str> = state.secrets.iter().map(String::as_str).collect();
        if let Err(reason) = webhook::verify(
            body,
            signature,
            &secrets,
            DEFAULT_TOLERANCE,
            webhook::unix_now(),
        ) {
            tracing::warn!(%reason, "webhook refused");
            return (StatusCode::BAD_REQUEST, "invalid signature");
        }
        let (Ok(payload), Some(envelope)) = (std::str::from_utf8(body), envelope(source, body))
        else {
            tracing::warn!("signed webhook body is not an event");
            return (StatusCode::BAD_REQUEST, "not an event");
        };
        let span = tracing::Span::current();
        span.record("event_id", envelope.id.as_str());
        span.record("event_type", envelope.event_type.as_str());
        let stored = stripe_events::insert(
            &state.db,
            &NewEvent {
                id: &envelope.id,
                source,
                event_type: &envelope.event_type,
                account_id: envelope.account_id.as_deref(),
                created: envelope.created,
                payload,
            },
        )
        .await;
        match stored {
            Ok(true) => {
                tracing::debug!("webhook stored");
                state.wake.notify_one();
                (StatusCode::OK, "ok")
            }
            Ok(false) => {
                tracing::info!("webhook redelivered; already stored");
                (StatusCode::OK, "ok")
            }
            Err(error) => {
                // Stripe delivers again later.
                tracing::error!(%error, "storing a webhook failed");
                (StatusCode::SERVICE_UNAVAILABLE, "try again later")
            }
        }
    }
    .instrument(span)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_of_both_kinds() {
        let v1 = br#"{"id":"evt_1","object":"event","type":"account.updated","created":1700000000,"account":"acct_1","data":{"object":{}}}"#;
        assert_eq!(
            envelope(EventSource::Snapshot, v1),
            Some(Envelope {
                id: "evt_1".into(),
                event_type: "account.updated".into(),
                account_id: Some("acct_1".into()),
                created: 1_700_000_000,
            })
        );
        let thin = br#"{"id":"evt_2","object":"v2.core.event","type":"v2.core.account[requirements].updated","created":"2023-11-14T22:13:20.000Z","related_object":{"id":"acct_2","type":"v2.core.account","url":"/v2/core/accounts/acct_2"}}"#;
        assert_eq!(
            envelope(EventSource::Thin, thin),
            Some(Envelope {
                id: "evt_2".into(),
                event_type: "v2.core.account[requirements].updated".into(),
                account_id: Some("acct_2".into()),
                created: 1_700_000_000,
            })
        );
        assert_eq!(envelope(EventSource::Thin, v1), None);
        assert_eq!(envelope(EventSource::Snapshot, b"[]"), None);
        assert_eq!(
            envelope(
                EventSource::Snapshot,
                br#"{"id":"","type":"x","created":1}"#
            ),
            None
        );
    }
}
