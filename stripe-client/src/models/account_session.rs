//! Account Sessions for Connect embedded components: the typed request (every component and
//! feature Stripe documents) and the answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::null_default;
use crate::secret::SecretString;

/// `POST /v1/account_sessions` → a single-use client secret for Connect.js. Never store it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccountSession {
    #[serde(default)]
    pub object: String,
    pub account: String,
    /// Hand it to the browser's `fetchClientSecret`; it never appears in `Debug` output.
    pub client_secret: SecretString,
    pub expires_at: i64,
    #[serde(default)]
    pub livemode: bool,
    /// Component name → whether it is enabled and its features.
    #[serde(default, deserialize_with = "null_default")]
    pub components: BTreeMap<String, ComponentState>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ComponentState {
    #[serde(default)]
    pub enabled: bool,
    /// Feature name → value (booleans today).
    #[serde(default, deserialize_with = "null_default")]
    pub features: BTreeMap<String, serde_json::Value>,
}

impl AccountSession {
    pub fn is_enabled(&self, component: &str) -> bool {
        self.components.get(component).is_some_and(|c| c.enabled)
    }
}

/// One component in a request: `components[<name>][enabled]=true` and its `features`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ComponentConfig<F> {
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<F>,
}

impl<F> ComponentConfig<F> {
    pub fn enabled(features: F) -> Self {
        Self {
            enabled: true,
            features: Some(features),
        }
    }
}

/// Declares a features struct whose fields are all `Option<bool>`, with the list of its names.
macro_rules! features {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
        pub struct $name {
            $(
                $(#[$fdoc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<bool>,
            )*
        }

        impl ComponentFeatures for $name {
            const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];
        }
    };
}

/// A features type of one or more components.
pub trait ComponentFeatures {
    /// The feature names this type can set.
    const NAMES: &'static [&'static str];
}

features! {
    /// Components without features (documents, payouts_list, payout_details, tax_settings,
    /// tax_registrations, balance_report, payout_reconciliation_report).
    NoFeatures {}
}

features! {
    /// account_onboarding, account_management, notification_banner.
    AccountFeatures {
        /// Only where the platform collects requirements and the Stripe dashboard is `none`.
        disable_stripe_user_authentication,
        external_account_collection,
    }
}

features! {
    /// payouts, balances.
    PayoutsFeatures {
        disable_stripe_user_authentication,
        edit_payout_schedule,
        external_account_collection,
        instant_payouts,
        standard_payouts,
    }
}

features! {
    /// payments, payment_details, disputes_list.
    PaymentsFeatures {
        capture_payments,
        destination_on_behalf_of_charge_management,
        dispute_management,
        refund_management,
        smart_disputes_management,
    }
}

features! {
    /// payment_disputes.
    PaymentDisputesFeatures {
        destination_on_behalf_of_charge_management,
        dispute_management,
        refund_management,
        smart_disputes_management,
    }
}

features! {
    /// instant_payouts_promotion.
    InstantPayoutsPromotionFeatures {
        disable_stripe_user_authentication,
        external_account_collection,
        instant_payouts,
    }
}

features! {
    /// financial_account.
    FinancialAccountFeatures {
        disable_stripe_user_authentication,
        external_account_collection,
        send_money,
        transfer_balance,
    }
}

features! {
    /// financial_account_transactions.
    FinancialAccountTransactionsFeatures {
        card_spend_dispute_management,
    }
}

features! {
    /// issuing_card, issuing_cards_list (`disable_stripe_user_authentication`: list only).
    IssuingCardFeatures {
        card_management,
        card_spend_dispute_management,
        cardholder_management,
        disable_stripe_user_authentication,
        spend_control_management,
    }
}

features! {
    /// payment_method_settings.
    PaymentMethodSettingsFeatures {
        disable_stripe_user_authentication,
    }
}

macro_rules! components {
    ($($(#[$doc:meta])* $name:ident : $features:ty),* $(,)?) => {
        /// `components` of `POST /v1/account_sessions`. Each setter enables one component with
        /// its features; components left unset are not sent.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
        pub struct AccountSessionComponents {
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $name: Option<ComponentConfig<$features>>,
            )*
        }

        impl AccountSessionComponents {
            pub fn new() -> Self {
                Self::default()
            }

            $(
                $(#[$doc])*
                pub fn $name(mut self, features: $features) -> Self {
                    self.$name = Some(ComponentConfig::enabled(features));
                    self
                }
            )*

            /// Every component name and the features it accepts.
            pub const COMPONENTS: &'static [(&'static str, &'static [&'static str])] =
                &[$((stringify!($name), <$features as ComponentFeatures>::NAMES)),*];

            /// Names of the components this request enables.
            pub fn enabled_names(&self) -> Vec<&'static str> {
                let mut names = Vec::new();
                $(
                    if self.$name.as_ref().is_some_and(|c| c.enabled) {
                        names.push(stringify!($name));
                    }
                )*
                names
            }
        }
    };
}

components! {
    /// `<stripe-connect-account-onboarding>`.
    account_onboarding: AccountFeatures,
    /// `<stripe-connect-account-management>`.
    account_management: AccountFeatures,
    /// `<stripe-connect-notification-banner>`.
    notification_banner: AccountFeatures,
    payments: PaymentsFeatures,
    payment_details: PaymentsFeatures,
    payment_disputes: PaymentDisputesFeatures,
    disputes_list: PaymentsFeatures,
    payouts: PayoutsFeatures,
    payouts_list: NoFeatures,
    payout_details: NoFeatures,
    balances: PayoutsFeatures,
    documents: NoFeatures,
    tax_registrations: NoFeatures,
    tax_settings: NoFeatures,
    instant_payouts_promotion: InstantPayoutsPromotionFeatures,
    balance_report: NoFeatures,
    payout_reconciliation_report: NoFeatures,
    financial_account: FinancialAccountFeatures,
    financial_account_transactions: FinancialAccountTransactionsFeatures,
    issuing_card: IssuingCardFeatures,
    issuing_cards_list: IssuingCardFeatures,
    payment_method_settings: PaymentMethodSettingsFeatures,
}

/// The whole `POST /v1/account_sessions` request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateAccountSession {
    pub account: String,
    pub components: AccountSessionComponents,
}

impl CreateAccountSession {
    pub fn new(account: impl Into<String>, components: AccountSessionComponents) -> Self {
        Self {
            account: account.into(),
            components,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn components_encode_with_enabled_and_features() {
        let request = CreateAccountSession::new(
            "acct_1",
            AccountSessionComponents::new()
                .account_onboarding(AccountFeatures {
                    external_account_collection: Some(true),
                    ..Default::default()
                })
                .payouts(PayoutsFeatures {
                    edit_payout_schedule: Some(true),
                    instant_payouts: Some(false),
                    ..Default::default()
                })
                .documents(NoFeatures {}),
        );
        let form = Params::from_serialize(&request).unwrap().to_form();
        assert_eq!(
            form,
            "account=acct_1\
             &components[account_onboarding][enabled]=true\
             &components[account_onboarding][features][external_account_collection]=true\
             &components[documents][enabled]=true\
             &components[payouts][enabled]=true\
             &components[payouts][features][edit_payout_schedule]=true\
             &components[payouts][features][instant_payouts]=false"
        );
        assert_eq!(
            request.components.enabled_names(),
            vec!["account_onboarding", "payouts", "documents"]
        );
    }

    #[test]
    fn every_component_and_feature_in_the_spec_can_be_expressed() {
        // Stripe's OpenAPI schema `connect_embedded_account_session_create_components`.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../stripe-spec/stripe-connect-subset.json"
        );
        let spec: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(path).expect("stripe-spec/ in the repository"),
        )
        .unwrap();
        let schemas = &spec["components"]["schemas"];
        let create = schemas["connect_embedded_account_session_create_components"]["properties"]
            .as_object()
            .unwrap();
        let mut ours: Vec<&str> = AccountSessionComponents::COMPONENTS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        ours.sort_unstable();
        let mut theirs: Vec<&str> = create.keys().map(String::as_str).collect();
        theirs.sort_unstable();
        assert_eq!(ours, theirs);

        for (name, features) in AccountSessionComponents::COMPONENTS {
            let config = create[*name]["$ref"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            let spec_features: Vec<&str> = schemas[config]["properties"]["features"]["$ref"]
                .as_str()
                .map(|r| r.rsplit('/').next().unwrap())
                .and_then(|f| schemas[f]["properties"].as_object())
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let mut spec_features = spec_features;
            spec_features.sort_unstable();
            let mut our_features = features.to_vec();
            our_features.sort_unstable();
            // issuing_card shares its type with issuing_cards_list, which has one more feature.
            if *name == "issuing_card" {
                our_features.retain(|f| *f != "disable_stripe_user_authentication");
            }
            assert_eq!(our_features, spec_features, "features of {name}");
        }
    }
}
