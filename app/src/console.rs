//! The admin console's server functions: every one checks the admin role, and every action is
//! recorded in the audit log.

// `list_accounts` takes one argument per URL parameter of the list page; the `#[server]` macro
// copies them into code an item-level `allow` does not reach.
#![allow(clippy::too_many_arguments)]

use crate::account_view::AccountOverview;
use crate::error::AppError;
use crate::payouts::PayoutOverview;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The reasons an admin may reject an account for, as Stripe names them: the `reason` enum of
/// `POST /v1/accounts/{account}/reject` (OpenAPI `PostAccountsAccountReject`,
/// `../shared/stripe-openapi/`), with what the console calls each.
pub const REJECT_REASONS: [(&str, &str); 7] = [
    ("fraud_other", "Fraud"),
    ("fraud_no_intent_to_fulfill", "Fraud: no intent to fulfil"),
    (
        "fraud_payment_method_casher",
        "Fraud: cashing out payment methods",
    ),
    (
        "fraud_payment_method_tester",
        "Fraud: testing payment methods",
    ),
    ("credit", "Credit risk"),
    ("terms_of_service", "Terms of service"),
    ("other", "Other"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    /// `domain::account_status` slug.
    pub slug: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub stripe_account_id: String,
    pub name: String,
    pub email: Option<String>,
    pub country: Option<String>,
    pub status_slug: String,
    pub status_label: String,
    pub deadline: Option<String>,
    pub api_version: String,
    pub dashboard_type: Option<String>,
    /// No login of the portal is linked to the account (it was made on Stripe outside the
    /// portal, or its owner's login is gone: the cache cannot tell which).
    pub no_portal_login: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleOverviewData {
    pub statuses: Vec<StatusCount>,
    pub total: i64,
    pub due_7_days: Vec<AccountLine>,
    pub due_30_days: Vec<AccountLine>,
    pub last_event: Option<String>,
    pub failed_events: i64,
    pub pending_events: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub country: Option<String>,
    pub api: Option<String>,
    pub dashboard: Option<String>,
    /// `7d` or `30d`.
    pub deadline: Option<String>,
    /// A capability name (`card_payments`, `merchant.card_payments`).
    pub cap: Option<String>,
    /// A capability status (`active`, `pending`, `inactive`, `unrequested`, `restricted`).
    pub cap_status: Option<String>,
    /// `name`, `deadline`, or absent for newest first.
    pub sort: Option<String>,
    /// Id of the last row of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub rows: Vec<AccountLine>,
    /// Every capability seen in the cache (the capability filter's choices).
    pub capabilities: Vec<String>,
    /// Cursor of the next page, when there is one.
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLine {
    pub id: String,
    pub event_type: String,
    pub account_id: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub received: String,
    /// Pretty-printed payload.
    pub payload: String,
}

/// The actions the audit log records (the filter's choices).
pub const AUDIT_ACTIONS: [&str; 14] = [
    "account link",
    "express login link",
    "invite admin",
    "joined as admin",
    "payout schedule",
    "platform settings",
    "reject",
    "remove admin",
    "remove capability",
    "request capability",
    "resync",
    "retry event",
    "send digest",
    "withdraw invite",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub admin: String,
    pub action: String,
    pub account_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub overview: AccountOverview,
    pub owner_email: Option<String>,
    pub controller: String,
    pub payout_schedule: String,
    pub events: Vec<EventLine>,
    pub audit: Vec<AuditLine>,
    pub test_mode: bool,
    /// Stripe's dashboard page of the account (real keys only).
    pub dashboard_url: Option<String>,
    pub uses_update_links: bool,
}

#[server]
pub async fn get_console_overview() -> Result<ConsoleOverviewData, AppError> {
    crate::error::with_status(ssr::overview().await)
}

/// One page of accounts (each filter optional; all absent: every account). One argument per URL
/// parameter, so the list page's GET form and its links map onto it directly.
#[server]
pub async fn list_accounts(
    q: Option<String>,
    status: Option<String>,
    country: Option<String>,
    api: Option<String>,
    dashboard: Option<String>,
    deadline: Option<String>,
    cap: Option<String>,
    cap_status: Option<String>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<AccountPage, AppError> {
    crate::error::with_status(
        ssr::list(AccountQuery {
            q,
            status,
            country,
            api,
            dashboard,
            deadline,
            cap,
            cap_status,
            sort,
            after,
        })
        .await,
    )
}

#[server]
pub async fn get_account_detail(account: String) -> Result<AccountDetail, AppError> {
    crate::error::with_status(ssr::detail(account).await)
}

/// Reads the account again from Stripe.
#[server]
pub async fn admin_resync(account: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::resync(account).await)
}

/// A new onboarding (or update) link to send to the owner; returns the URL.
#[server]
pub async fn admin_account_link(account: String, kind: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::account_link(account, kind).await)
}

/// A one-time Express dashboard login link; returns the URL.
#[server]
pub async fn admin_login_link(account: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::login_link(account).await)
}

/// Rejects the account on Stripe (`fraud`, `terms_of_service` or `other`).
#[server]
pub async fn admin_reject(account: String, reason: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::reject(account, reason).await)
}

/// The account's payout schedule, balance and recent payouts, read from Stripe.
#[server]
pub async fn get_account_payouts(account: String) -> Result<PayoutOverview, AppError> {
    crate::error::with_status(ssr::payouts(account).await)
}

/// Changes the account's payout schedule (the owner's rules; a refusal names the field).
#[server]
pub async fn admin_update_payout_schedule(
    account: String,
    interval: String,
    delay_days: String,
    weekly_anchor: Option<String>,
    monthly_anchor: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(
        ssr::update_schedule(
            account,
            domain::payout_schedule::ScheduleForm {
                interval,
                delay_days,
                weekly_anchor: weekly_anchor.unwrap_or_default(),
                monthly_anchor: monthly_anchor.unwrap_or_default(),
            },
        )
        .await,
    )
}

/// Requests (`requested` = `true`) or removes (`false`) a capability of a v1 account.
#[server]
pub async fn admin_capability(
    account: String,
    capability: String,
    requested: String,
) -> Result<String, AppError> {
    crate::error::with_status(ssr::capability(account, capability, requested).await)
}

#[server]
pub async fn list_events(
    status: Option<String>,
    event_type: Option<String>,
    account: Option<String>,
) -> Result<Vec<EventLine>, AppError> {
    crate::error::with_status(ssr::events(status, event_type, account).await)
}

#[server]
pub async fn retry_event(id: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::retry(id).await)
}

/// The audit log, newest first; each filter optional (`admin`: part of the email).
#[server]
pub async fn list_audit(
    account: Option<String>,
    admin: Option<String>,
    action: Option<String>,
) -> Result<Vec<AuditLine>, AppError> {
    crate::error::with_status(ssr::audit(account, admin, action).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::account_sync::{self, is_account_id, SyncCause, VersionHint};
    use crate::account_view::overview as account_overview;
    use crate::auth::{ssr as auth, CurrentUser, Role};
    use crate::db::connected_accounts::{
        self, ApiVersion, ConnectedAccountRow, ListFilter, ListSort,
    };
    use crate::db::{account_capabilities, audit_log, stripe_events, unix_now, users};
    use crate::onboarding::ssr::{account_link as make_link, LinkKind};
    use crate::state::{app_state, AppState, StripeMode};
    use crate::stripe_errors::to_app_error;
    use domain::account_status::{deadline_date_label, AccountStatus, DeadlineWindow};
    use domain::payout_schedule::ScheduleForm;
    use stripe_client::RequestOptions;

    const PAGE: i64 = 25;

    /// A form value as given, trimmed; blank is absent.
    fn clean(value: Option<String>) -> Option<String> {
        value
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// Stripe's capability statuses (v1 and v2).
    const CAPABILITY_STATUSES: [&str; 5] =
        ["active", "pending", "inactive", "unrequested", "restricted"];

    /// `card_payments`, `merchant.card_payments`: lowercase words, underscores and dots.
    fn is_capability_name(name: &str) -> bool {
        !name.is_empty()
            && name.len() <= 80
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    }

    /// "just now", "5 minutes ago", "3 days ago".
    fn ago(now: i64, then: i64) -> String {
        match crate::profile::last_seen_label(now, then) {
            s if s == "Active now" => "just now".to_string(),
            s => s,
        }
    }

    async fn admin() -> Result<(CurrentUser, AppState), AppError> {
        let user = auth::require_role(Role::Admin).await?;
        Ok((user, app_state()?))
    }

    async fn audit_action(
        state: &AppState,
        user: &CurrentUser,
        action: &str,
        account: Option<&str>,
        detail: &str,
    ) -> Result<(), AppError> {
        audit_log::record(
            &state.db,
            unix_now(),
            user.id,
            &user.email,
            action,
            account,
            detail,
        )
        .await?;
        tracing::info!(admin = user.id, action, account = ?account, "console action");
        Ok(())
    }

    fn line(row: &ConnectedAccountRow) -> AccountLine {
        let status = row
            .status
            .as_deref()
            .and_then(AccountStatus::parse)
            .unwrap_or(AccountStatus::OnboardingNotFinished);
        AccountLine {
            stripe_account_id: row.stripe_account_id.clone(),
            name: row
                .business_name
                .clone()
                .or_else(|| row.email.clone())
                .unwrap_or_else(|| "Unnamed account".into()),
            email: row.email.clone(),
            country: row.country.clone(),
            status_slug: status.slug().into(),
            status_label: status.label().into(),
            deadline: row.current_deadline.map(deadline_date_label),
            api_version: row.api_version.clone(),
            dashboard_type: row.dashboard_type.clone(),
            no_portal_login: row.owner_user_id.is_none(),
        }
    }

    async fn row_of(state: &AppState, account: &str) -> Result<ConnectedAccountRow, AppError> {
        if !is_account_id(account) {
            return Err(AppError::NotFound);
        }
        connected_accounts::find_by_stripe_id(&state.db, account)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn overview() -> Result<ConsoleOverviewData, AppError> {
        let (_, state) = admin().await?;
        let counts = connected_accounts::count_by_status(&state.db).await?;
        let mut total = 0;
        let statuses = AccountStatus::ALL
            .iter()
            .map(|s| {
                let count = counts
                    .iter()
                    .filter(|(slug, _)| slug.as_deref() == Some(s.slug()))
                    .map(|(_, n)| *n)
                    .sum();
                total += count;
                StatusCount {
                    slug: s.slug().into(),
                    label: s.label().into(),
                    count,
                }
            })
            .collect();
        let now = unix_now();
        let (from7, to7) = DeadlineWindow::Next7Days.range(now);
        let (_, to30) = DeadlineWindow::Next30Days.range(now);
        let due_7_days = connected_accounts::deadlines_between(&state.db, from7, to7, 10)
            .await?
            .iter()
            .map(line)
            .collect();
        let due_30_days = connected_accounts::deadlines_between(&state.db, to7, to30, 10)
            .await?
            .iter()
            .map(line)
            .collect();
        let by_status = stripe_events::count_by_status(&state.db).await?;
        let of = |s: &str| {
            by_status
                .iter()
                .find(|(k, _)| k == s)
                .map_or(0, |(_, n)| *n)
        };
        Ok(ConsoleOverviewData {
            statuses,
            total,
            due_7_days,
            due_30_days,
            last_event: stripe_events::last_received_at(&state.db)
                .await?
                .map(|t| ago(now, t)),
            failed_events: of("failed"),
            pending_events: of("pending"),
        })
    }

    pub async fn list(query: AccountQuery) -> Result<AccountPage, AppError> {
        let (_, state) = admin().await?;
        let now = unix_now();
        let deadline = clean(query.deadline)
            .and_then(|d| DeadlineWindow::parse(&d))
            .map(|w| w.range(now));
        let filter = ListFilter {
            search: clean(query.q),
            status: clean(query.status).filter(|s| AccountStatus::parse(s).is_some()),
            country: clean(query.country).map(|c| c.to_ascii_uppercase()),
            api_version: clean(query.api).filter(|a| a == "v1" || a == "v2"),
            dashboard_type: clean(query.dashboard),
            deadline,
            capability: clean(query.cap).filter(|c| is_capability_name(c)),
            capability_status: clean(query.cap_status)
                .filter(|s| CAPABILITY_STATUSES.contains(&s.as_str())),
        };
        let sort = match clean(query.sort).as_deref() {
            Some("name") => ListSort::Name,
            Some("deadline") => ListSort::Deadline,
            _ => ListSort::Newest,
        };
        let after = clean(query.after).and_then(|c| c.parse().ok());
        let mut rows =
            connected_accounts::list_page(&state.db, &filter, sort, after, PAGE + 1).await?;
        let next = (rows.len() as i64 > PAGE).then(|| {
            rows.truncate(PAGE as usize);
            rows.last().expect("non-empty").id.to_string()
        });
        Ok(AccountPage {
            rows: rows.iter().map(line).collect(),
            capabilities: account_capabilities::names(&state.db).await?,
            next,
        })
    }

    fn event_line(e: stripe_events::EventRow, now: i64) -> EventLine {
        let payload = serde_json::from_str::<serde_json::Value>(&e.payload)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or(e.payload);
        EventLine {
            id: e.id,
            event_type: e.event_type,
            account_id: e.account_id,
            status: e.status,
            attempts: e.attempts,
            // Stored errors are the portal's own messages (never secrets); shown to admins only.
            last_error: e.last_error,
            received: ago(now, e.received_at),
            payload,
        }
    }

    fn audit_line(a: audit_log::AuditRow, now: i64) -> AuditLine {
        AuditLine {
            at: ago(now, a.at),
            admin: a.admin_email,
            action: a.action,
            account_id: a.account_id,
            detail: a.detail,
        }
    }

    pub async fn detail(account: String) -> Result<AccountDetail, AppError> {
        let (_, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        let config = crate::platform::current(&state).await?;
        let now = unix_now();
        let owner_email = match row.owner_user_id {
            Some(id) => users::find_by_id(&state.db, id).await?.map(|u| u.email),
            None => None,
        };
        // Only what Stripe reported (never a default of the portal's own for a v2 account).
        let payout_schedule = crate::payouts::ssr::reported_schedule(&row)
            .schedule()
            .map(|s| s.describe_with_delay())
            .unwrap_or_else(|| {
                "Not reported by Stripe: see it in Stripe's Dashboard or the owner's payouts component".into()
            });
        let events = stripe_events::list(&state.db, None, None, Some(&account), 20)
            .await?
            .into_iter()
            .map(|e| event_line(e, now))
            .collect();
        let filter = audit_log::AuditFilter {
            account_id: Some(account.clone()),
            ..Default::default()
        };
        let audit = audit_log::list(&state.db, &filter, 20)
            .await?
            .into_iter()
            .map(|a| audit_line(a, now))
            .collect();
        let mode = state.settings.stripe_mode;
        Ok(AccountDetail {
            overview: account_overview(&row, now),
            owner_email,
            controller: serde_json::from_str::<serde_json::Value>(&row.controller)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_default(),
            payout_schedule,
            events,
            audit,
            test_mode: mode.is_test(),
            dashboard_url: (mode != StripeMode::Emulator).then(|| {
                let test = if mode == StripeMode::Test {
                    "test/"
                } else {
                    ""
                };
                format!("https://dashboard.stripe.com/{test}connect/accounts/{account}")
            }),
            uses_update_links: config.uses_update_links(),
        })
    }

    pub async fn resync(account: String) -> Result<String, AppError> {
        let (user, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        account_sync::sync(
            &state.db,
            &state.stripe,
            &row.stripe_account_id,
            VersionHint::IfNew(ApiVersion::V1),
            SyncCause::default(),
        )
        .await
        .map_err(|e| match e {
            account_sync::SyncError::Stripe(e) => to_app_error("read the account", &e),
            other => {
                tracing::error!(error = %other, "resync");
                AppError::Internal
            }
        })?;
        audit_action(&state, &user, "resync", Some(&account), "").await?;
        Ok("Read again from Stripe.".into())
    }

    pub async fn account_link(account: String, kind: String) -> Result<String, AppError> {
        let (user, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        let config = crate::platform::current(&state).await?;
        let kind = match kind.as_str() {
            "update" if config.uses_update_links() => LinkKind::Update,
            "update" => {
                return Err(AppError::Conflict(
                    "Update links exist only where the platform collects requirements; send an onboarding link instead."
                        .into(),
                ))
            }
            _ => LinkKind::Onboarding,
        };
        let url = make_link(&state, &config, &row, kind).await?;
        audit_action(
            &state,
            &user,
            "account link",
            Some(&account),
            &format!("{kind:?}"),
        )
        .await?;
        Ok(url)
    }

    pub async fn login_link(account: String) -> Result<String, AppError> {
        let (user, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        if row.dashboard_type.as_deref() != Some("express") {
            return Err(AppError::Conflict(
                "This account has no Express dashboard.".into(),
            ));
        }
        let link = state
            .stripe
            .create_login_link(&row.stripe_account_id, &RequestOptions::new())
            .await
            .map_err(|e| to_app_error("create the login link", &e))?;
        audit_action(&state, &user, "express login link", Some(&account), "").await?;
        Ok(link.url)
    }

    pub async fn reject(account: String, reason: String) -> Result<String, AppError> {
        let (user, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        if !super::REJECT_REASONS
            .iter()
            .any(|(value, _)| *value == reason)
        {
            return Err(AppError::invalid(
                "reason",
                "Choose one of Stripe's reasons.",
            ));
        }
        state
            .stripe
            .reject_account(&row.stripe_account_id, &reason, &RequestOptions::new())
            .await
            .map_err(|e| to_app_error("reject the account", &e))?;
        let _ = account_sync::sync(
            &state.db,
            &state.stripe,
            &row.stripe_account_id,
            VersionHint::IfNew(ApiVersion::V1),
            SyncCause::default(),
        )
        .await;
        audit_action(&state, &user, "reject", Some(&account), &reason).await?;
        Ok("The account was rejected.".into())
    }

    pub async fn payouts(account: String) -> Result<PayoutOverview, AppError> {
        let (_, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        let editable = row.api_version() == Some(ApiVersion::V1);
        crate::payouts::ssr::overview_of(&state, &row, editable).await
    }

    pub async fn update_schedule(account: String, form: ScheduleForm) -> Result<(), AppError> {
        let (user, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        if row.api_version() != Some(ApiVersion::V1) {
            return Err(AppError::Conflict(
                "The payout schedule of a v2 account is changed in its configuration on Stripe."
                    .into(),
            ));
        }
        crate::payouts::ssr::save_schedule(&state, &row, &form).await?;
        let detail = format!(
            "{} {} {}{}",
            form.interval, form.delay_days, form.weekly_anchor, form.monthly_anchor
        );
        audit_action(
            &state,
            &user,
            "payout schedule",
            Some(&account),
            detail.trim(),
        )
        .await
    }

    pub async fn capability(
        account: String,
        capability: String,
        requested: String,
    ) -> Result<String, AppError> {
        let (user, state) = admin().await?;
        let row = row_of(&state, &account).await?;
        let capability = capability.trim().to_string();
        if !is_capability_name(&capability) || capability.contains('.') {
            return Err(AppError::invalid(
                "capability",
                "Name a capability as Stripe does, such as card_payments.",
            ));
        }
        let requested = match requested.as_str() {
            "true" => true,
            "false" => false,
            _ => return Err(AppError::invalid("requested", "Choose request or remove.")),
        };
        if row.api_version() != Some(ApiVersion::V1) {
            return Err(AppError::Conflict(
                "Capabilities of a v2 account come from its configurations; change them on Stripe."
                    .into(),
            ));
        }
        state
            .stripe
            .update_capability(
                &row.stripe_account_id,
                &capability,
                requested,
                &RequestOptions::new(),
            )
            .await
            .map_err(|e| {
                let what = if requested {
                    "request the capability"
                } else {
                    "remove the capability"
                };
                to_app_error(what, &e)
            })?;
        if let Err(e) = account_sync::sync(
            &state.db,
            &state.stripe,
            &row.stripe_account_id,
            VersionHint::IfNew(ApiVersion::V1),
            SyncCause::default(),
        )
        .await
        {
            // The webhook that follows the change updates the cache as well.
            tracing::warn!(error = %e, "capability changed; refreshing the cache failed");
        }
        let action = if requested {
            "request capability"
        } else {
            "remove capability"
        };
        audit_action(&state, &user, action, Some(&account), &capability).await?;
        Ok(if requested {
            format!("{capability} was requested; Stripe may need more information.")
        } else {
            format!("{capability} was removed.")
        })
    }

    pub async fn events(
        status: Option<String>,
        event_type: Option<String>,
        account: Option<String>,
    ) -> Result<Vec<EventLine>, AppError> {
        let (_, state) = admin().await?;
        let now = unix_now();
        Ok(stripe_events::list(
            &state.db,
            clean(status).as_deref(),
            clean(event_type).as_deref(),
            clean(account).as_deref(),
            100,
        )
        .await?
        .into_iter()
        .map(|e| event_line(e, now))
        .collect())
    }

    pub async fn retry(id: String) -> Result<String, AppError> {
        let (user, state) = admin().await?;
        if !stripe_events::retry_failed(&state.db, &id).await? {
            return Err(AppError::Conflict(
                "Only failed events can be retried.".into(),
            ));
        }
        audit_action(&state, &user, "retry event", None, &id).await?;
        Ok(format!("{id} will be processed again shortly."))
    }

    pub async fn audit(
        account: Option<String>,
        admin_email: Option<String>,
        action: Option<String>,
    ) -> Result<Vec<AuditLine>, AppError> {
        let (_, state) = admin().await?;
        let filter = audit_log::AuditFilter {
            account_id: clean(account),
            admin_email: clean(admin_email).map(|a| a.to_lowercase()),
            action: clean(action),
        };
        let now = unix_now();
        Ok(audit_log::list(&state.db, &filter, 200)
            .await?
            .into_iter()
            .map(|a| audit_line(a, now))
            .collect())
    }
}
