#![recursion_limit = "256"]
//! Offline Stripe emulator: a stateful stand-in for the parts of Stripe Connect the portal uses,
//! speaking Stripe's wire format (form-encoded v1 with bracket notation, JSON v2, Stripe's errors,
//! signed webhooks), so the portal's Stripe client works unchanged against it or against api.stripe.com.

pub mod account_links;
pub mod account_sessions;
pub mod accounts;
pub mod api;
pub mod clock;
pub mod connect_js;
pub mod control;
pub mod error;
pub mod form;
pub mod html;
pub mod ids;
pub mod oauth;
pub mod params;
pub mod payments;
pub mod payout_schedule;
pub mod requirements;
pub mod spec;
pub mod state;
pub mod v2;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{oneshot, Notify};

pub use error::ApiError;
use state::{App, SharedApp, State, WebhookEndpoint};

/// A webhook endpoint registered at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpointConfig {
    pub url: String,
    /// `whsec_…`
    pub secret: String,
    /// Receives events of connected accounts (Connect endpoint) rather than the platform's own.
    pub connect: bool,
    /// A v2 event destination with thin payloads (events from `@accounts`).
    pub thin: bool,
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub secret_key: String,
    pub publishable_key: String,
    pub data_dir: Option<PathBuf>,
    pub reset: bool,
    pub seed: Option<u64>,
    pub public_url: Option<String>,
    pub link_ttl_secs: i64,
    pub webhook_endpoints: Vec<WebhookEndpointConfig>,
    /// Lifetime of an AccountSession client secret (Stripe: about 30 minutes).
    pub account_session_ttl_secs: i64,
    /// First retry delay for failed webhook deliveries; doubles on every attempt.
    pub webhook_retry_base_ms: u64,
    /// Attempts before a delivery is given up.
    pub webhook_max_attempts: u32,
    /// Seconds an ID number or identity document stays in `requirements.pending_verification` before
    /// Stripe's (emulated) verification finishes; 0 verifies at once. Advancing the clock finishes it too.
    pub verification_secs: i64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            secret_key: "sk_test_offline_emulator".into(),
            publishable_key: "pk_test_offline_emulator".into(),
            data_dir: None,
            reset: false,
            seed: None,
            public_url: None,
            link_ttl_secs: 300,
            webhook_endpoints: Vec::new(),
            account_session_ttl_secs: 1800,
            webhook_retry_base_ms: 1000,
            webhook_max_attempts: 8,
            verification_secs: 10,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("could not bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("could not read the saved state at {path}: {message}")]
    State { path: PathBuf, message: String },
}

/// A running emulator.
pub struct SandboxHandle {
    pub addr: SocketAddr,
    pub base_url: String,
    pub app: SharedApp,
    shutdown: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    worker: tokio::task::JoinHandle<()>,
}

impl SandboxHandle {
    /// Stops the server and the delivery worker and waits for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.worker.abort();
        let _ = (&mut self.server).await;
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.worker.abort();
    }
}

pub(crate) fn html_money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

fn load_state(config: &SandboxConfig) -> Result<State, SandboxError> {
    let fresh = || {
        let seed = config.seed.unwrap_or_else(rand::random);
        State {
            seed,
            ..State::default()
        }
    };
    let Some(dir) = &config.data_dir else {
        return Ok(fresh());
    };
    let path = state::state_file(dir);
    if config.reset || !path.exists() {
        return Ok(fresh());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| SandboxError::State {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let mut s: State = serde_json::from_str(&text).map_err(|e| SandboxError::State {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if let Some(seed) = config.seed {
        if s.counter == 0 {
            s.seed = seed;
        }
    }
    Ok(s)
}

/// Builds the shared application state (used by `start` and by in-process tests).
pub fn build_app(config: SandboxConfig, base_url: String) -> Result<SharedApp, SandboxError> {
    let mut s = load_state(&config)?;
    s.verification_secs = config.verification_secs.max(0);
    for (i, ep) in config.webhook_endpoints.iter().enumerate() {
        let exists = if ep.thin {
            s.event_destinations.iter().any(|d| d.url == ep.url)
        } else {
            s.webhook_endpoints
                .iter()
                .any(|e| e.url == ep.url && e.connect == ep.connect)
        };
        if exists {
            continue;
        }
        let now = s.now();
        let seq = s.next_seq();
        if ep.thin {
            let id = format!("ed_{}", s.token(24));
            s.event_destinations.push(state::EventDestination {
                id,
                seq,
                name: format!("configured-{i}"),
                description: "Registered at start".into(),
                url: ep.url.clone(),
                secret: ep.secret.clone(),
                enabled_events: vec!["*".into()],
                events_from: vec!["@accounts".into()],
                created: now,
                updated: now,
                metadata: Default::default(),
                status: "enabled".into(),
            });
        } else {
            let id = s.new_id("we");
            s.webhook_endpoints.push(WebhookEndpoint {
                id,
                seq,
                url: ep.url.clone(),
                secret: ep.secret.clone(),
                connect: ep.connect,
                enabled_events: vec!["*".into()],
                description: Some("Registered at start".into()),
                metadata: Default::default(),
                created: now,
                api_version: None,
                status: "enabled".into(),
            });
        }
    }
    if let Some(dir) = &config.data_dir {
        let bytes = serde_json::to_vec(&s).map_err(|e| SandboxError::State {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        state::write_atomically(dir, &bytes).map_err(|e| SandboxError::State {
            path: state::state_file(dir),
            message: e.to_string(),
        })?;
    }
    Ok(Arc::new(App {
        config,
        base_url,
        state: Mutex::new(s),
        generation: Mutex::new(0),
        persist_lock: Arc::new(tokio::sync::Mutex::new(0)),
        wake: Notify::new(),
        http: reqwest::Client::builder().build().unwrap_or_default(),
        in_flight_keys: Mutex::new(Default::default()),
        form_secret: hex::encode(rand::random::<[u8; 16]>()),
    }))
}

/// The emulator's routes: the Stripe API (`/v1`, `/v2`), the hosted pages, OAuth, the Connect.js
/// stand-in and the control API under `/_sandbox/`.
pub fn router(app: SharedApp) -> Router {
    let api = Router::new()
        .route("/v1/accounts", post(accounts::create).get(accounts::list))
        .route(
            "/v1/accounts/{account}",
            get(accounts::retrieve)
                .post(accounts::update)
                .delete(accounts::delete),
        )
        .route("/v1/account", get(accounts::retrieve_current))
        .route("/v1/accounts/{account}/reject", post(accounts::reject))
        .route(
            "/v1/accounts/{account}/capabilities",
            get(accounts::list_capabilities),
        )
        .route(
            "/v1/accounts/{account}/capabilities/{capability}",
            get(accounts::retrieve_capability).post(accounts::update_capability),
        )
        .route(
            "/v1/accounts/{account}/external_accounts",
            get(accounts::list_external_accounts).post(accounts::create_external_account),
        )
        .route(
            "/v1/accounts/{account}/external_accounts/{id}",
            get(accounts::retrieve_external_account).delete(accounts::delete_external_account),
        )
        .route(
            "/v1/accounts/{account}/login_links",
            post(accounts::create_login_link),
        )
        .route("/v1/account_links", post(account_links::create))
        .route("/v1/account_sessions", post(account_sessions::create))
        .route("/v1/balance", get(payments::get_balance))
        .route(
            "/v1/balance_transactions",
            get(payments::list_balance_transactions),
        )
        .route(
            "/v1/balance_transactions/{id}",
            get(payments::retrieve_balance_transaction),
        )
        .route(
            "/v1/payouts",
            get(payments::list_payouts).post(payments::create_payout_handler),
        )
        .route("/v1/payouts/{id}", get(payments::retrieve_payout))
        .route(
            "/v1/payment_intents",
            get(payments::list_payment_intents).post(payments::create_payment_intent),
        )
        .route(
            "/v1/payment_intents/{id}",
            get(payments::retrieve_payment_intent),
        )
        .route("/v1/charges", get(payments::list_charges))
        .route("/v1/charges/{id}", get(payments::retrieve_charge))
        .route(
            "/v1/refunds",
            get(payments::list_refunds).post(payments::create_refund_handler),
        )
        .route("/v1/refunds/{id}", get(payments::retrieve_refund))
        .route("/v1/disputes", get(payments::list_disputes))
        .route("/v1/disputes/{id}", get(payments::retrieve_dispute))
        .route("/v1/application_fees", get(payments::list_application_fees))
        .route(
            "/v1/application_fees/{id}",
            get(payments::retrieve_application_fee),
        )
        .route("/v1/events", get(webhooks::list_events))
        .route("/v1/events/{id}", get(webhooks::retrieve_event))
        .route(
            "/v1/webhook_endpoints",
            get(webhooks::list_endpoints).post(webhooks::create_endpoint),
        )
        .route(
            "/v1/webhook_endpoints/{id}",
            get(webhooks::retrieve_endpoint)
                .post(webhooks::update_endpoint)
                .delete(webhooks::delete_endpoint),
        )
        .route("/v1/{*rest}", axum::routing::any(api::unknown_route))
        .route("/v2/{*rest}", axum::routing::any(api::unknown_route))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            api::layer,
        ));
    let pages = Router::new()
        .route(
            "/setup/s/{account}/{token}",
            get(account_links::visit).post(account_links::submit),
        )
        .route(
            "/express/{account}/{token}",
            get(account_links::express_dashboard),
        )
        .route(html::FAVICON_PATH, get(html::favicon));
    api.merge(pages)
        .merge(connect_js::router(app.clone()))
        .merge(control::router())
        .merge(oauth::router())
        .merge(v2::router(app.clone()))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            api::stripe_date,
        ))
        .with_state(app)
}

/// Binds `addr` (port 0 picks a free port), then serves the emulator and runs the webhook delivery
/// worker on the current tokio runtime.
pub async fn start(config: SandboxConfig, addr: SocketAddr) -> Result<SandboxHandle, SandboxError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let base_url = config
        .public_url
        .clone()
        .map(|u| u.trim_end_matches('/').to_string())
        .unwrap_or_else(|| format!("http://{bound}"));
    let app = build_app(config, base_url.clone())?;
    let (tx, rx) = oneshot::channel::<()>();
    let service = router(app.clone());
    let server = tokio::spawn(async move {
        use axum::serve::ListenerExt;
        // Nagle's algorithm would hold each multi-part response for the client's delayed ACK.
        let result = axum::serve(
            listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            }),
            service.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = rx.await;
        })
        .await;
        if let Err(e) = result {
            tracing::error!(error = %e, "emulator server stopped");
        }
    });
    let worker = tokio::spawn(webhooks::run_worker(app.clone()));
    tracing::info!(%base_url, "offline Stripe emulator listening");
    Ok(SandboxHandle {
        addr: bound,
        base_url,
        app,
        shutdown: Some(tx),
        server,
        worker,
    })
}
