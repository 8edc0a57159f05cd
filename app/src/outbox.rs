//! The console's view of the mail outbox: what was sent, what waits for a retry, what failed.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailLine {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    /// The portal's own short description of the last failure (never a secret).
    pub last_error: Option<String>,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailOverview {
    pub lines: Vec<MailLine>,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    /// Mail is kept for the development mailbox (no SMTP server configured).
    pub dev_mailbox: bool,
}

/// The newest mails, for admins.
#[server]
pub async fn list_mail() -> Result<MailOverview, AppError> {
    crate::error::with_status(ssr::list_mail().await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{MailLine, MailOverview};
    use crate::auth::{ssr as auth, Role};
    use crate::db::{mail_outbox, unix_now};
    use crate::error::AppError;
    use crate::state::app_state;

    pub async fn list_mail() -> Result<MailOverview, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let now = unix_now();
        let count = |counts: &[(String, i64)], state: &str| {
            counts
                .iter()
                .find(|(s, _)| s == state)
                .map_or(0, |(_, n)| *n)
        };
        let counts = mail_outbox::count_by_state(&state.db).await?;
        let lines = mail_outbox::list_recent(&state.db, 100)
            .await?
            .into_iter()
            .map(|m| MailLine {
                id: m.id,
                kind: crate::mail::MailKind::label(&m.kind).to_string(),
                to_address: m.to_address,
                subject: m.subject,
                state: m.state,
                attempts: m.attempts,
                last_error: m.last_error,
                created: match crate::profile::last_seen_label(now, m.created_at) {
                    s if s == "Active now" => "just now".to_string(),
                    s => s,
                },
            })
            .collect();
        Ok(MailOverview {
            lines,
            pending: count(&counts, "pending"),
            sent: count(&counts, "sent"),
            failed: count(&counts, "failed"),
            dev_mailbox: state.settings.dev_mailbox,
        })
    }
}
