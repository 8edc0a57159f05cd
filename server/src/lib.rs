//! The portal's HTTP server: configuration, database, sessions, security headers and the Leptos
//! routes, assembled into one axum router.

pub mod admins;
pub mod config;
mod security_headers;

use app::db::{sessions::SqlSessionStore, sign_in_failures, unix_now, Db, DbError};
use app::state::{AppState, PortalSettings};
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
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("creating the first admin: {0}")]
    Admin(#[from] admins::CreateAdminError),
    #[error("listening: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens the database and applies its migrations.
pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect(&config.database_url()).await?;
    db.migrate().await?;
    Ok(db)
}

/// Builds the whole application router on an open database.
pub async fn build(
    config: &Config,
    leptos_options: LeptosOptions,
    db: Db,
) -> Result<Router, StartError> {
    admins::ensure_from_env(
        &db,
        config.admin_email.as_deref(),
        config.admin_password.as_deref(),
    )
    .await?;

    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
        settings: Arc::new(PortalSettings {
            trust_forwarded_for: config.trust_forwarded_for,
            csp: Default::default(),
        }),
    };

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
        .leptos_routes_with_context(&state, routes, || (), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(sessions)
        .layer(axum::middleware::from_fn(security_headers::add))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            // The path only: query strings can carry one-time codes.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state);
    Ok(router)
}

/// Serves the router until the process is asked to stop.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> Result<(), StartError> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
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

/// Removes expired sessions and sign-in failures that no longer count.
fn spawn_cleanup(store: SqlSessionStore, db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "deleting expired sessions failed");
            }
            let before = unix_now() - app::throttle::WINDOW_SECS;
            if let Err(e) = sign_in_failures::delete_older_than(&db, before).await {
                tracing::warn!(error = %e, "deleting old sign-in failures failed");
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
