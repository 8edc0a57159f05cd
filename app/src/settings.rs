//! Platform settings in the console: the whole platform configuration as a form. Refused
//! combinations come back next to their field with Stripe's reason; saving is audited.

// The form posts one field per argument (it must work as a plain form before hydration).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use domain::platform::PlatformConfig;
use leptos::prelude::*;

#[server]
pub async fn get_platform_settings() -> Result<PlatformConfig, AppError> {
    crate::error::with_status(ssr::get().await)
}

/// Checkboxes arrive only when ticked (`Some`); selects and inputs as typed.
#[server]
pub async fn save_platform_settings(
    account_api: String,
    v2_merchant: Option<String>,
    v2_customer: Option<String>,
    v2_recipient: Option<String>,
    dashboard: String,
    fees_payer: String,
    losses: String,
    requirement_collection: String,
    capabilities: String,
    country: String,
    onboarding: String,
    collect: String,
    future_requirements: Option<String>,
    oauth_client_id: String,
    payments: Option<String>,
    refund_management: Option<String>,
    dispute_management: Option<String>,
    capture_payments: Option<String>,
    payouts: Option<String>,
    instant_payouts: Option<String>,
    standard_payouts: Option<String>,
    external_account_collection: Option<String>,
    balances: Option<String>,
    documents: Option<String>,
    account_management: Option<String>,
    notification_banner: Option<String>,
    disable_stripe_user_authentication: Option<String>,
    owners_edit_payout_schedule: Option<String>,
    primary_color: String,
    font_family: String,
    theme: String,
    overlays: String,
    fee_percent: String,
    fee_fixed: String,
    fee_currency: String,
) -> Result<(), AppError> {
    use domain::platform::*;
    fn pick<T>(field: &str, value: Option<T>) -> Result<T, AppError> {
        value.ok_or_else(|| AppError::invalid(field, "Choose one of the options."))
    }
    let on = |v: &Option<String>| v.is_some();
    let build = || -> Result<PlatformConfig, AppError> {
        let currency = fee_currency.trim().to_ascii_lowercase();
        let percent_bps = domain::fees::parse_percent_bps(&fee_percent)
            .map_err(|e| AppError::invalid("fee_percent", e.to_string()))?;
        let fixed = if fee_fixed.trim().is_empty() {
            0
        } else {
            domain::money::parse_amount(&fee_fixed, &currency)
                .map_err(|e| AppError::invalid("fee_fixed", e.to_string()))?
        };
        Ok(PlatformConfig {
            account_api: pick("account_api", AccountApi::parse(&account_api))?,
            v2_configurations: V2Configurations {
                merchant: on(&v2_merchant),
                customer: on(&v2_customer),
                recipient: on(&v2_recipient),
            },
            dashboard: pick("dashboard", Dashboard::parse(&dashboard))?,
            fees_payer: pick("fees_payer", FeesPayer::parse(&fees_payer))?,
            losses: pick("losses", Party::parse(&losses))?,
            requirement_collection: pick(
                "requirement_collection",
                Party::parse(&requirement_collection),
            )?,
            capabilities: capabilities
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            country: country.trim().to_ascii_uppercase(),
            onboarding: pick("onboarding", OnboardingMode::parse(&onboarding))?,
            collect: pick("collect", CollectFields::parse(&collect))?,
            future_requirements: on(&future_requirements),
            oauth_client_id: oauth_client_id.trim().to_string(),
            components: ComponentSettings {
                payments: on(&payments),
                refund_management: on(&refund_management),
                dispute_management: on(&dispute_management),
                capture_payments: on(&capture_payments),
                payouts: on(&payouts),
                instant_payouts: on(&instant_payouts),
                standard_payouts: on(&standard_payouts),
                external_account_collection: on(&external_account_collection),
                balances: on(&balances),
                documents: on(&documents),
                account_management: on(&account_management),
                notification_banner: on(&notification_banner),
                disable_stripe_user_authentication: on(&disable_stripe_user_authentication),
            },
            owners_edit_payout_schedule: on(&owners_edit_payout_schedule),
            branding: Branding {
                primary_color: primary_color.trim().to_string(),
                font_family: font_family.trim().to_string(),
                theme: pick("theme", Theme::parse(&theme))?,
                overlays: pick("overlays", Overlay::parse(&overlays))?,
            },
            application_fee: domain::fees::ApplicationFeeRule::new(percent_bps, &currency, fixed),
        })
    };
    crate::error::with_status(
        async {
            // Who may save comes before what was sent.
            let admin = ssr::authorize().await?;
            let config = build()?;
            ssr::save(admin, config).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::{ssr as auth, CurrentUser, Role};
    use crate::db::{audit_log, unix_now};
    use crate::error::AppError;
    use crate::state::app_state;
    use domain::platform::PlatformConfig;

    pub async fn get() -> Result<PlatformConfig, AppError> {
        auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        Ok(crate::platform::current(&state).await?)
    }

    pub async fn authorize() -> Result<CurrentUser, AppError> {
        auth::require_role(Role::Admin).await
    }

    pub async fn save(user: CurrentUser, config: PlatformConfig) -> Result<(), AppError> {
        let state = app_state()?;
        match crate::platform::save(&state, &config, user.id).await {
            Ok(()) => {}
            Err(crate::platform::SaveError::Invalid(problems)) => {
                let first = &problems[0];
                return Err(AppError::invalid(&first.field, first.message.clone()));
            }
            Err(crate::platform::SaveError::Db(e)) => return Err(e.into()),
        }
        audit_log::record(
            &state.db,
            unix_now(),
            user.id,
            &user.email,
            "platform settings",
            None,
            "",
        )
        .await?;
        tracing::info!(admin = user.id, "platform settings saved");
        Ok(())
    }
}
