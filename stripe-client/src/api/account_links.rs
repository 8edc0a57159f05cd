//! `POST /v1/account_links` (v1) and `POST /v2/core/account_links` (v2).

use serde::Serialize;

use crate::client::{RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::links::{AccountLink, AccountLinkType, CollectionFields, FutureRequirements};
use crate::models::v2::{AccountLinkV2, CreateAccountLinkV2};
use crate::params::Params;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CollectionOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<CollectionFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub future_requirements: Option<FutureRequirements>,
}

/// `POST /v1/account_links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateAccountLink {
    pub account: String,
    #[serde(rename = "type")]
    pub link_type: AccountLinkType,
    pub refresh_url: String,
    pub return_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_options: Option<CollectionOptions>,
}

impl CreateAccountLink {
    pub fn onboarding(
        account: impl Into<String>,
        refresh_url: impl Into<String>,
        return_url: impl Into<String>,
    ) -> Self {
        Self {
            account: account.into(),
            link_type: AccountLinkType::AccountOnboarding,
            refresh_url: refresh_url.into(),
            return_url: return_url.into(),
            collection_options: None,
        }
    }

    /// `account_update` links work only where the platform collects requirements.
    pub fn update(
        account: impl Into<String>,
        refresh_url: impl Into<String>,
        return_url: impl Into<String>,
    ) -> Self {
        Self {
            link_type: AccountLinkType::AccountUpdate,
            ..Self::onboarding(account, refresh_url, return_url)
        }
    }

    pub fn collect(mut self, fields: CollectionFields, future: Option<FutureRequirements>) -> Self {
        self.collection_options = Some(CollectionOptions {
            fields: Some(fields),
            future_requirements: future,
        });
        self
    }
}

impl StripeClient {
    /// `POST /v1/account_links`: a single-use hosted onboarding URL.
    pub async fn create_account_link(
        &self,
        params: &CreateAccountLink,
        opts: &RequestOptions,
    ) -> Result<AccountLink, StripeError> {
        self.post_form("/v1/account_links", &Params::from_serialize(params)?, opts)
            .await
    }

    /// `POST /v2/core/account_links` (JSON).
    pub async fn create_account_link_v2(
        &self,
        params: &CreateAccountLinkV2,
        opts: &RequestOptions,
    ) -> Result<AccountLinkV2, StripeError> {
        self.post_json("/v2/core/account_links", params, opts).await
    }
}
