//! What the requirements status view shows about one connected account, built on the server from
//! the cache (no Stripe call) and sent to the browser as data. The owner's home page and the
//! admin console's account page show the same view.

use domain::account_status::{AccountStatus, NextAction};
use domain::requirements::AccountRequirements;
use serde::{Deserialize, Serialize};

/// A capability and its status, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityView {
    /// "Card payments".
    pub label: String,
    /// Stripe's name, e.g. `card_payments` (v2: `merchant.card_payments`).
    pub name: String,
    /// `active`, `pending`, `inactive`, `restricted`, `unrequested`…
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineView {
    /// Unix seconds.
    pub at: i64,
    /// "March 3, 2027".
    pub date: String,
    /// "in 5 days", "today", "3 days ago".
    pub phrase: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub stripe_account_id: String,
    /// `v1` or `v2`.
    pub api_version: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub country: Option<String>,
    pub status: AccountStatus,
    pub reason: Option<String>,
    pub deadline: Option<DeadlineView>,
    pub next_action: NextAction,
    pub requirements: AccountRequirements,
    /// Deadline of the future requirements, when Stripe announced one.
    pub future_deadline: Option<DeadlineView>,
    pub capabilities: Vec<CapabilityView>,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    /// The platform lost access (OAuth deauthorization).
    pub revoked: bool,
    /// `full`, `express` or `none`.
    pub dashboard_type: Option<String>,
    /// Changes whenever the cached account changes (webhook or fetch): the view polls it.
    pub version: i64,
}

/// "card_payments" → "Card payments"; v2 names keep their configuration: "Merchant: card payments".
pub fn capability_label(name: &str) -> String {
    let words = |s: &str| s.replace(['_', '.'], " ");
    let sentence = |s: String| {
        let mut chars = s.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
            None => s,
        }
    };
    match name.split_once('.') {
        Some((configuration, rest))
            if ["merchant", "recipient", "customer"].contains(&configuration) =>
        {
            format!("{}: {}", sentence(configuration.to_string()), words(rest))
        }
        _ => sentence(words(name)),
    }
}

/// Capabilities from the cache's JSON: v1 `{name: status}`, v2 `{configuration: {name: {status}
/// | {sub: {status}}}}`.
pub fn capabilities_from_json(text: &str) -> Vec<CapabilityView> {
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let mut out = Vec::new();
    let Some(map) = value.as_object() else {
        return out;
    };
    for (name, entry) in map {
        match entry {
            serde_json::Value::String(status) => out.push(CapabilityView {
                label: capability_label(name),
                name: name.clone(),
                status: status.clone(),
            }),
            serde_json::Value::Object(inner) => {
                for (cap, v) in inner {
                    if let Some(status) = v.get("status").and_then(|s| s.as_str()) {
                        let full = format!("{name}.{cap}");
                        out.push(CapabilityView {
                            label: capability_label(&full),
                            name: full,
                            status: status.to_string(),
                        });
                    } else if let Some(group) = v.as_object() {
                        for (sub, leaf) in group {
                            if let Some(status) = leaf.get("status").and_then(|s| s.as_str()) {
                                let full = format!("{name}.{cap}.{sub}");
                                out.push(CapabilityView {
                                    label: capability_label(&full),
                                    name: full,
                                    status: status.to_string(),
                                });
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(feature = "ssr")]
pub use ssr::{fill_missing_statuses, overview, requirements_of, status_of_record};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::db::connected_accounts::ConnectedAccountRow;
    use domain::account_status::{assess, deadline_date_label, deadline_phrase, AccountFacts};
    use domain::requirements::{V1Requirements, V2Requirements};

    pub fn requirements_of(v2: bool, requirements: &str, future: &str) -> AccountRequirements {
        if v2 {
            let current: V2Requirements = serde_json::from_str(requirements).unwrap_or_default();
            let future: V2Requirements = serde_json::from_str(future).unwrap_or_default();
            AccountRequirements::from_v2(&current, &future)
        } else {
            let current: V1Requirements = serde_json::from_str(requirements).unwrap_or_default();
            let future: V1Requirements = serde_json::from_str(future).unwrap_or_default();
            AccountRequirements::from_v1(&current, &future)
        }
    }

    /// The status stored with a row for the console's filters and counts (v2 requirements carry
    /// `entries`, v1 ones the lists).
    pub fn status_of_record(
        record: &crate::db::connected_accounts::AccountRecord,
        now: i64,
    ) -> AccountStatus {
        let v2 = record.requirements.contains("\"entries\"");
        let requirements = requirements_of(v2, &record.requirements, &record.future_requirements);
        assess(
            &AccountFacts {
                details_submitted: record.details_submitted,
                charges_enabled: record.charges_enabled,
                payouts_enabled: record.payouts_enabled,
                requirements: &requirements,
            },
            now,
        )
        .status
    }

    /// Gives rows cached before the status column existed their status (at start).
    pub async fn fill_missing_statuses(db: &crate::db::Db) -> Result<usize, sqlx::Error> {
        use crate::db::connected_accounts::{set_status, without_status};
        let now = crate::db::unix_now();
        let mut filled = 0;
        loop {
            let rows = without_status(db, 500).await?;
            if rows.is_empty() {
                return Ok(filled);
            }
            for row in rows {
                set_status(db, row.id, overview(&row, now).status.slug()).await?;
                filled += 1;
            }
        }
    }

    fn deadline(at: i64, now: i64) -> DeadlineView {
        DeadlineView {
            at,
            date: deadline_date_label(at),
            phrase: deadline_phrase(at, now),
        }
    }

    /// The view of a cached account at `now`.
    pub fn overview(row: &ConnectedAccountRow, now: i64) -> AccountOverview {
        let requirements = if row.api_version == "v2" {
            let current: V2Requirements =
                serde_json::from_str(&row.requirements).unwrap_or_default();
            let future: V2Requirements =
                serde_json::from_str(&row.future_requirements).unwrap_or_default();
            AccountRequirements::from_v2(&current, &future)
        } else {
            let current: V1Requirements =
                serde_json::from_str(&row.requirements).unwrap_or_default();
            let future: V1Requirements =
                serde_json::from_str(&row.future_requirements).unwrap_or_default();
            AccountRequirements::from_v1(&current, &future)
        };
        let facts = AccountFacts {
            details_submitted: row.details_submitted != 0,
            charges_enabled: row.charges_enabled != 0,
            payouts_enabled: row.payouts_enabled != 0,
            requirements: &requirements,
        };
        let assessment = assess(&facts, now);
        AccountOverview {
            stripe_account_id: row.stripe_account_id.clone(),
            api_version: row.api_version.clone(),
            business_name: row.business_name.clone(),
            email: row.email.clone(),
            country: row.country.clone(),
            status: assessment.status,
            reason: assessment.reason,
            deadline: assessment.deadline.map(|d| deadline(d, now)),
            next_action: assessment.next_action,
            future_deadline: requirements.future.deadline.map(|d| deadline(d, now)),
            requirements,
            capabilities: capabilities_from_json(&row.capabilities),
            charges_enabled: row.charges_enabled != 0,
            payouts_enabled: row.payouts_enabled != 0,
            details_submitted: row.details_submitted != 0,
            revoked: row.revoked != 0,
            dashboard_type: row.dashboard_type.clone(),
            version: row.sync_started_ms.max(row.last_event_at * 1_000),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_names_in_words() {
        assert_eq!(capability_label("card_payments"), "Card payments");
        assert_eq!(
            capability_label("merchant.card_payments"),
            "Merchant: card payments"
        );
        assert_eq!(
            capability_label("recipient.stripe_balance.payouts"),
            "Recipient: stripe balance payouts"
        );
    }

    #[test]
    fn capabilities_of_both_shapes() {
        let v1 = capabilities_from_json(r#"{"card_payments":"active","transfers":"pending"}"#);
        assert_eq!(v1.len(), 2);
        assert_eq!(v1[0].status, "active");
        let v2 = capabilities_from_json(
            r#"{"merchant":{"card_payments":{"status":"active"}},"recipient":{"stripe_balance":{"payouts":{"status":"pending"}}}}"#,
        );
        assert_eq!(v2.len(), 2);
        assert_eq!(v2[1].name, "recipient.stripe_balance.payouts");
        assert_eq!(v2[1].status, "pending");
        assert!(capabilities_from_json("{}").is_empty());
    }
}
