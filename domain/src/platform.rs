//! The platform's configuration: how connected accounts are created and onboarded, what owners
//! get in the portal, and the branding. Stripe forbids some combinations; [`PlatformConfig::validate`]
//! refuses them with the reason before anything reaches Stripe.

use serde::{Deserialize, Serialize};

use crate::fees::ApplicationFeeRule;

macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $slug:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value Stripe (or the settings form) uses.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            pub fn parse(slug: &str) -> Option<$name> {
                match slug { $($slug => Some($name::$variant),)+ _ => None }
            }

            /// Words for the settings page.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

slug_enum!(
    /// Which Accounts API creates and reads connected accounts.
    AccountApi {
        V1 => "v1", "Accounts v1 (controller properties)";
        V2 => "v2", "Accounts v2 (configurations)";
    }
);

slug_enum!(
    /// The Stripe dashboard the account's owner gets.
    Dashboard {
        Full => "full", "Full Stripe Dashboard";
        Express => "express", "Express Dashboard";
        None => "none", "No Stripe dashboard";
    }
);

slug_enum!(
    /// Who is responsible for something: the platform (`application`) or Stripe / the account.
    Party {
        Application => "application", "The platform";
        Stripe => "stripe", "Stripe";
    }
);

slug_enum!(
    /// Who pays Stripe's processing fees.
    FeesPayer {
        Application => "application", "The platform";
        Account => "account", "The connected account";
    }
);

slug_enum!(
    /// How an owner goes through onboarding.
    OnboardingMode {
        Hosted => "hosted", "Stripe-hosted onboarding (Account Links)";
        Embedded => "embedded", "Embedded onboarding component";
        ExpressOauth => "express_oauth", "Connect with Stripe (Express OAuth)";
    }
);

slug_enum!(
    /// Which requirements onboarding collects.
    CollectFields {
        CurrentlyDue => "currently_due", "Incremental: only what is due now";
        EventuallyDue => "eventually_due", "Up front: everything that will be due";
    }
);

slug_enum!(
    /// The portal's colour scheme (also given to the embedded components).
    Theme {
        System => "system", "Follow the device";
        Light => "light", "Light";
        Dark => "dark", "Dark";
    }
);

slug_enum!(
    /// How the embedded components open their overlays.
    Overlay {
        Dialog => "dialog", "Dialog";
        Drawer => "drawer", "Drawer";
    }
);

/// The v2 configurations an account is created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2Configurations {
    pub merchant: bool,
    pub customer: bool,
    pub recipient: bool,
}

impl V2Configurations {
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.customer {
            out.push("customer");
        }
        if self.merchant {
            out.push("merchant");
        }
        if self.recipient {
            out.push("recipient");
        }
        out
    }
}

/// Which embedded components owners get, and their features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentSettings {
    pub payments: bool,
    pub refund_management: bool,
    pub dispute_management: bool,
    pub capture_payments: bool,
    pub payouts: bool,
    pub instant_payouts: bool,
    pub standard_payouts: bool,
    pub external_account_collection: bool,
    pub balances: bool,
    pub documents: bool,
    pub account_management: bool,
    pub notification_banner: bool,
    /// Owners skip Stripe's own sign-in inside the components. Stripe allows it only where the
    /// platform collects requirements and the account has no Stripe dashboard.
    pub disable_stripe_user_authentication: bool,
}

impl Default for ComponentSettings {
    fn default() -> Self {
        ComponentSettings {
            payments: true,
            refund_management: true,
            dispute_management: true,
            capture_payments: true,
            payouts: true,
            instant_payouts: false,
            standard_payouts: true,
            external_account_collection: true,
            balances: true,
            documents: true,
            account_management: true,
            notification_banner: true,
            disable_stripe_user_authentication: false,
        }
    }
}

/// The portal's look, shared with the embedded components' `appearance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    /// `#rrggbb`.
    pub primary_color: String,
    /// A CSS font-family list.
    pub font_family: String,
    pub theme: Theme,
    pub overlays: Overlay,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            primary_color: "#4f46e5".to_string(),
            font_family: "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif".to_string(),
            theme: Theme::System,
            overlays: Overlay::Dialog,
        }
    }
}

/// Capabilities a platform may request for new accounts.
pub const KNOWN_CAPABILITIES: &[&str] = &[
    "card_payments",
    "transfers",
    "us_bank_account_ach_payments",
    "sepa_debit_payments",
    "link_payments",
];

/// Everything an admin configures about the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlatformConfig {
    pub account_api: AccountApi,
    /// v2 only.
    pub v2_configurations: V2Configurations,
    pub dashboard: Dashboard,
    pub fees_payer: FeesPayer,
    /// Who is liable for negative balances.
    pub losses: Party,
    pub requirement_collection: Party,
    /// v1 capability names (`card_payments`, `transfers`, …).
    pub capabilities: Vec<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub onboarding: OnboardingMode,
    pub collect: CollectFields,
    pub future_requirements: bool,
    /// The platform's Connect client id (`ca_…`), for OAuth.
    pub oauth_client_id: String,
    pub components: ComponentSettings,
    /// Owners may change their own payout schedule.
    pub owners_edit_payout_schedule: bool,
    pub branding: Branding,
    /// The application fee on test payments (direct charges).
    pub application_fee: ApplicationFeeRule,
}

impl Default for PlatformConfig {
    /// The documented defaults: v1 accounts with the Express Dashboard, the platform paying fees
    /// and liable for losses, Stripe collecting requirements through hosted onboarding.
    fn default() -> Self {
        PlatformConfig {
            account_api: AccountApi::V1,
            v2_configurations: V2Configurations {
                merchant: true,
                customer: false,
                recipient: false,
            },
            dashboard: Dashboard::Express,
            fees_payer: FeesPayer::Application,
            losses: Party::Application,
            requirement_collection: Party::Stripe,
            capabilities: vec!["card_payments".to_string(), "transfers".to_string()],
            country: "US".to_string(),
            onboarding: OnboardingMode::Hosted,
            collect: CollectFields::CurrentlyDue,
            future_requirements: false,
            oauth_client_id: String::new(),
            components: ComponentSettings::default(),
            owners_edit_payout_schedule: true,
            branding: Branding::default(),
            application_fee: ApplicationFeeRule::new(290, "usd", 30),
        }
    }
}

/// One refused setting: the form field it belongs to and the sentence shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: &str) -> ConfigProblem {
    ConfigProblem {
        field: field.to_string(),
        message: message.to_string(),
    }
}

/// `#rrggbb` (or `#rgb`).
pub fn is_hex_color(text: &str) -> bool {
    text.strip_prefix('#').is_some_and(|hex| {
        (hex.len() == 6 || hex.len() == 3) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// A font-family list that cannot break out of a CSS declaration.
pub fn is_safe_font_family(text: &str) -> bool {
    !text.trim().is_empty()
        && text.len() <= 200
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " ,-_\"'".contains(c))
}

impl PlatformConfig {
    /// Every reason Stripe (or the portal) would refuse this configuration; empty when it is
    /// usable.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        let platform_collects = self.requirement_collection == Party::Application;
        if platform_collects && self.dashboard != Dashboard::None {
            out.push(problem(
                "requirement_collection",
                "When the platform collects requirements, the account cannot have a Stripe dashboard: choose \"No Stripe dashboard\".",
            ));
        }
        if platform_collects && self.losses != Party::Application {
            out.push(problem(
                "losses",
                "When the platform collects requirements, the platform must be liable for negative balances.",
            ));
        }
        if self.dashboard == Dashboard::Express
            && (self.losses != Party::Application || self.fees_payer != FeesPayer::Application)
        {
            out.push(problem(
                "dashboard",
                "Accounts with the Express Dashboard need the platform to pay Stripe's fees and to be liable for negative balances.",
            ));
        }
        if self.fees_payer == FeesPayer::Account && self.losses == Party::Application {
            out.push(problem(
                "fees_payer",
                "When the platform is liable for negative balances, the platform must also pay Stripe's fees.",
            ));
        }
        if self.losses == Party::Stripe && self.fees_payer == FeesPayer::Application {
            out.push(problem(
                "fees_payer",
                "When Stripe is liable for negative balances, the connected account pays Stripe's fees.",
            ));
        }
        if self.components.disable_stripe_user_authentication
            && !(platform_collects && self.dashboard == Dashboard::None)
        {
            out.push(problem(
                "disable_stripe_user_authentication",
                "Stripe user authentication can be turned off only when the platform collects requirements and accounts have no Stripe dashboard.",
            ));
        }
        if self.account_api == AccountApi::V2 {
            let c = self.v2_configurations;
            if !(c.merchant || c.customer || c.recipient) {
                out.push(problem(
                    "v2_configurations",
                    "Choose at least one configuration (merchant, customer or recipient).",
                ));
            }
            if self.onboarding == OnboardingMode::ExpressOauth {
                out.push(problem(
                    "onboarding",
                    "OAuth connects v1 accounts: use hosted or embedded onboarding with Accounts v2.",
                ));
            }
        }
        if self.onboarding == OnboardingMode::ExpressOauth {
            if !(self.oauth_client_id.starts_with("ca_") && self.oauth_client_id.len() > 3) {
                out.push(problem(
                    "oauth_client_id",
                    "Express OAuth needs the platform's Connect client id (it starts with ca_).",
                ));
            }
            if self.dashboard != Dashboard::Express {
                out.push(problem(
                    "onboarding",
                    "Express OAuth creates Express accounts: choose the Express Dashboard.",
                ));
            }
        }
        if self.account_api == AccountApi::V1 && self.capabilities.is_empty() {
            out.push(problem(
                "capabilities",
                "Request at least one capability (card_payments or transfers).",
            ));
        }
        if let Some(unknown) = self
            .capabilities
            .iter()
            .find(|c| !KNOWN_CAPABILITIES.contains(&c.as_str()))
        {
            out.push(ConfigProblem {
                field: "capabilities".to_string(),
                message: format!("\"{unknown}\" is not a capability this portal can request."),
            });
        }
        if !(self.country.len() == 2 && self.country.bytes().all(|b| b.is_ascii_uppercase())) {
            out.push(problem(
                "country",
                "Enter the default country as a two-letter code, like US or DE.",
            ));
        }
        if !is_hex_color(&self.branding.primary_color) {
            out.push(problem(
                "primary_color",
                "Enter the primary colour as #rrggbb, like #4f46e5.",
            ));
        }
        if !is_safe_font_family(&self.branding.font_family) {
            out.push(problem(
                "font_family",
                "Enter font names separated by commas (letters, digits, spaces, quotes and hyphens).",
            ));
        }
        if let Err(e) = self.application_fee.validate() {
            out.push(ConfigProblem {
                field: "application_fee".to_string(),
                message: e.to_string(),
            });
        }
        out
    }

    /// `Ok` when Stripe would accept this configuration.
    pub fn validate(&self) -> Result<(), Vec<ConfigProblem>> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// `account_update` Account Links exist only where the platform collects requirements.
    pub fn uses_update_links(&self) -> bool {
        self.requirement_collection == Party::Application && self.dashboard == Dashboard::None
    }

    /// Whether `disable_stripe_user_authentication` may be sent (and is wanted).
    pub fn disables_stripe_user_authentication(&self) -> bool {
        self.components.disable_stripe_user_authentication
            && self.requirement_collection == Party::Application
            && self.dashboard == Dashboard::None
    }

    /// How an owner updates their information once onboarded.
    pub fn update_route(&self) -> UpdateRoute {
        if self.uses_update_links() {
            UpdateRoute::UpdateLink
        } else if self.dashboard == Dashboard::Express && !self.components.account_management {
            UpdateRoute::ExpressDashboard
        } else if self.components.account_management {
            UpdateRoute::AccountManagement
        } else if self.dashboard == Dashboard::Express {
            UpdateRoute::ExpressDashboard
        } else {
            UpdateRoute::StripeDashboard
        }
    }

    /// v1 create parameters for a new connected account (form-encoded pairs).
    pub fn v1_account_params(&self, email: &str) -> Vec<(String, String)> {
        let mut params = vec![
            ("country".to_string(), self.country.clone()),
            ("email".to_string(), email.to_string()),
            (
                "controller[fees][payer]".to_string(),
                self.fees_payer.slug().to_string(),
            ),
            (
                "controller[losses][payments]".to_string(),
                self.losses.slug().to_string(),
            ),
            (
                "controller[requirement_collection]".to_string(),
                self.requirement_collection.slug().to_string(),
            ),
            (
                "controller[stripe_dashboard][type]".to_string(),
                self.dashboard.slug().to_string(),
            ),
        ];
        for capability in &self.capabilities {
            params.push((
                format!("capabilities[{capability}][requested]"),
                "true".to_string(),
            ));
        }
        params
    }

    /// Collection options for Account Links and the onboarding component.
    pub fn collection_fields(&self) -> &'static str {
        self.collect.slug()
    }

    pub fn future_requirements_option(&self) -> &'static str {
        if self.future_requirements {
            "include"
        } else {
            "omit"
        }
    }
}

/// How an owner updates their details after onboarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UpdateRoute {
    /// An `account_update` Account Link (the platform collects requirements).
    UpdateLink,
    /// The embedded account-management component.
    AccountManagement,
    /// A login link to the Express Dashboard.
    ExpressDashboard,
    /// The owner's own Stripe Dashboard.
    StripeDashboard,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(problems: &[ConfigProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn the_documented_defaults_are_valid() {
        assert_eq!(PlatformConfig::default().problems(), vec![]);
    }

    #[test]
    fn slugs_round_trip() {
        for d in Dashboard::ALL {
            assert_eq!(Dashboard::parse(d.slug()), Some(*d));
        }
        for m in OnboardingMode::ALL {
            assert_eq!(OnboardingMode::parse(m.slug()), Some(*m));
        }
        assert_eq!(AccountApi::parse("v3"), None);
    }

    #[test]
    fn platform_collecting_requirements_needs_no_dashboard_and_platform_losses() {
        let config = PlatformConfig {
            requirement_collection: Party::Application,
            ..PlatformConfig::default()
        };
        assert!(names(&config.problems()).contains(&"requirement_collection"));
        let config = PlatformConfig {
            requirement_collection: Party::Application,
            dashboard: Dashboard::None,
            ..PlatformConfig::default()
        };
        assert_eq!(config.problems(), vec![]);
        assert!(config.uses_update_links());
        assert_eq!(config.update_route(), UpdateRoute::UpdateLink);
        let config = PlatformConfig {
            losses: Party::Stripe,
            fees_payer: FeesPayer::Account,
            ..config
        };
        assert!(names(&config.problems()).contains(&"losses"));
    }

    #[test]
    fn express_needs_the_platform_to_pay_fees_and_carry_losses() {
        let config = PlatformConfig {
            fees_payer: FeesPayer::Account,
            losses: Party::Stripe,
            ..PlatformConfig::default()
        };
        assert!(names(&config.problems()).contains(&"dashboard"));
        let full = PlatformConfig {
            dashboard: Dashboard::Full,
            ..config
        };
        assert_eq!(full.problems(), vec![]);
        assert!(!full.uses_update_links());
    }

    #[test]
    fn stripe_user_authentication_stays_on_unless_the_platform_collects_without_a_dashboard() {
        let mut config = PlatformConfig::default();
        config.components.disable_stripe_user_authentication = true;
        assert!(names(&config.problems()).contains(&"disable_stripe_user_authentication"));
        assert!(!config.disables_stripe_user_authentication());
        config.requirement_collection = Party::Application;
        config.dashboard = Dashboard::None;
        assert_eq!(config.problems(), vec![]);
        assert!(config.disables_stripe_user_authentication());
    }

    #[test]
    fn oauth_needs_a_client_id_and_express() {
        let config = PlatformConfig {
            onboarding: OnboardingMode::ExpressOauth,
            ..PlatformConfig::default()
        };
        assert_eq!(names(&config.problems()), vec!["oauth_client_id"]);
        let config = PlatformConfig {
            oauth_client_id: "ca_123".to_string(),
            ..config
        };
        assert_eq!(config.problems(), vec![]);
        let v2 = PlatformConfig {
            account_api: AccountApi::V2,
            ..config
        };
        assert!(names(&v2.problems()).contains(&"onboarding"));
    }

    #[test]
    fn branding_and_country_are_checked() {
        let mut config = PlatformConfig::default();
        config.branding.primary_color = "red; background: url(x)".to_string();
        config.branding.font_family = "Inter; }".to_string();
        config.country = "usa".to_string();
        config.capabilities = vec!["card_payments".into(), "teleport".into()];
        assert_eq!(
            names(&config.problems()),
            vec!["capabilities", "country", "primary_color", "font_family"]
        );
        assert!(is_hex_color("#0a0B0c"));
        assert!(is_safe_font_family("\"Inter\", sans-serif"));
    }

    #[test]
    fn v1_create_parameters_follow_the_configuration() {
        let params = PlatformConfig::default().v1_account_params("o@example.com");
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("controller[stripe_dashboard][type]"), Some("express"));
        assert_eq!(get("controller[fees][payer]"), Some("application"));
        assert_eq!(get("capabilities[transfers][requested]"), Some("true"));
        assert_eq!(get("country"), Some("US"));
    }

    #[test]
    fn stored_settings_missing_new_fields_get_defaults() {
        let config: PlatformConfig = serde_json_like_defaults();
        assert_eq!(config, PlatformConfig::default());
    }

    fn serde_json_like_defaults() -> PlatformConfig {
        serde_json::from_str("{}").unwrap()
    }
}
