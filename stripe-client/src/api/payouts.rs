//! `/v1/payouts` (for a connected account: `opts.stripe_account`).

use serde::Serialize;

use super::ListParams;
use crate::client::{segment, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::list::List;
use crate::models::payout::{Payout, PayoutMethod, PayoutStatus};
use crate::models::Metadata;
use crate::params::Params;

/// `POST /v1/payouts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreatePayout {
    /// Minor units.
    pub amount: i64,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A bank account or card id of the account; its default when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<PayoutMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

impl CreatePayout {
    pub fn new(amount: i64, currency: impl Into<String>) -> Self {
        Self {
            amount,
            currency: currency.into(),
            description: None,
            destination: None,
            method: None,
            statement_descriptor: None,
            metadata: Metadata::new(),
        }
    }
}

/// `GET /v1/payouts` filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPayouts {
    pub list: ListParams,
    pub status: Option<PayoutStatus>,
    pub destination: Option<String>,
}

impl StripeClient {
    pub async fn list_payouts(
        &self,
        filter: &ListPayouts,
        opts: &RequestOptions,
    ) -> Result<List<Payout>, StripeError> {
        let params = filter
            .list
            .to_params()
            .set_opt("status", filter.status.as_ref())
            .set_opt("destination", filter.destination.as_deref());
        self.get("/v1/payouts", &params, opts).await
    }

    pub async fn retrieve_payout(
        &self,
        id: &str,
        opts: &RequestOptions,
    ) -> Result<Payout, StripeError> {
        let path = format!("/v1/payouts/{}", segment(id)?);
        self.get(&path, &Params::new(), opts).await
    }

    /// A manual payout from the account's balance.
    pub async fn create_payout(
        &self,
        params: &CreatePayout,
        opts: &RequestOptions,
    ) -> Result<Payout, StripeError> {
        self.post_form("/v1/payouts", &Params::from_serialize(params)?, opts)
            .await
    }
}
