//! Keeps the `connected_accounts` cache in step with Stripe: turns a v1 or v2 account into the
//! cache's columns, and [`sync`] fetches an account and stores it (used by the webhook worker, by
//! "resync" and on the onboarding return URL).

use crate::db::connected_accounts::{self, AccountRecord, ApiVersion, FetchedAt};
use crate::db::{unix_now, Db};
use serde_json::Value;
use stripe_client::models::account::Account;
use stripe_client::models::v2::{
    AccountInclude, AccountV2, CapabilityEntryV2, CapabilityStatusV2, ConfigurationPartV2,
    DeadlineStatus,
};
use stripe_client::{Dated, Params, RequestOptions, StripeClient, StripeError};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("not a Stripe account id")]
    InvalidAccountId,
    #[error("Stripe: {0}")]
    Stripe(#[from] StripeError),
    #[error("unexpected account object: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// Stripe account ids are `acct_` and letters/digits; anything else never reaches a URL path.
pub fn is_account_id(id: &str) -> bool {
    id.strip_prefix("acct_").is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

fn json_text(value: Option<&Value>) -> String {
    match value {
        Some(v) if !v.is_null() => v.to_string(),
        _ => "{}".to_string(),
    }
}

/// The cache columns of a v1 account; `raw` is the same account as JSON (the JSON columns keep
/// Stripe's own shape).
pub fn record_from_v1(raw: &Value) -> Result<AccountRecord, serde_json::Error> {
    let account: Account = serde_json::from_value(raw.clone())?;
    let requirements = account.requirements.clone().unwrap_or_default();
    let schedule = account.payout_schedule();
    let dashboard_type = account
        .dashboard_type()
        .map(|d| d.as_str().to_string())
        .or_else(|| {
            // Accounts without controller properties: the type decides the dashboard.
            account.account_type.as_ref().map(|t| {
                match t.as_str() {
                    "standard" => "full",
                    "express" => "express",
                    _ => "none",
                }
                .to_string()
            })
        });
    Ok(AccountRecord {
        stripe_account_id: account.id.clone(),
        country: account.country.as_deref().map(str::to_ascii_uppercase),
        business_name: account
            .business_profile
            .as_ref()
            .and_then(|p| p.name.clone())
            .or_else(|| {
                account
                    .settings
                    .as_ref()
                    .and_then(|s| s.dashboard.as_ref())
                    .and_then(|d| d.display_name.clone())
            }),
        email: account.email.clone(),
        requirements: json_text(raw.get("requirements")),
        future_requirements: json_text(raw.get("future_requirements")),
        capabilities: json_text(raw.get("capabilities")),
        charges_enabled: account.charges_enabled,
        payouts_enabled: account.payouts_enabled,
        details_submitted: account.details_submitted,
        disabled_reason: requirements
            .disabled_reason
            .as_ref()
            .map(|r| r.as_str().to_string()),
        current_deadline: requirements.current_deadline,
        payout_interval: schedule.map(|s| s.interval.as_str().to_string()),
        payout_delay_days: schedule.and_then(|s| s.delay_days).map(i64::from),
        payout_weekly_anchor: schedule
            .and_then(|s| s.weekly_anchor.as_ref())
            .map(|a| a.as_str().to_string()),
        payout_monthly_anchor: schedule.and_then(|s| s.monthly_anchor).map(i64::from),
        dashboard_type,
        controller: json_text(raw.get("controller")),
        created: account.created,
    })
}

pub use stripe_client::webhook::parse_rfc3339;

fn capability_active(part: Option<&ConfigurationPartV2>, name: &str) -> bool {
    let Some(part) = part else { return false };
    let (head, tail) = match name.split_once('.') {
        Some((head, tail)) => (head, Some(tail)),
        None => (name, None),
    };
    let status = match (part.capabilities.get(head), tail) {
        (Some(CapabilityEntryV2::Leaf(leaf)), None) => Some(&leaf.status),
        (Some(CapabilityEntryV2::Group(group)), Some(tail)) => group.get(tail).map(|c| &c.status),
        _ => None,
    };
    status == Some(&CapabilityStatusV2::Active)
}

/// The cache columns of a v2 account (retrieved with every `include`).
pub fn record_from_v2(raw: &Value) -> Result<AccountRecord, serde_json::Error> {
    let account: AccountV2 = serde_json::from_value(raw.clone())?;
    let config = account.configuration.clone().unwrap_or_default();
    let merchant = config.merchant.as_ref();
    let recipient = config.recipient.as_ref();
    let summary_deadline = account
        .requirements
        .as_ref()
        .and_then(|r| r.summary.as_ref())
        .and_then(|s| s.minimum_deadline.as_ref());
    let due_now = account.requirements.as_ref().is_some_and(|r| {
        r.entries.iter().any(|e| {
            e.minimum_deadline.as_ref().is_some_and(|d| {
                matches!(
                    d.status,
                    DeadlineStatus::CurrentlyDue | DeadlineStatus::PastDue
                )
            }) && e
                .awaiting_action_from
                .as_ref()
                .is_none_or(|a| a.as_str() == "user")
        })
    });
    let mut capabilities = serde_json::Map::new();
    if let Some(configuration) = raw.get("configuration").and_then(Value::as_object) {
        for (name, part) in configuration {
            if let Some(caps) = part.get("capabilities") {
                capabilities.insert(name.clone(), caps.clone());
            }
        }
    }
    let controller = raw
        .get("defaults")
        .and_then(|d| d.get("responsibilities"))
        .map(|r| serde_json::json!({ "responsibilities": r }));
    Ok(AccountRecord {
        stripe_account_id: account.id.clone(),
        country: account
            .identity
            .as_ref()
            .and_then(|i| i.country.as_deref())
            .map(str::to_ascii_uppercase),
        business_name: account.display_name.clone().or_else(|| {
            account
                .identity
                .as_ref()
                .and_then(|i| i.business_details.as_ref())
                .and_then(|b| b.registered_name.clone())
        }),
        email: account.contact_email.clone(),
        requirements: json_text(raw.get("requirements")),
        future_requirements: json_text(raw.get("future_requirements")),
        capabilities: Value::Object(capabilities).to_string(),
        charges_enabled: capability_active(merchant, "card_payments"),
        payouts_enabled: capability_active(recipient, "stripe_balance.payouts")
            || capability_active(merchant, "stripe_balance.payouts"),
        details_submitted: account.requirements.is_some() && !due_now,
        disabled_reason: summary_deadline
            .filter(|d| d.status == DeadlineStatus::PastDue)
            .map(|_| "requirements.past_due".to_string()),
        current_deadline: summary_deadline
            .and_then(|d| d.time.as_deref())
            .and_then(parse_rfc3339),
        payout_interval: None,
        payout_delay_days: None,
        payout_weekly_anchor: None,
        payout_monthly_anchor: None,
        dashboard_type: account.dashboard.as_ref().map(|d| d.as_str().to_string()),
        controller: json_text(controller.as_ref()),
        created: account.created.as_deref().and_then(parse_rfc3339),
    })
}

const V2_INCLUDES: &[AccountInclude] = &[
    AccountInclude::ConfigurationCustomer,
    AccountInclude::ConfigurationMerchant,
    AccountInclude::ConfigurationRecipient,
    AccountInclude::Defaults,
    AccountInclude::FutureRequirements,
    AccountInclude::Identity,
    AccountInclude::Requirements,
];

/// Fetches an account from Stripe as JSON and in the cache's columns.
pub async fn fetch(
    stripe: &StripeClient,
    account_id: &str,
    api_version: ApiVersion,
) -> Result<AccountRecord, SyncError> {
    Ok(fetch_dated(stripe, account_id, api_version).await?.0)
}

/// [`fetch`], with when Stripe answered (its `Date` header; `None` when it sent none).
pub async fn fetch_dated(
    stripe: &StripeClient,
    account_id: &str,
    api_version: ApiVersion,
) -> Result<(AccountRecord, Option<i64>), SyncError> {
    if !is_account_id(account_id) {
        return Err(SyncError::InvalidAccountId);
    }
    let opts = RequestOptions::new();
    match api_version {
        ApiVersion::V1 => {
            let raw: Dated<Value> = stripe
                .get_dated(&format!("/v1/accounts/{account_id}"), &Params::new(), &opts)
                .await?;
            Ok((record_from_v1(&raw.value)?, raw.date))
        }
        ApiVersion::V2 => {
            let query: Vec<(&str, &str)> = V2_INCLUDES
                .iter()
                .map(|i| ("include", i.as_str()))
                .collect();
            let raw: Dated<Value> = stripe
                .get_v2_dated(&format!("/v2/core/accounts/{account_id}"), &query, &opts)
                .await?;
            Ok((record_from_v2(&raw.value)?, raw.date))
        }
    }
}

/// Why an account is being synced.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncCause {
    /// Creation time of the event that asked for it (0: none, e.g. "resync").
    pub event_created: i64,
    /// The account (re)connected to the platform (`account.application.authorized`).
    pub reconnected: bool,
}

/// Which API an account is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionHint {
    /// The caller knows (it created the account): read with this one and record it.
    Known(ApiVersion),
    /// A cached account is read with the version it is cached with; a new one with this one.
    IfNew(ApiVersion),
}

/// Fetches the account from Stripe and stores it in the cache. `false` when a fetch that started
/// later had already been stored (the cache is at least as new).
pub async fn sync(
    db: &Db,
    stripe: &StripeClient,
    account_id: &str,
    version: VersionHint,
    cause: SyncCause,
) -> Result<bool, SyncError> {
    if !is_account_id(account_id) {
        return Err(SyncError::InvalidAccountId);
    }
    let (api_version, known) = match version {
        VersionHint::Known(v) => (v, true),
        VersionHint::IfNew(v) => (
            connected_accounts::find_by_stripe_id(db, account_id)
                .await?
                .and_then(|row| row.api_version())
                .unwrap_or(v),
            false,
        ),
    };
    let started_ms = unix_now_ms();
    let (record, stripe_time) = fetch_dated(stripe, account_id, api_version).await?;
    let finished = unix_now();
    let stored = connected_accounts::store_fetched(
        db,
        &record,
        api_version,
        known,
        FetchedAt {
            started_ms,
            finished,
            // Stripe always sends `Date`; without one, this machine's clock is all there is.
            stripe_time: stripe_time.unwrap_or(finished),
            event_created: cause.event_created,
            reconnected: cause.reconnected,
        },
    )
    .await?;
    Ok(stored)
}

/// Current time in milliseconds (orders concurrent fetches).
pub fn unix_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn account_ids_are_checked_before_they_reach_a_path() {
        assert!(is_account_id("acct_1Nv0FGQ9RKHgCVdK"));
        assert!(!is_account_id("acct_"));
        assert!(!is_account_id("acct_../../v1/balance"));
        assert!(!is_account_id("cus_123"));
    }

    #[test]
    fn v1_account_to_columns() {
        let raw = json!({
            "id": "acct_123", "object": "account", "type": "express", "country": "us",
            "email": "owner@example.com", "created": 1_700_000_000,
            "business_profile": {"name": "Acme"},
            "capabilities": {"card_payments": "active", "transfers": "pending"},
            "charges_enabled": true, "payouts_enabled": false, "details_submitted": true,
            "requirements": {"currently_due": ["external_account"], "current_deadline": 1_700_100_000,
                             "disabled_reason": "requirements.past_due", "errors": [],
                             "eventually_due": [], "past_due": [], "pending_verification": []},
            "future_requirements": null,
            "settings": {"payouts": {"schedule": {"interval": "weekly", "delay_days": 2, "weekly_anchor": "friday"}}},
            "controller": {"stripe_dashboard": {"type": "express"}, "type": "application"}
        });
        let r = record_from_v1(&raw).unwrap();
        assert_eq!(r.stripe_account_id, "acct_123");
        assert_eq!(r.country.as_deref(), Some("US"));
        assert_eq!(r.business_name.as_deref(), Some("Acme"));
        assert!(r.charges_enabled && !r.payouts_enabled && r.details_submitted);
        assert_eq!(r.disabled_reason.as_deref(), Some("requirements.past_due"));
        assert_eq!(r.current_deadline, Some(1_700_100_000));
        assert_eq!(r.payout_interval.as_deref(), Some("weekly"));
        assert_eq!(r.payout_delay_days, Some(2));
        assert_eq!(r.payout_weekly_anchor.as_deref(), Some("friday"));
        assert_eq!(r.dashboard_type.as_deref(), Some("express"));
        assert_eq!(r.future_requirements, "{}");
        let requirements: Value = serde_json::from_str(&r.requirements).unwrap();
        assert_eq!(requirements["currently_due"][0], "external_account");
        let controller: Value = serde_json::from_str(&r.controller).unwrap();
        assert_eq!(controller["type"], "application");
    }

    #[test]
    fn v2_account_to_columns() {
        let raw = json!({
            "id": "acct_v2", "object": "v2.core.account", "created": "2026-01-02T03:04:05.000Z",
            "dashboard": "none", "display_name": "Shop", "contact_email": "s@example.com",
            "identity": {"country": "de"},
            "configuration": {
                "merchant": {"applied": true, "capabilities": {"card_payments": {"status": "active"}}},
                "recipient": {"applied": true, "capabilities": {"stripe_balance": {"payouts": {"status": "pending"}}}}
            },
            "defaults": {"responsibilities": {"fees_collector": "application", "losses_collector": "application"}},
            "requirements": {"entries": [{"description": "id_number", "awaiting_action_from": "user",
                "minimum_deadline": {"status": "past_due"}}],
                "summary": {"minimum_deadline": {"status": "past_due", "time": "2026-02-01T00:00:00.000Z"}}}
        });
        let r = record_from_v2(&raw).unwrap();
        assert_eq!(r.country.as_deref(), Some("DE"));
        assert_eq!(r.business_name.as_deref(), Some("Shop"));
        assert!(r.charges_enabled);
        assert!(!r.payouts_enabled);
        assert!(!r.details_submitted);
        assert_eq!(r.disabled_reason.as_deref(), Some("requirements.past_due"));
        assert_eq!(r.current_deadline, parse_rfc3339("2026-02-01T00:00:00Z"));
        assert_eq!(r.created, Some(1_767_323_045));
        let caps: Value = serde_json::from_str(&r.capabilities).unwrap();
        assert_eq!(caps["merchant"]["card_payments"]["status"], "active");
    }
}
