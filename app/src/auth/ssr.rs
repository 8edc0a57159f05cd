//! Server-side session handling and the checks every server function starts with.

use super::{password, safe_next_path, CurrentUser, Role};
use crate::db::sessions::{DEVICE_KEY, USER_ID_KEY};
use crate::db::{sign_in_failures, unix_now, users};
use crate::error::AppError;
use crate::state::{app_state, AppState};
use tower_sessions::Session;

pub(crate) async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

pub(crate) fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store error");
    AppError::Internal
}

/// The person behind this request, read fresh from the database (a deleted login or a changed
/// role takes effect at once).
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    let state = app_state()?;
    let session = session().await?;
    user_of_session(&state, &session).await
}

/// Who is signed in for a page being rendered, put in the request's extensions before Leptos
/// renders it, so that route guards decide without waiting (see `components::guard`).
#[derive(Debug, Clone)]
pub struct RequestUser(pub Result<Option<CurrentUser>, AppError>);

/// The person signed in to `session`, if any.
pub async fn user_of_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = session
        .get::<i64>(USER_ID_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let Some(row) = users::find_by_id(&state.db, user_id).await? else {
        // The login was removed: forget it in this session too.
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    };
    let Some(role) = Role::parse(&row.role) else {
        tracing::error!(user_id, "user has an unknown role");
        return Err(AppError::Internal);
    };
    Ok(Some(CurrentUser {
        id: row.id,
        email: row.email,
        role,
    }))
}

/// Any signed-in person.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    signed_in_user().await?.ok_or(AppError::Unauthenticated)
}

/// A signed-in person with exactly this role.
pub async fn require_role(role: Role) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.role == role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Marks this session as signed in, with a new session id (so an id fixed before sign-in is
/// worthless after it).
pub async fn start_session(user_id: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(session_error)?;
    let user_agent = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(axum::http::header::USER_AGENT)?
                .to_str()
                .ok()
                .map(str::to_string)
        })
        .unwrap_or_default();
    let device = crate::devices::describe_user_agent(&user_agent);
    session
        .insert(DEVICE_KEY, device)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Deletes the session on the server and clears the cookie.
pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

/// The client address used for sign-in throttling.
pub async fn client_address(state: &AppState) -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    if state.settings.trust_forwarded_for {
        if let Ok(headers) = leptos_axum::extract::<axum::http::HeaderMap>().await {
            let forwarded = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                // The last entry is the one our own proxy added; earlier ones come from the client.
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if let Some(addr) = forwarded {
                return addr;
            }
        }
    }
    match leptos_axum::extract::<ConnectInfo<SocketAddr>>().await {
        Ok(ConnectInfo(addr)) => addr.ip().to_string(),
        Err(_) => "unknown".to_string(),
    }
}

pub async fn sign_up(
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let email = crate::validation::validate_new_login(&email, &password, &password_confirm)?;
    let hash = password::hash(password).await?;
    let id = match users::insert(&state.db, &email, &hash, Role::Owner.as_str()).await {
        Ok(id) => id,
        Err(users::InsertUserError::EmailTaken) => {
            return Err(AppError::invalid(
                "email",
                "An account with this email already exists. Sign in instead.",
            ))
        }
        Err(users::InsertUserError::Db(e)) => return Err(e.into()),
    };
    tracing::info!(user_id = id, "account owner signed up");
    start_session(id).await?;
    leptos_axum::redirect(Role::Owner.home_path());
    Ok(())
}

pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let email = crate::validation::normalize_email(&email);
    let client = client_address(&state).await;
    let now = unix_now();

    let recent = sign_in_failures::recent(&state.db, &email, &client, now).await?;
    if let Err(minutes) = crate::throttle::check(recent, now) {
        tracing::warn!("sign-in refused: too many failures");
        return Err(AppError::TooManyAttempts(crate::throttle::message(minutes)));
    }

    let user = users::find_by_email(&state.db, &email).await?;
    // Verify against a fixed hash when the email is unknown, so timing does not reveal which
    // emails have logins.
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok = password::verify(password, hash).await;
    let user = match (user, password_ok) {
        (Some(user), true) => user,
        _ => {
            sign_in_failures::record(&state.db, &email, &client, now).await?;
            return Err(AppError::invalid(
                "password",
                "The email or password is not right.",
            ));
        }
    };
    let Some(role) = Role::parse(&user.role) else {
        tracing::error!(user_id = user.id, "user has an unknown role");
        return Err(AppError::Internal);
    };
    sign_in_failures::clear_for_email(&state.db, &email).await?;
    start_session(user.id).await?;
    tracing::info!(user_id = user.id, role = role.as_str(), "signed in");
    leptos_axum::redirect(safe_next_path(next.as_deref(), role));
    Ok(())
}

pub async fn sign_out() -> Result<(), AppError> {
    end_session().await?;
    leptos_axum::redirect("/");
    Ok(())
}
