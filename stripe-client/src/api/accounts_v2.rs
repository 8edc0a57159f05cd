//! `/v2/core/accounts` (JSON; `Stripe-Version: …preview`).

use serde::Serialize;

use crate::client::{segment, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::account::DashboardType;
use crate::models::v2::{AccountInclude, AccountV2, Collector, FeesCollector};
use crate::models::Metadata;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResponsibilitiesParams {
    pub fees_collector: FeesCollector,
    pub losses_collector: Collector,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DefaultsParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locales: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsibilities: Option<ResponsibilitiesParams>,
}

/// Body of `POST /v2/core/accounts` and `POST /v2/core/accounts/{id}`. `configuration` and
/// `identity` are large, versioned trees and are passed as JSON, e.g.
/// `{"merchant": {"capabilities": {"card_payments": {"requested": true}}}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AccountV2Params {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<DashboardType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<DefaultsParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// Parts of the account to return in the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<AccountInclude>,
}

impl StripeClient {
    /// `POST /v2/core/accounts`. Pass an idempotency key to make it happen once per owner.
    pub async fn create_account_v2(
        &self,
        params: &AccountV2Params,
        opts: &RequestOptions,
    ) -> Result<AccountV2, StripeError> {
        self.post_json("/v2/core/accounts", params, opts).await
    }

    /// `GET /v2/core/accounts/{id}?include=…` (requirements come back only when included).
    pub async fn retrieve_account_v2(
        &self,
        id: &str,
        include: &[AccountInclude],
        opts: &RequestOptions,
    ) -> Result<AccountV2, StripeError> {
        let path = format!("/v2/core/accounts/{}", segment(id)?);
        let query: Vec<(&str, &str)> = include.iter().map(|i| ("include", i.as_str())).collect();
        self.get_v2(&path, &query, opts).await
    }

    /// `POST /v2/core/accounts/{id}`.
    pub async fn update_account_v2(
        &self,
        id: &str,
        params: &AccountV2Params,
        opts: &RequestOptions,
    ) -> Result<AccountV2, StripeError> {
        let path = format!("/v2/core/accounts/{}", segment(id)?);
        self.post_json(&path, params, opts).await
    }
}
