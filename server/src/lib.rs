//! The portal's HTTP server: configuration, database, sessions, security headers and the Leptos
//! routes, assembled into one axum router.

pub mod admin_digest;
pub mod admins;
pub mod config;
mod cross_site;
pub mod mail;
pub mod owner_reminders;
mod periodic_job;
pub mod reconcile;
mod security_headers;
pub mod stripe_setup;
pub mod webhooks;

use app::db::{attempt_slots, sessions::SqlSessionStore, unix_now, Db, DbError};
use app::state::{AppState, PortalSettings, StripeMode};
use app::{shell, App};
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::Router;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};
use webhooks::worker::WebhookWorkers;
use webhooks::WebhookState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("creating the first admin: {0}")]
    Admin(#[from] admins::CreateAdminError),
    #[error("listening: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Stripe(#[from] stripe_setup::StripeSetupError),
    #[error("platform configuration: {0}")]
    Platform(String),
    #[error("mail: {0}")]
    Mail(#[from] mail::MailSetupError),
}

/// The largest request body a page or server function accepts (forms and small JSON; the largest,
/// the platform settings form, is a few KiB). Larger bodies are answered 413 unread.
pub const PORTAL_MAX_BODY_BYTES: usize = 256 * 1024;

/// Opens the database and applies its migrations.
pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect_with(
        &config.database_url(),
        config.limits.database_max_connections,
    )
    .await?;
    db.migrate().await?;
    let filled = app::account_view::fill_missing_statuses(&db)
        .await
        .map_err(|e| StartError::Db(DbError::Sqlx(e)))?;
    if filled > 0 {
        tracing::info!(filled, "account statuses computed for cached accounts");
    }
    let indexed = app::db::account_capabilities::fill_missing(&db)
        .await
        .map_err(|e| StartError::Db(DbError::Sqlx(e)))?;
    if indexed > 0 {
        tracing::info!(indexed, "capabilities indexed for cached accounts");
    }
    Ok(db)
}

/// A started portal: its router, and what runs beside it (the webhook workers and, without
/// Stripe keys, the offline Stripe emulator).
pub struct Portal {
    pub router: Router,
    pub state: AppState,
    /// The in-process emulator (no `STRIPE_SECRET_KEY`).
    pub emulator: Option<sandbox::SandboxHandle>,
    workers: WebhookWorkers,
    reconciler: periodic_job::PeriodicJob,
    retention: periodic_job::PeriodicJob,
    reminders: periodic_job::PeriodicJob,
    digest: periodic_job::PeriodicJob,
    mailer: mail::MailWorker,
}

impl Portal {
    /// Stops the webhook workers (they finish the event in hand) and the emulator.
    pub async fn shutdown(self) {
        self.reconciler.shutdown().await;
        self.retention.shutdown().await;
        self.reminders.shutdown().await;
        self.digest.shutdown().await;
        self.mailer.shutdown().await;
        self.workers.shutdown().await;
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
    }

    /// The router alone; the workers and the emulator live as long as it does.
    pub fn into_router(self) -> Router {
        let keep = Arc::new((
            self.emulator,
            self.workers,
            self.reconciler,
            self.retention,
            self.reminders,
            self.digest,
            self.mailer,
        ));
        self.router.layer(axum::Extension(keep))
    }
}

/// Builds the whole application router on an open database (see [`start`]); what runs beside it
/// lives as long as the router.
pub async fn build(
    config: &Config,
    leptos_options: LeptosOptions,
    db: Db,
) -> Result<Router, StartError> {
    Ok(start(config, leptos_options, db).await?.into_router())
}

/// Connects to Stripe (or starts the emulator, which delivers webhooks to `leptos_options`'
/// site address), starts the webhook workers and builds the application router.
pub async fn start(
    config: &Config,
    leptos_options: LeptosOptions,
    db: Db,
) -> Result<Portal, StartError> {
    admins::ensure_from_env(
        &db,
        config.admin_email.as_deref(),
        config.admin_password.as_deref(),
    )
    .await?;

    let platform_defaults = config.platform.to_config().map_err(StartError::Platform)?;
    let installation_id = app::db::installation::ensure(&db)
        .await
        .map_err(|e| StartError::Db(DbError::Sqlx(e)))?;
    let stripe = stripe_setup::connect(
        &config.stripe,
        &config.data_dir,
        leptos_options.site_addr,
        config.public_url.as_deref(),
    )
    .await?;
    let (delivery, mail_from) =
        mail::Delivery::from_settings(&config.mail, config.public_url.as_deref())?;
    let dev_mailbox = matches!(delivery, mail::Delivery::DevMailbox);
    let public_url = config
        .public_url
        .clone()
        .map(|u| u.trim_end_matches('/').to_string())
        .unwrap_or_else(|| stripe_setup::local_base_url(leptos_options.site_addr));
    let db = db.with_public_url(&public_url);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
        settings: Arc::new(PortalSettings {
            trust_forwarded_for: config.trust_forwarded_for,
            csp: stripe.csp.clone(),
            stripe_publishable_key: stripe.publishable_key.clone(),
            connect_js: stripe.connect_js.clone(),
            stripe_mode: StripeMode::from_secret_key(config.stripe.stripe_secret_key.as_deref()),
            public_url,
            platform_defaults,
            limits: config.limits.to_limits(),
            installation_id,
            dev_mailbox,
            admin_digest_every_secs: config.mail.admin_digest_every_secs as i64,
        }),
        stripe: stripe.client.clone(),
        mail_wake: Arc::new(tokio::sync::Notify::new()),
    };
    let mailer = mail::MailWorker::spawn(
        db.clone(),
        delivery,
        mail_from,
        config.mail.mail_max_attempts,
        state.mail_wake.clone(),
    );
    let webhook_state = WebhookState::new(db.clone(), stripe.webhook_secrets.clone());
    let workers = WebhookWorkers::spawn(
        config.stripe.webhook_workers,
        config.stripe.webhook_lease_secs,
        config.stripe.webhook_max_attempts,
        db.clone(),
        stripe.client.clone(),
        webhook_state.wake.clone(),
    );

    let reconciler = reconcile::spawn(
        db.clone(),
        stripe.client.clone(),
        Duration::from_secs(config.stripe.reconcile_every_secs),
    );

    let retention = webhooks::retention::spawn(db.clone(), config.stripe.webhook_retention_days);
    let reminders = owner_reminders::spawn(
        db.clone(),
        Duration::from_secs(config.stripe.owner_reminders_every_secs),
    );
    let digest = admin_digest::spawn(
        db.clone(),
        Duration::from_secs(config.mail.admin_digest_every_secs),
        state.mail_wake.clone(),
    );

    let store = SqlSessionStore::new(db.clone());
    spawn_cleanup(store.clone(), db);
    let sessions = SessionManagerLayer::new(store)
        .with_name("portal_session")
        .with_secure(config.secure_cookies())
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        // Saved on every request so inactivity expiry and "last seen" work; the store writes at
        // most once a minute per session when nothing else changed.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));

    let routes = generate_route_list(App);
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/dev/mailbox", get(mail::mailbox_index))
        .route("/dev/mailbox/{id}", get(mail::mailbox_mail))
        .route("/dev/mailbox/{id}/html", get(mail::mailbox_mail_html))
        .leptos_routes_with_context(&state, routes, || (), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            attach_signed_in_user,
        ))
        .layer(axum::middleware::from_fn({
            let origin = origin_of(&state.settings.public_url);
            move |request, next| {
                cross_site::refuse_cross_origin_posts(origin.clone(), request, next)
            }
        }))
        .layer(sessions)
        .layer(RequestBodyLimitLayer::new(PORTAL_MAX_BODY_BYTES))
        // Webhooks carry no session: Stripe signs them instead.
        .merge(webhooks::router(webhook_state))
        .layer(axum::middleware::from_fn({
            let https = config.secure_cookies();
            move |request, next| security_headers::add(https, request, next)
        }))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.limits.request_timeout_secs.max(1)),
        ))
        .layer(GlobalConcurrencyLimitLayer::new(
            config.limits.max_concurrent_requests.max(1),
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                // The path only (query strings can carry one-time codes), with secrets in it masked.
                let path = loggable_path(request.uri().path());
                tracing::info_span!("request", method = %request.method(), %path)
            }),
        )
        .with_state(state.clone());
    Ok(Portal {
        router,
        state,
        emulator: stripe.emulator,
        workers,
        reconciler,
        retention,
        reminders,
        digest,
        mailer,
    })
}

/// Serves the router until the process is asked to stop.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> Result<(), StartError> {
    use axum::serve::ListenerExt;
    axum::serve(
        listener.tap_io(set_nodelay),
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Without `TCP_NODELAY`, a response written in more than one piece on a kept-alive connection
/// waits for the client's delayed ACK (Nagle's algorithm): about 30 ms per page or static file.
fn set_nodelay(tcp: &mut tokio::net::TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "could not set TCP_NODELAY on an accepted connection");
    }
}

/// A request path as it may appear in the log: an invite's path is its secret token.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/invite/") {
        "/invite/{token}"
    } else {
        path
    }
}

/// `https://portal.example.com` of `https://portal.example.com/base`.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

/// Pages are rendered knowing who is signed in (route guards decide without waiting).
async fn attach_signed_in_user(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    mut request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let page = request.method() == axum::http::Method::GET
        && !path.starts_with("/pkg/")
        && !path.starts_with("/api/");
    if page {
        let user = app::auth::ssr::user_of_session(&state, &session).await;
        request
            .extensions_mut()
            .insert(app::auth::ssr::RequestUser(user));
    }
    next.run(request).await
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Removes expired sessions and counted attempts that no longer count.
fn spawn_cleanup(store: SqlSessionStore, db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "deleting expired sessions failed");
            }
            let before = unix_now() - app::throttle::LONGEST_WINDOW_SECS;
            if let Err(e) = attempt_slots::delete_older_than(&db, before).await {
                tracing::warn!(error = %e, "deleting old attempt counts failed");
            }
            // Mailed links that can no longer be used, and mail sent more than 30 days ago.
            if let Err(e) = app::db::email_tokens::delete_closed(&db, unix_now()).await {
                tracing::warn!(error = %e, "deleting closed mail links failed");
            }
            let month_ago = unix_now() - 30 * 24 * 60 * 60;
            if let Err(e) = app::db::mail_outbox::delete_sent_before(&db, month_ago).await {
                tracing::warn!(error = %e, "deleting old mail failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_tokens_stay_out_of_the_log() {
        assert_eq!(loggable_path("/invite/abc123secret"), "/invite/{token}");
        assert_eq!(loggable_path("/account/payouts"), "/account/payouts");
    }
}
