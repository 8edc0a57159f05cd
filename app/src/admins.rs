//! Platform admins, listed and removed by admins. Removing one deletes their login (signing them
//! out everywhere) and withdraws their open invites, in one transaction that is audited; the last
//! admin cannot be removed, not even by two admins removing each other at once.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminLine {
    pub id: i64,
    pub email: String,
    pub since: String,
    /// The admin looking at the list.
    pub you: bool,
}

/// The refusal when removing would leave no admin.
pub const LAST_ADMIN: &str =
    "The platform needs at least one admin: invite another admin before removing this one.";

#[server]
pub async fn list_admins() -> Result<Vec<AdminLine>, AppError> {
    crate::error::with_status(ssr::list().await)
}

/// Removes the admin `id` (a user id from [`list_admins`]); returns a confirmation to show.
#[server]
pub async fn remove_admin(id: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::remove(id).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::auth::{ssr as auth, CurrentUser, Role};
    use crate::db::{admin_invites, audit_log, sessions, unix_now, users, Db};
    use crate::state::app_state;
    use domain::account_status::deadline_date_label;

    pub async fn list() -> Result<Vec<AdminLine>, AppError> {
        let user = auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        Ok(users::list_admins(&state.db)
            .await?
            .into_iter()
            .map(|a| AdminLine {
                you: a.id == user.id,
                id: a.id,
                email: a.email,
                since: deadline_date_label(a.created_at),
            })
            .collect())
    }

    pub async fn remove(id: String) -> Result<String, AppError> {
        // Who asks comes first: nothing about the argument is looked at before that.
        let user = auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let email = remove_admin_login(&state.db, &user, id).await?;
        tracing::info!(admin = user.id, removed = id, "admin removed");
        if id == user.id {
            // Their own session row is gone; forget it here too, so the end of this request does
            // not write it back.
            auth::end_session().await?;
            leptos_axum::redirect("/");
            return Ok("You are no longer an admin.".into());
        }
        Ok(format!(
            "{email} is no longer an admin and has been signed out."
        ))
    }

    /// Deletes the admin `id`'s login, their sessions and open invites, and records it in the
    /// audit log as done by `by`; all or nothing. Returns the removed admin's email.
    pub(crate) async fn remove_admin_login(
        db: &Db,
        by: &CurrentUser,
        id: i64,
    ) -> Result<String, AppError> {
        let now = unix_now();
        let mut tx = users::begin_admin_change(db).await?;
        // The caller may have been removed by another admin while this request waited.
        if users::find_admin_in(&mut *tx, by.id).await?.is_none() {
            return Err(AppError::Unauthenticated);
        }
        let email = users::find_admin_in(&mut *tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Before the login goes: deleting it empties `invited_by`.
        let withdrawn = admin_invites::withdraw_made_by_in(&mut *tx, id, now).await?;
        sessions::delete_for_user_in(&mut *tx, id).await?;
        let detail = match withdrawn {
            0 => email.clone(),
            n => format!("{email} ({n} open invite(s) withdrawn)"),
        };
        // Recorded before the delete: an admin removing themselves is still there to be named.
        audit_log::record_in(
            &mut *tx,
            now,
            by.id,
            &by.email,
            "remove admin",
            None,
            &detail,
        )
        .await?;
        if !users::delete_admin_keeping_another_in(&mut *tx, id).await? {
            // Dropping the transaction rolls all of the above back.
            return Err(AppError::Conflict(LAST_ADMIN.into()));
        }
        tx.commit().await?;
        Ok(email)
    }
}
