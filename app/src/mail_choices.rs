//! The owner's choice of optional mails about their account (`domain::owner_notices::Preference`):
//! reminders before Stripe's deadline, and notices of capabilities that stopped working and of
//! failed payouts. What Stripe needs now, and what restricts or rejects the account, is always
//! mailed.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailChoices {
    pub reminders: bool,
    pub payouts_and_capabilities: bool,
}

#[server]
pub async fn get_mail_choices() -> Result<MailChoices, AppError> {
    crate::error::with_status(ssr::get_mail_choices().await)
}

/// A checkbox sends its value only when ticked: a missing field means "off".
#[server]
pub async fn save_mail_choices(
    reminders: Option<String>,
    payouts_and_capabilities: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(ssr::save_mail_choices(reminders, payouts_and_capabilities).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::MailChoices;
    use crate::auth::{ssr as auth, Role};
    use crate::db::owner_notices;
    use crate::error::AppError;
    use crate::state::app_state;

    pub async fn get_mail_choices() -> Result<MailChoices, AppError> {
        let user = auth::require_role(Role::Owner).await?;
        let state = app_state()?;
        let (reminders, payouts_and_capabilities) =
            owner_notices::preferences(&state.db, user.id).await?;
        Ok(MailChoices {
            reminders,
            payouts_and_capabilities,
        })
    }

    fn ticked(field: &str, value: Option<String>) -> Result<bool, AppError> {
        match value.as_deref() {
            None => Ok(false),
            Some("on" | "true") => Ok(true),
            Some(_) => Err(AppError::invalid(field, "Tick the box or leave it empty.")),
        }
    }

    pub async fn save_mail_choices(
        reminders: Option<String>,
        payouts_and_capabilities: Option<String>,
    ) -> Result<(), AppError> {
        let user = auth::require_role(Role::Owner).await?;
        let reminders = ticked("reminders", reminders)?;
        let payouts_and_capabilities =
            ticked("payouts_and_capabilities", payouts_and_capabilities)?;
        let state = app_state()?;
        owner_notices::set_preferences(&state.db, user.id, reminders, payouts_and_capabilities)
            .await?;
        Ok(())
    }
}
