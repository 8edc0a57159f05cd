//! Stripe's embedded components, server side: what a page needs to start Connect.js, and
//! AccountSessions for the signed-in owner's own account with exactly the components a page
//! mounts and the platform allows.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The embedded components the portal mounts (Connect.js tag names).
pub const KNOWN_TAGS: &[&str] = &[
    "account-onboarding",
    "account-management",
    "notification-banner",
    "payments",
    "payment-details",
    "payouts",
    "payouts-list",
    "balances",
    "documents",
];

/// Where the Connect.js runtime that Stripe's loader (`@stripe/connect-js`) drives comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConnectJsSource {
    /// Stripe's: the loader injects Stripe's own script URL itself.
    #[default]
    Stripe,
    /// The offline emulator's stand-in, put in the page before the loader runs (the loader then
    /// takes the `window.StripeConnect` it finds instead of injecting Stripe's URL).
    Emulator { script_url: String },
}

/// What a page needs to start Connect.js.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSettings {
    pub publishable_key: String,
    pub connect_js: ConnectJsSource,
    pub primary_color: String,
    pub font_family: String,
    /// `dialog` or `drawer`.
    pub overlays: String,
    /// `system`, `light` or `dark`.
    pub theme: String,
    /// The person's language from the request's `Accept-Language`; without one the browser's
    /// `navigator.language` is used.
    pub locale: Option<String>,
    /// Onboarding collection options for the account-onboarding component.
    pub collect: String,
    pub future_requirements: String,
    /// Tags the platform lets owners use.
    pub allowed: Vec<String>,
}

/// The language the person prefers most, from an `Accept-Language` header (RFC 9110 §12.5.4):
/// the tag with the highest weight (the first of equals), skipping `*`, weight 0 and anything
/// that is not a language tag. Connect.js takes it as its `locale`.
pub fn preferred_locale(accept_language: &str) -> Option<String> {
    let mut best: Option<(&str, f32)> = None;
    for item in accept_language.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let tag = parts.next().unwrap_or_default();
        let weight = parts
            .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
        let Some(weight) = weight.filter(|w| *w > 0.0 && *w <= 1.0) else {
            continue;
        };
        if is_language_tag(tag) && best.is_none_or(|(_, w)| weight > w) {
            best = Some((tag, weight));
        }
    }
    best.map(|(tag, _)| tag.to_string())
}

/// A BCP 47 shaped tag: a 2–8 letter language, then 1–8 character alphanumeric subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let language = subtags.next().unwrap_or_default();
    tag.len() <= 35
        && (2..=8).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[server]
pub async fn get_embed_settings() -> Result<EmbedSettings, AppError> {
    crate::error::with_status(ssr::settings().await)
}

/// A fresh AccountSession client secret for the owner's account with `components` (tag names)
/// enabled. Never cached: Connect.js calls this again whenever it needs a new session.
#[server]
pub async fn create_account_session(components: Vec<String>) -> Result<String, AppError> {
    crate::error::with_status(ssr::account_session(components).await)
}

#[cfg(test)]
mod tests {
    use super::preferred_locale;

    #[test]
    fn the_most_wanted_language_wins() {
        assert_eq!(
            preferred_locale("fr-CH, fr;q=0.9, en;q=0.8").as_deref(),
            Some("fr-CH")
        );
        assert_eq!(
            preferred_locale("en;q=0.5, de-DE;q=0.9").as_deref(),
            Some("de-DE")
        );
        assert_eq!(preferred_locale("ja, en").as_deref(), Some("ja"));
    }

    #[test]
    fn wildcards_refusals_and_junk_are_skipped() {
        assert_eq!(preferred_locale("*, es;q=0.4").as_deref(), Some("es"));
        assert_eq!(preferred_locale("en;q=0, nl;q=0.2").as_deref(), Some("nl"));
        assert_eq!(preferred_locale("<script>, x").as_deref(), None);
        assert_eq!(preferred_locale("en;q=abc").as_deref(), None);
        assert_eq!(preferred_locale("").as_deref(), None);
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{EmbedSettings, KNOWN_TAGS};
    use crate::error::AppError;
    use crate::onboarding::ssr::{my_row, owner};
    use crate::state::app_state;
    use crate::stripe_errors::to_app_error;
    use domain::platform::{OnboardingMode, PlatformConfig};
    use serde_json::Value;
    use stripe_client::{Params, RequestOptions};

    /// Whether the platform lets owners use `tag`.
    pub fn allowed(config: &PlatformConfig, tag: &str) -> bool {
        let c = &config.components;
        match tag {
            "account-onboarding" => config.onboarding == OnboardingMode::Embedded,
            "account-management" => c.account_management,
            "notification-banner" => c.notification_banner,
            "payments" | "payment-details" => c.payments,
            "payouts" | "payouts-list" => c.payouts,
            "balances" => c.balances,
            "documents" => c.documents,
            _ => false,
        }
    }

    /// The AccountSession parameters for these tags: each enabled with the features the
    /// configuration grants (FACTS.md lists which component takes which feature).
    pub fn session_params(config: &PlatformConfig, account: &str, tags: &[String]) -> Params {
        let c = &config.components;
        let no_auth = config.disables_stripe_user_authentication();
        let mut params = Params::new().set("account", account);
        for tag in tags {
            let name = tag.replace('-', "_");
            let mut features: Vec<(&str, bool)> = Vec::new();
            match tag.as_str() {
                "payments" | "payment-details" => {
                    features.push(("refund_management", c.refund_management));
                    features.push(("dispute_management", c.dispute_management));
                    features.push(("capture_payments", c.capture_payments));
                }
                "payouts" | "balances" => {
                    features.push(("edit_payout_schedule", config.owners_edit_payout_schedule));
                    features.push(("instant_payouts", c.instant_payouts));
                    features.push(("standard_payouts", c.standard_payouts));
                    features.push(("external_account_collection", c.external_account_collection));
                    features.push(("disable_stripe_user_authentication", no_auth));
                }
                "account-onboarding" | "account-management" | "notification-banner" => {
                    features.push(("external_account_collection", c.external_account_collection));
                    features.push(("disable_stripe_user_authentication", no_auth));
                }
                _ => {}
            }
            params = params.set(format!("components[{name}][enabled]"), "true");
            for (feature, on) in features {
                params = params.set(
                    format!("components[{name}][features][{feature}]"),
                    if on { "true" } else { "false" },
                );
            }
        }
        params
    }

    pub async fn settings() -> Result<EmbedSettings, AppError> {
        owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        let locale = leptos_axum::extract::<axum::http::HeaderMap>()
            .await
            .ok()
            .and_then(|headers| {
                headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)?
                    .to_str()
                    .ok()
                    .and_then(super::preferred_locale)
            });
        Ok(EmbedSettings {
            publishable_key: state.settings.stripe_publishable_key.clone(),
            connect_js: state.settings.connect_js.clone(),
            primary_color: config.branding.primary_color.clone(),
            font_family: config.branding.font_family.clone(),
            overlays: config.branding.overlays.slug().to_string(),
            theme: config.branding.theme.slug().to_string(),
            locale,
            collect: config.collection_fields().to_string(),
            future_requirements: config.future_requirements_option().to_string(),
            allowed: KNOWN_TAGS
                .iter()
                .filter(|t| allowed(&config, t))
                .map(|t| t.to_string())
                .collect(),
        })
    }

    pub async fn account_session(components: Vec<String>) -> Result<String, AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        if components.is_empty() || components.len() > KNOWN_TAGS.len() {
            return Err(AppError::invalid(
                "components",
                "Name the components this page shows.",
            ));
        }
        if let Some(refused) = components.iter().find(|t| !allowed(&config, t)) {
            return Err(AppError::Conflict(format!(
                "This platform does not offer the {} view.",
                refused.replace('-', " ")
            )));
        }
        let row = my_row(&state, &user).await?.ok_or_else(|| {
            AppError::Conflict("You have no connected account yet: start onboarding first.".into())
        })?;
        let session: Value = state
            .stripe
            .post_form(
                "/v1/account_sessions",
                &session_params(&config, &row.stripe_account_id, &components),
                &RequestOptions::new(),
            )
            .await
            .map_err(|e| to_app_error("prepare this view", &e))?;
        session["client_secret"]
            .as_str()
            .map(str::to_string)
            .ok_or(AppError::Internal)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn features_follow_the_configuration() {
            let config = PlatformConfig {
                owners_edit_payout_schedule: false,
                ..PlatformConfig::default()
            };
            let params = session_params(&config, "acct_1", &["payouts".to_string()]);
            let get = |k: &str| match params.get(k) {
                Some(stripe_client::ParamValue::Str(v)) => Some(v.clone()),
                _ => None,
            };
            assert_eq!(get("components[payouts][enabled]").as_deref(), Some("true"));
            assert_eq!(
                get("components[payouts][features][edit_payout_schedule]").as_deref(),
                Some("false")
            );
            assert_eq!(
                get("components[payouts][features][disable_stripe_user_authentication]").as_deref(),
                Some("false"),
                "Stripe forbids it unless the platform collects requirements without a dashboard"
            );
            assert!(get("components[payments][enabled]").is_none());
        }

        #[test]
        fn onboarding_component_only_for_embedded_onboarding() {
            let config = PlatformConfig::default();
            assert!(!allowed(&config, "account-onboarding"));
            assert!(allowed(&config, "payments"));
            let embedded = PlatformConfig {
                onboarding: OnboardingMode::Embedded,
                ..config
            };
            assert!(allowed(&embedded, "account-onboarding"));
            assert!(!allowed(&embedded, "tax-settings"));
        }
    }
}
