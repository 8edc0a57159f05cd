//! Server-side session handling and the checks every server function starts with.

use super::attempts;
use super::{password, safe_next_path, CurrentUser, Role};
use crate::db::sessions::{CREDENTIALS_VERSION_KEY, DEVICE_KEY, SIGNED_IN_AT_KEY, USER_ID_KEY};
use crate::db::{unix_now, users};
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

/// A session ends this long after its sign-in, however active it is (besides the inactivity
/// expiry of the session layer).
pub const MAX_SESSION_AGE_SECS: i64 = 30 * 24 * 60 * 60;

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
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT_KEY)
        .await
        .map_err(session_error)?;
    let credentials_version = session
        .get::<i64>(CREDENTIALS_VERSION_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    let row = users::find_by_id(&state.db, user_id).await?;
    let over = match (&row, signed_in_at) {
        // The login was removed.
        (None, _) => true,
        // Signed in before sessions carried their start: older than any allowed age by now.
        (Some(_), None) => true,
        (Some(row), Some(at)) => {
            row.credentials_version != credentials_version || unix_now() - at > MAX_SESSION_AGE_SECS
        }
    };
    let Some(row) = row.filter(|_| !over) else {
        // Forget the sign-in in this session too (deletes its row, clears the cookie).
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
        email_confirmed: row.email_confirmed_at.is_some(),
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

/// Marks this session as signed in under the login's current credentials, with a new session id
/// (so an id fixed before sign-in is worthless after it).
pub async fn start_session(user_id: i64, credentials_version: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(CREDENTIALS_VERSION_KEY, credentials_version)
        .await
        .map_err(session_error)?;
    session
        .insert(SIGNED_IN_AT_KEY, unix_now())
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

/// After a password change: this session continues under the new credentials, with a new id (an
/// id copied before the change is worthless after it).
pub async fn renew_session(credentials_version: i64) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(CREDENTIALS_VERSION_KEY, credentials_version)
        .await
        .map_err(session_error)
}

/// Deletes the session on the server and clears the cookie.
pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

/// The client an attempt is counted against (see `crate::throttle::client_key`).
pub async fn client_address(state: &AppState) -> String {
    use axum::extract::ConnectInfo;
    use std::net::{IpAddr, SocketAddr};
    if state.settings.trust_forwarded_for {
        if let Ok(headers) = leptos_axum::extract::<axum::http::HeaderMap>().await {
            let forwarded = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                // The last entry is the one our own proxy added; earlier ones come from the client.
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if let Some(addr) = forwarded {
                return crate::throttle::client_key(addr);
            }
        }
    }
    match leptos_axum::extract::<ConnectInfo<SocketAddr>>().await {
        Ok(ConnectInfo(addr)) => crate::throttle::client_key(addr.ip()),
        Err(_) => "unknown".to_string(),
    }
}

/// Checks `password` against the login `email` (which may not exist: the same work is done),
/// counted against the limits on password checks first. `Ok(None)`: wrong email or password.
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<Option<users::UserRow>, AppError> {
    let client = client_address(state).await;
    let attempt =
        attempts::begin_password_check(&state.db, &state.settings.limits, email, &client).await?;
    let user = users::find_by_email(&state.db, email).await?;
    // Verify against a fixed hash when the email is unknown, so timing does not reveal which
    // emails have logins.
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    match password::verify(password, hash).await {
        Ok(true) => {
            attempt.succeeded(&state.db).await?;
            Ok(user)
        }
        Ok(false) => {
            attempt.failed();
            Ok(None)
        }
        Err(e) => {
            attempt.did_not_run(&state.db).await?;
            Err(e)
        }
    }
}

pub async fn sign_up(
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let email = crate::validation::validate_new_login(&email, &password, &password_confirm)?;
    let client = client_address(&state).await;
    attempts::count_sign_up(&state.db, &state.settings.limits, &client).await?;
    // Hashed whether or not the address has a login, and answered the same: the mail tells the
    // address's owner which it was (a new login to confirm, or a sign-up attempt on theirs).
    let hash = password::hash(password).await?;
    crate::account_email::ssr::sign_up_mail(&state, &email, &hash).await?;
    leptos_axum::redirect("/sign-up/check-email");
    Ok(())
}

pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let email = crate::validation::normalize_email(&email);
    let Some(user) = check_password(&state, &email, password).await? else {
        return Err(AppError::invalid(
            "password",
            "The email or password is not right.",
        ));
    };
    let Some(role) = Role::parse(&user.role) else {
        tracing::error!(user_id = user.id, "user has an unknown role");
        return Err(AppError::Internal);
    };
    start_session(user.id, user.credentials_version).await?;
    tracing::info!(user_id = user.id, role = role.as_str(), "signed in");
    leptos_axum::redirect(safe_next_path(next.as_deref(), role));
    Ok(())
}

pub async fn sign_out() -> Result<(), AppError> {
    end_session().await?;
    leptos_axum::redirect("/");
    Ok(())
}
