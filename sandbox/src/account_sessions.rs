//! `POST /v1/account_sessions`: client secrets for Connect embedded components, with every component
//! and feature Stripe accepts.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::api::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::params::{hash, opt_bool, req_str};
use crate::spec;
use crate::state::{AccountSession, SharedApp};

const ACCOUNT_FEATURES: &[(&str, bool)] = &[
    ("disable_stripe_user_authentication", false),
    ("external_account_collection", true),
];
const PAYOUT_FEATURES: &[(&str, bool)] = &[
    ("disable_stripe_user_authentication", false),
    ("edit_payout_schedule", false),
    ("external_account_collection", true),
    ("instant_payouts", false),
    ("standard_payouts", false),
];
const PAYMENT_FEATURES: &[(&str, bool)] = &[
    ("capture_payments", true),
    ("destination_on_behalf_of_charge_management", false),
    ("dispute_management", true),
    ("refund_management", true),
    ("smart_disputes_management", false),
];
const DISPUTE_FEATURES: &[(&str, bool)] = &[
    ("destination_on_behalf_of_charge_management", false),
    ("dispute_management", true),
    ("refund_management", true),
    ("smart_disputes_management", false),
];

/// Every component with its features and their defaults (what the emulator shows for a feature
/// not given). The names are the table's (`spec::POST_ACCOUNT_SESSIONS`), which a test checks.
pub fn components() -> Vec<(&'static str, Vec<(&'static str, bool)>)> {
    let none = Vec::new;
    vec![
        ("account_management", ACCOUNT_FEATURES.to_vec()),
        ("account_onboarding", ACCOUNT_FEATURES.to_vec()),
        ("balance_report", none()),
        ("balances", PAYOUT_FEATURES.to_vec()),
        ("disputes_list", {
            let mut f = vec![("capture_payments", true)];
            f.extend_from_slice(DISPUTE_FEATURES);
            f
        }),
        ("documents", none()),
        (
            "financial_account",
            vec![
                ("disable_stripe_user_authentication", false),
                ("external_account_collection", true),
                ("send_money", true),
                ("transfer_balance", true),
            ],
        ),
        (
            "financial_account_transactions",
            vec![("card_spend_dispute_management", false)],
        ),
        (
            "instant_payouts_promotion",
            vec![
                ("disable_stripe_user_authentication", false),
                ("external_account_collection", true),
                ("instant_payouts", true),
            ],
        ),
        (
            "issuing_card",
            vec![
                ("card_management", false),
                ("card_spend_dispute_management", false),
                ("cardholder_management", false),
                ("spend_control_management", false),
            ],
        ),
        (
            "issuing_cards_list",
            vec![
                ("card_management", false),
                ("card_spend_dispute_management", false),
                ("cardholder_management", false),
                ("disable_stripe_user_authentication", false),
                ("spend_control_management", false),
            ],
        ),
        ("notification_banner", ACCOUNT_FEATURES.to_vec()),
        ("payment_details", PAYMENT_FEATURES.to_vec()),
        ("payment_disputes", DISPUTE_FEATURES.to_vec()),
        (
            "payment_method_settings",
            vec![("disable_stripe_user_authentication", false)],
        ),
        ("payments", PAYMENT_FEATURES.to_vec()),
        ("payout_details", none()),
        ("payout_reconciliation_report", none()),
        ("payouts", PAYOUT_FEATURES.to_vec()),
        ("payouts_list", none()),
        ("tax_registrations", none()),
        ("tax_settings", none()),
    ]
}

pub async fn create(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_ACCOUNT_SESSIONS)?;
    let account = req_str(&p, "account", &[])?;
    let comps = hash(&p, "components", &[])?
        .ok_or_else(|| ApiError::missing("components"))?
        .clone();
    let catalogue = components();
    let mut rendered = Map::new();
    let mut wants_disable_auth = false;
    let mut any_enabled = false;
    for (name, features) in &catalogue {
        let given = hash(&comps, name, &["components"])?;
        let mut enabled = false;
        let mut feats = Map::new();
        for (f, default) in features {
            feats.insert(f.to_string(), json!(default));
        }
        if let Some(g) = given {
            let path = ["components", *name];
            enabled = opt_bool(g, "enabled", &path)?
                .ok_or_else(|| ApiError::missing(&format!("components[{name}][enabled]")))?;
            if let Some(fs) = hash(g, "features", &path)? {
                let names: Vec<&str> = features.iter().map(|(f, _)| *f).collect();
                let fpath = ["components", *name, "features"];
                for f in &names {
                    if let Some(b) = opt_bool(fs, f, &fpath)? {
                        if *f == "disable_stripe_user_authentication" && b {
                            wants_disable_auth = true;
                        }
                        feats.insert(f.to_string(), json!(b));
                    }
                }
            }
        }
        any_enabled |= enabled;
        rendered.insert(
            name.to_string(),
            json!({"enabled": enabled, "features": feats}),
        );
    }
    if !any_enabled {
        return Err(ApiError::invalid(
            "You must enable at least one component.",
            Some("components"),
        ));
    }
    let ttl = app.config.account_session_ttl_secs;
    app.write(move |s| {
        let acct = s.account(&account)?.clone();
        if wants_disable_auth && !(acct.controller.requirement_collection == "application" && acct.controller.dashboard == "none") {
            return Err(ApiError::invalid(
                "`disable_stripe_user_authentication` can only be true for accounts where the platform collects requirements (`controller.requirement_collection=application`) and that have no Stripe Dashboard (`controller.stripe_dashboard.type=none`).",
                Some("components"),
            ));
        }
        let secret = format!("accs_secret__{}", s.token(48));
        let now = s.now();
        let session = AccountSession {
            client_secret: secret.clone(),
            account: account.clone(),
            components: Value::Object(rendered.clone()),
            created: now,
            expires_at: now + ttl,
            claimed: false,
        };
        s.account_sessions.insert(secret.clone(), session);
        // Expired sessions are of no further use.
        s.account_sessions.retain(|_, x| x.expires_at > now - 3600);
        Ok(Json(json!({
            "account": account,
            "client_secret": secret,
            "components": rendered,
            "expires_at": now + ttl,
            "livemode": false,
            "object": "account_session",
        })))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue names what OpenAPI `PostAccountSessions` names: every component, every feature.
    #[test]
    fn catalogue_is_the_tables() {
        let op = &spec::POST_ACCOUNT_SESSIONS;
        let catalogue = components();
        let names: Vec<&str> = catalogue.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, op.names(&["components"]));
        for (name, features) in &catalogue {
            let mut mine: Vec<&str> = features.iter().map(|(f, _)| *f).collect();
            mine.sort_unstable();
            let mut table = op.names(&["components", name, "features"]);
            table.sort_unstable();
            assert_eq!(mine, table, "components[{name}][features]");
        }
    }
}
