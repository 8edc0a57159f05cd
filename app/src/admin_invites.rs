//! Admins invite other admins with one-time links: created and withdrawn by an admin (audited),
//! accepted by anyone holding the link, once, before it expires.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How long an invite link stays valid.
pub const INVITE_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLine {
    /// The token's hash: names the invite without being able to accept it.
    pub id: String,
    pub note: String,
    pub invited_by: String,
    pub created: String,
    pub expires: String,
}

/// Creates an invite; returns its one-time URL (shown once, never stored).
#[server]
pub async fn create_admin_invite(note: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::create(note).await)
}

#[server]
pub async fn list_admin_invites() -> Result<Vec<InviteLine>, AppError> {
    crate::error::with_status(ssr::list().await)
}

#[server]
pub async fn revoke_admin_invite(id: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::revoke(id).await)
}

/// Who sent the invite, when the link is still open (anyone holding the link may ask).
#[server]
pub async fn check_admin_invite(token: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::check(token).await)
}

/// Creates the new admin's login from the invite and signs them in.
#[server]
pub async fn accept_admin_invite(
    token: String,
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    crate::error::with_status(ssr::accept(token, email, password, password_confirm).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::{ssr as auth, Role};
    use crate::db::{admin_invites, audit_log, unix_now, users};
    use crate::state::app_state;
    use domain::account_status::deadline_date_label;
    use sha2::{Digest, Sha256};

    fn hash(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }

    /// Tokens are 64 hex digits; anything else is no invite (and is not looked up).
    fn well_formed(token: &str) -> bool {
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
    }

    fn closed() -> AppError {
        AppError::Conflict(
            "This invite was already used, was withdrawn, or has expired. Ask an admin for a new one."
                .into(),
        )
    }

    pub async fn create(note: String) -> Result<String, AppError> {
        let user = auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let note = note.trim().to_string();
        if note.chars().count() > 200 {
            return Err(AppError::invalid(
                "note",
                "Keep the note under 200 characters.",
            ));
        }
        let token = hex::encode(rand::random::<[u8; 32]>());
        let now = unix_now();
        admin_invites::insert(
            &state.db,
            &hash(&token),
            user.id,
            &user.email,
            &note,
            now,
            now + INVITE_DAYS * 86_400,
        )
        .await?;
        audit_log::record(
            &state.db,
            now,
            user.id,
            &user.email,
            "invite admin",
            None,
            &note,
        )
        .await?;
        tracing::info!(admin = user.id, "admin invite created");
        Ok(format!(
            "{}/invite/{token}",
            state.settings.public_url.trim_end_matches('/')
        ))
    }

    pub async fn list() -> Result<Vec<InviteLine>, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        Ok(admin_invites::list_open(&state.db, unix_now())
            .await?
            .into_iter()
            .map(|i| InviteLine {
                id: i.token_hash,
                note: i.note,
                invited_by: i.invited_by_email,
                created: deadline_date_label(i.created_at),
                expires: deadline_date_label(i.expires_at),
            })
            .collect())
    }

    pub async fn revoke(id: String) -> Result<(), AppError> {
        let user = auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let now = unix_now();
        if !(well_formed(&id) && admin_invites::revoke(&state.db, &id, now).await?) {
            return Err(closed());
        }
        audit_log::record(
            &state.db,
            now,
            user.id,
            &user.email,
            "withdraw invite",
            None,
            "",
        )
        .await?;
        Ok(())
    }

    pub async fn check(token: String) -> Result<String, AppError> {
        let state = app_state()?;
        if !well_formed(&token) {
            return Err(closed());
        }
        admin_invites::find_open(&state.db, &hash(&token), unix_now())
            .await?
            .map(|i| i.invited_by_email)
            .ok_or_else(closed)
    }

    pub async fn accept(
        token: String,
        email: String,
        password: String,
        password_confirm: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        if !well_formed(&token) {
            return Err(closed());
        }
        let email = crate::validation::validate_new_login(&email, &password, &password_confirm)?;
        let token_hash = hash(&token);
        let now = unix_now();
        let invite = admin_invites::find_open(&state.db, &token_hash, now)
            .await?
            .ok_or_else(closed)?;
        let password_hash = crate::auth::password::hash(password).await?;
        // Used first, so two submissions of one link cannot both make an admin.
        if !admin_invites::consume(&state.db, &token_hash, now).await? {
            return Err(closed());
        }
        let id = match users::insert(&state.db, &email, &password_hash, Role::Admin.as_str()).await
        {
            Ok(id) => id,
            Err(e) => {
                admin_invites::release(&state.db, &token_hash).await?;
                return Err(match e {
                    users::InsertUserError::EmailTaken => AppError::invalid(
                        "email",
                        "A login with this email already exists. Use another email.",
                    ),
                    users::InsertUserError::Db(e) => e.into(),
                });
            }
        };
        admin_invites::set_used_by(&state.db, &token_hash, id).await?;
        audit_log::record(
            &state.db,
            now,
            id,
            &email,
            "joined as admin",
            None,
            &format!("invited by {}", invite.invited_by_email),
        )
        .await?;
        tracing::info!(user_id = id, "admin joined through an invite");
        auth::start_session(id, 0).await?;
        leptos_axum::redirect(Role::Admin.home_path());
        Ok(())
    }
}
