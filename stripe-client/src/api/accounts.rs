//! `/v1/accounts`: accounts, capabilities, external accounts and login links.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ListParams;
use crate::client::{segment, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::account::{
    Account, AccountType, BusinessType, DashboardType, FeePayer, LossesPayer, PayoutScheduleParams,
    RequirementCollection,
};
use crate::models::capability::Capability;
use crate::models::external_account::ExternalAccount;
use crate::models::links::LoginLink;
use crate::models::list::List;
use crate::models::{Deleted, Metadata};
use crate::params::Params;

/// `controller` when creating an account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ControllerParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fees: Option<FeesParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub losses: Option<LossesParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement_collection: Option<RequirementCollection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripe_dashboard: Option<StripeDashboardParams>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeesParams {
    pub payer: FeePayer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LossesParams {
    pub payments: LossesPayer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StripeDashboardParams {
    #[serde(rename = "type")]
    pub dashboard_type: DashboardType,
}

impl ControllerParams {
    /// All four controller properties at once.
    pub fn new(
        fees_payer: FeePayer,
        losses_payments: LossesPayer,
        requirement_collection: RequirementCollection,
        dashboard: DashboardType,
    ) -> Self {
        Self {
            fees: Some(FeesParams { payer: fees_payer }),
            losses: Some(LossesParams {
                payments: losses_payments,
            }),
            requirement_collection: Some(requirement_collection),
            stripe_dashboard: Some(StripeDashboardParams {
                dashboard_type: dashboard,
            }),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BusinessProfileParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mcc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CapabilityRequest {
    pub requested: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SettingsParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payouts: Option<PayoutSettingsParams>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PayoutSettingsParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<PayoutScheduleParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debit_negative_balances: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
}

impl SettingsParams {
    pub fn payout_schedule(schedule: PayoutScheduleParams) -> Self {
        Self {
            payouts: Some(PayoutSettingsParams {
                schedule: Some(schedule),
                ..Default::default()
            }),
        }
    }
}

/// `POST /v1/accounts`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CreateAccount {
    /// Leave unset when using `controller` (the recommended way).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub account_type: Option<AccountType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_type: Option<BusinessType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_profile: Option<BusinessProfileParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<ControllerParams>,
    /// Capability name → `requested`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub capabilities: BTreeMap<String, CapabilityRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<SettingsParams>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

impl CreateAccount {
    /// Requests capabilities (`capabilities[<name>][requested]=true`).
    pub fn request_capabilities<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for name in names {
            self.capabilities
                .insert(name.into(), CapabilityRequest { requested: true });
        }
        self
    }

    pub fn to_params(&self) -> Result<Params, StripeError> {
        Params::from_serialize(self)
    }
}

/// `POST /v1/accounts/{id}`. Metadata values of `None` delete the key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateAccount {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_type: Option<BusinessType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_profile: Option<BusinessProfileParams>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub capabilities: BTreeMap<String, CapabilityRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<SettingsParams>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Option<String>>,
}

impl UpdateAccount {
    /// Only the payout schedule.
    pub fn payout_schedule(schedule: PayoutScheduleParams) -> Self {
        Self {
            settings: Some(SettingsParams::payout_schedule(schedule)),
            ..Default::default()
        }
    }

    pub fn to_params(&self) -> Result<Params, StripeError> {
        Params::from_serialize(self)
    }
}

/// A new payout destination for `POST /v1/accounts/{id}/external_accounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternalAccountSource {
    /// A token from Stripe.js / Financial Connections (`btok_…`, `tok_…`).
    Token(String),
    /// Bank details sent directly (`external_account[object]=bank_account`).
    BankAccount {
        country: String,
        currency: String,
        account_number: String,
        routing_number: Option<String>,
        account_holder_name: Option<String>,
        account_holder_type: Option<String>,
    },
}

impl ExternalAccountSource {
    fn to_params(&self) -> Params {
        match self {
            ExternalAccountSource::Token(token) => {
                Params::new().set("external_account", token.as_str())
            }
            ExternalAccountSource::BankAccount {
                country,
                currency,
                account_number,
                routing_number,
                account_holder_name,
                account_holder_type,
            } => Params::new().nested("external_account", |p| {
                p.set("object", "bank_account")
                    .set("country", country.as_str())
                    .set("currency", currency.as_str())
                    .set("account_number", account_number.as_str())
                    .set_opt("routing_number", routing_number.as_deref())
                    .set_opt("account_holder_name", account_holder_name.as_deref())
                    .set_opt("account_holder_type", account_holder_type.as_deref())
            }),
        }
    }
}

impl StripeClient {
    /// `POST /v1/accounts`. Pass an idempotency key in `opts` (e.g. `create-account-<owner>`)
    /// so a repeated request cannot create a second account.
    pub async fn create_account(
        &self,
        params: &CreateAccount,
        opts: &RequestOptions,
    ) -> Result<Account, StripeError> {
        self.post_form("/v1/accounts", &params.to_params()?, opts)
            .await
    }

    /// `GET /v1/accounts/{id}`; `expand` e.g. `["external_accounts"]` is sent as `expand[]`.
    pub async fn retrieve_account(
        &self,
        id: &str,
        expand: &[&str],
        opts: &RequestOptions,
    ) -> Result<Account, StripeError> {
        let path = format!("/v1/accounts/{}", segment(id)?);
        self.get(&path, &Params::new().expand(expand.iter().copied()), opts)
            .await
    }

    /// `POST /v1/accounts/{id}`.
    pub async fn update_account(
        &self,
        id: &str,
        params: &UpdateAccount,
        opts: &RequestOptions,
    ) -> Result<Account, StripeError> {
        let path = format!("/v1/accounts/{}", segment(id)?);
        self.post_form(&path, &params.to_params()?, opts).await
    }

    /// `GET /v1/accounts`.
    pub async fn list_accounts(
        &self,
        list: &ListParams,
        opts: &RequestOptions,
    ) -> Result<List<Account>, StripeError> {
        self.get("/v1/accounts", &list.to_params(), opts).await
    }

    /// `DELETE /v1/accounts/{id}` (only accounts the platform is liable for).
    pub async fn delete_account(
        &self,
        id: &str,
        opts: &RequestOptions,
    ) -> Result<Deleted, StripeError> {
        let path = format!("/v1/accounts/{}", segment(id)?);
        self.delete(&path, opts).await
    }

    /// `POST /v1/accounts/{id}/reject` with one of Stripe's `reason` values (`fraud_other`,
    /// `credit`, `terms_of_service`, `other`, …: OpenAPI `PostAccountsAccountReject`).
    pub async fn reject_account(
        &self,
        id: &str,
        reason: &str,
        opts: &RequestOptions,
    ) -> Result<Account, StripeError> {
        let path = format!("/v1/accounts/{}/reject", segment(id)?);
        self.post_form(&path, &Params::new().set("reason", reason), opts)
            .await
    }

    /// `GET /v1/accounts/{id}/capabilities`.
    pub async fn list_capabilities(
        &self,
        account: &str,
        opts: &RequestOptions,
    ) -> Result<List<Capability>, StripeError> {
        let path = format!("/v1/accounts/{}/capabilities", segment(account)?);
        self.get(&path, &Params::new(), opts).await
    }

    /// `GET /v1/accounts/{id}/capabilities/{capability}`.
    pub async fn retrieve_capability(
        &self,
        account: &str,
        capability: &str,
        opts: &RequestOptions,
    ) -> Result<Capability, StripeError> {
        let path = format!(
            "/v1/accounts/{}/capabilities/{}",
            segment(account)?,
            segment(capability)?
        );
        self.get(&path, &Params::new(), opts).await
    }

    /// `POST /v1/accounts/{id}/capabilities/{capability}` with `requested`.
    pub async fn update_capability(
        &self,
        account: &str,
        capability: &str,
        requested: bool,
        opts: &RequestOptions,
    ) -> Result<Capability, StripeError> {
        let path = format!(
            "/v1/accounts/{}/capabilities/{}",
            segment(account)?,
            segment(capability)?
        );
        self.post_form(&path, &Params::new().set("requested", requested), opts)
            .await
    }

    /// `POST /v1/accounts/{id}/external_accounts`.
    pub async fn create_external_account(
        &self,
        account: &str,
        source: &ExternalAccountSource,
        default_for_currency: Option<bool>,
        opts: &RequestOptions,
    ) -> Result<ExternalAccount, StripeError> {
        let path = format!("/v1/accounts/{}/external_accounts", segment(account)?);
        let params = source
            .to_params()
            .set_opt("default_for_currency", default_for_currency);
        self.post_form(&path, &params, opts).await
    }

    /// `GET /v1/accounts/{id}/external_accounts`; `object` filters to `bank_account` or `card`.
    pub async fn list_external_accounts(
        &self,
        account: &str,
        object: Option<&str>,
        list: &ListParams,
        opts: &RequestOptions,
    ) -> Result<List<ExternalAccount>, StripeError> {
        let path = format!("/v1/accounts/{}/external_accounts", segment(account)?);
        let params = list.to_params().set_opt("object", object);
        self.get(&path, &params, opts).await
    }

    /// `POST /v1/accounts/{id}/login_links`: a single-use Express dashboard link.
    pub async fn create_login_link(
        &self,
        account: &str,
        opts: &RequestOptions,
    ) -> Result<LoginLink, StripeError> {
        let path = format!("/v1/accounts/{}/login_links", segment(account)?);
        self.post_form(&path, &Params::new(), opts).await
    }
}
