//! Who is signed in, and the server functions that sign people up, in and out.

#[cfg(feature = "ssr")]
pub mod attempts;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The platform's staff: the admin console.
    Admin,
    /// The person who owns one connected account: the self-service portal.
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }

    /// Where a person of this role lands after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Admin => "/admin",
            Role::Owner => "/account",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The address was confirmed by a mailed link (Stripe onboarding waits for it).
    pub email_confirmed: bool,
}

/// A `next` path is followed after sign-in only when it stays on this site and fits the role.
pub fn safe_next_path(next: Option<&str>, role: Role) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && (path == role.home_path()
                    || path.starts_with(&format!("{}/", role.home_path()))) =>
        {
            path
        }
        _ => role.home_path(),
    }
}

#[server]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::error::with_status(ssr::signed_in_user().await)
}

#[server]
pub async fn sign_up(
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    crate::error::with_status(ssr::sign_up(email, password, password_confirm).await)
}

#[server]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(ssr::sign_in(email, password, next).await)
}

#[server]
pub async fn sign_out() -> Result<(), AppError> {
    crate::error::with_status(ssr::sign_out().await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Owner] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn next_paths_stay_on_site_and_in_role() {
        assert_eq!(
            safe_next_path(Some("/account/payouts"), Role::Owner),
            "/account/payouts"
        );
        assert_eq!(safe_next_path(Some("/account"), Role::Owner), "/account");
        assert_eq!(
            safe_next_path(Some("/admin/accounts"), Role::Owner),
            "/account"
        );
        assert_eq!(safe_next_path(Some("/accounting"), Role::Owner), "/account");
        assert_eq!(
            safe_next_path(Some("//evil.example/account"), Role::Owner),
            "/account"
        );
        assert_eq!(
            safe_next_path(Some("https://evil.example"), Role::Admin),
            "/admin"
        );
        assert_eq!(
            safe_next_path(Some("/\\evil.example"), Role::Admin),
            "/admin"
        );
        assert_eq!(safe_next_path(None, Role::Admin), "/admin");
    }
}
