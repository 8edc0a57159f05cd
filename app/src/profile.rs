//! A person's own login: email, password, sessions, and removing the login. The same for account
//! owners and platform admins.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveSession {
    /// A public name for the session; the session id itself never leaves the server.
    pub handle: String,
    pub device: String,
    /// "Active now", "5 minutes ago"…, worked out on the server so the page hydrates unchanged.
    pub last_seen: String,
    pub current: bool,
}

/// How long ago a session was last used, in words.
pub fn last_seen_label(now: i64, then: i64) -> String {
    let ago = (now - then).max(0);
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match ago {
        0..120 => "Active now".to_string(),
        120..3_600 => plural(ago / 60, "minute"),
        3_600..86_400 => plural(ago / 3_600, "hour"),
        _ => plural(ago / 86_400, "day"),
    }
}

#[server]
pub async fn list_my_sessions() -> Result<Vec<ActiveSession>, AppError> {
    crate::error::with_status(ssr::list_my_sessions().await)
}

#[server]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::change_email(new_email, password).await)
}

#[server]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    crate::error::with_status(
        ssr::change_password(current_password, new_password, new_password_confirm).await,
    )
}

#[server]
pub async fn end_session(handle: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::end_session(handle).await)
}

#[server]
pub async fn delete_my_login(password: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::delete_my_login(password).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::ActiveSession;
    use crate::auth::{password, ssr as auth, CurrentUser, Role};
    use crate::db::{sessions, users};
    use crate::error::AppError;
    use crate::state::app_state;

    /// The signed-in person and this request's session id.
    async fn me() -> Result<(CurrentUser, tower_sessions::session::Id), AppError> {
        let user = auth::require_user().await?;
        let session_id = auth::session()
            .await?
            .id()
            .ok_or(AppError::Unauthenticated)?;
        Ok((user, session_id))
    }

    /// Asks for the current password again before a change to the login; `field` is the form
    /// field the error belongs to. Counted against the same limits as sign-in (a stolen session
    /// must not become a way to guess the password).
    async fn check_password(
        user: &CurrentUser,
        password: String,
        field: &str,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        match auth::check_password(&state, &user.email, password).await? {
            Some(row) if row.id == user.id => Ok(()),
            _ => Err(AppError::invalid(
                field,
                "That is not your current password.",
            )),
        }
    }

    pub async fn list_my_sessions() -> Result<Vec<ActiveSession>, AppError> {
        let (user, session_id) = me().await?;
        let state = app_state()?;
        let now = crate::db::unix_now();
        Ok(sessions::list_for_user(&state.db, user.id, &session_id)
            .await?
            .into_iter()
            .map(|s| ActiveSession {
                handle: s.handle,
                device: s.device.unwrap_or_else(|| "A browser".to_string()),
                last_seen: super::last_seen_label(now, s.last_seen),
                current: s.current,
            })
            .collect())
    }

    pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
        use crate::validation::{normalize_email, validate_email};
        let (user, _) = me().await?;
        let email = normalize_email(&new_email);
        validate_email(&email).map_err(|e| AppError::invalid("new_email", e.to_string()))?;
        if email == user.email {
            return Err(AppError::invalid(
                "new_email",
                "That is already your email address.",
            ));
        }
        check_password(&user, password, "password").await?;
        let state = app_state()?;
        // Nothing changes until the new address confirms; the answer is the same whether or not
        // it has a login (its owner is mailed instead).
        crate::account_email::ssr::request_email_change(&state, user.id, &user.email, &email).await
    }

    pub async fn change_password(
        current_password: String,
        new_password: String,
        new_password_confirm: String,
    ) -> Result<(), AppError> {
        let (user, session_id) = me().await?;
        check_password(&user, current_password, "current_password").await?;
        crate::validation::validate_new_password(&new_password)
            .map_err(|e| AppError::invalid("new_password", e.to_string()))?;
        if new_password != new_password_confirm {
            return Err(AppError::invalid(
                "new_password_confirm",
                "The two passwords do not match.",
            ));
        }
        let state = app_state()?;
        let hash = password::hash(new_password).await?;
        let version = users::set_password_hash(&state.db, user.id, &hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        // Whoever knew the old password is signed out everywhere: the other sessions' rows go,
        // and any that a request in flight might still hold are over by their credentials
        // version. This one goes on under the new version, with a new id.
        let ended = sessions::delete_others(&state.db, user.id, &session_id).await?;
        // A reset or change link mailed before the new password must not outlive it.
        crate::db::email_tokens::withdraw_all_in(state.db.pool(), user.id, crate::db::unix_now())
            .await?;
        auth::renew_session(version).await?;
        tracing::info!(
            user_id = user.id,
            other_sessions_ended = ended,
            "password changed"
        );
        Ok(())
    }

    pub async fn end_session(handle: String) -> Result<(), AppError> {
        let (user, _) = me().await?;
        let state = app_state()?;
        // Scoped to the caller's own sessions: another person's handle finds nothing.
        if sessions::delete_by_handle(&state.db, user.id, &handle).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn delete_my_login(password: String) -> Result<(), AppError> {
        let (user, _) = me().await?;
        check_password(&user, password, "password").await?;
        let state = app_state()?;
        if user.role == Role::Admin {
            // As the console removes admins: race-free against another admin leaving at once,
            // audited, and withdrawing this admin's open invites.
            match crate::admins::ssr::remove_admin_login(&state.db, &user, user.id).await {
                Err(AppError::Conflict(_)) => {
                    return Err(AppError::Conflict(
                        "You are the only platform admin. Invite another admin before removing your login."
                            .into(),
                    ))
                }
                other => other.map(|_| ())?,
            }
        } else {
            // The connected account (if any) stays on Stripe; the console shows it without an owner.
            sessions::delete_for_user(&state.db, user.id).await?;
            users::delete(&state.db, user.id).await?;
        }
        auth::end_session().await?;
        tracing::info!(
            user_id = user.id,
            role = user.role.as_str(),
            "login deleted by its owner"
        );
        leptos_axum::redirect("/");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::last_seen_label;

    #[test]
    fn last_seen_in_words() {
        let now = 1_000_000;
        assert_eq!(last_seen_label(now, now), "Active now");
        assert_eq!(
            last_seen_label(now, now + 30),
            "Active now",
            "clock skew is not negative time"
        );
        assert_eq!(last_seen_label(now, now - 119), "Active now");
        assert_eq!(last_seen_label(now, now - 120), "2 minutes ago");
        assert_eq!(last_seen_label(now, now - 3_599), "59 minutes ago");
        assert_eq!(last_seen_label(now, now - 3_600), "1 hour ago");
        assert_eq!(last_seen_label(now, now - 86_400), "1 day ago");
        assert_eq!(last_seen_label(now, now - 3 * 86_400), "3 days ago");
    }
}
