//! `/v1/payment_intents`, `/v1/refunds` and `/v1/application_fees`: direct charges on a connected
//! account (`opts.stripe_account`) with the platform's application fee.

use serde::Serialize;

use super::ListParams;
use crate::client::{RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::list::List;
use crate::models::payment::{ApplicationFee, PaymentIntent, Refund};
use crate::models::Metadata;
use crate::params::Params;

/// `POST /v1/payment_intents`, confirmed at once with a payment method (test cards such as
/// `pm_card_visa`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreatePaymentIntent {
    /// Minor units.
    pub amount: i64,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    pub confirm: bool,
    /// Unset: Stripe turns automatic payment methods on (no `payment_method_types`), which may
    /// redirect, so a confirm then needs `return_url` (see [`AutomaticPaymentMethods`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automatic_payment_methods: Option<AutomaticPaymentMethods>,
    /// Where the customer comes back after a redirect-based payment method (only with
    /// `confirm=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_fee_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

/// `automatic_payment_methods` of a PaymentIntent create. Stripe's type
/// (`PaymentIntentAutomaticPaymentMethods` in stripe-dotnet, generated from Stripe's OpenAPI
/// spec): `allow_redirects` "Controls whether this PaymentIntent will accept redirect-based
/// payment methods. […] To confirm this PaymentIntent, you may be required to provide a
/// `return_url` to redirect customers back to your site after they authenticate or complete the
/// payment." One of `always` (the default) or `never`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AutomaticPaymentMethods {
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_redirects: Option<AllowRedirects>,
}

impl AutomaticPaymentMethods {
    /// Automatic payment methods without redirect-based ones: a confirm needs no `return_url`.
    pub fn without_redirects() -> Self {
        Self {
            enabled: true,
            allow_redirects: Some(AllowRedirects::Never),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowRedirects {
    Always,
    Never,
}

/// `POST /v1/refunds`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateRefund {
    pub payment_intent: String,
    /// Unset: the whole remaining amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// Give the platform's application fee back too (direct charges).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_application_fee: Option<bool>,
}

impl StripeClient {
    pub async fn create_payment_intent(
        &self,
        params: &CreatePaymentIntent,
        opts: &RequestOptions,
    ) -> Result<PaymentIntent, StripeError> {
        self.post_form(
            "/v1/payment_intents",
            &Params::from_serialize(params)?,
            opts,
        )
        .await
    }

    pub async fn create_refund(
        &self,
        params: &CreateRefund,
        opts: &RequestOptions,
    ) -> Result<Refund, StripeError> {
        self.post_form("/v1/refunds", &Params::from_serialize(params)?, opts)
            .await
    }

    /// The newest PaymentIntents of the account in `opts` (most recent first).
    pub async fn list_payment_intents(
        &self,
        list: &ListParams,
        opts: &RequestOptions,
    ) -> Result<List<PaymentIntent>, StripeError> {
        self.get("/v1/payment_intents", &list.to_params(), opts)
            .await
    }

    /// The platform's application fees, newest first (each names the account it came from;
    /// Stripe has no filter by account).
    pub async fn list_application_fees(
        &self,
        list: &ListParams,
        opts: &RequestOptions,
    ) -> Result<List<ApplicationFee>, StripeError> {
        self.get("/v1/application_fees", &list.to_params(), opts)
            .await
    }

    /// The platform's application fees created at or before `created_lte` (Unix seconds), newest
    /// first: `created[lte]` of `GET /v1/application_fees` (stripe-python's
    /// `ApplicationFeeService.ListParams`).
    pub async fn list_application_fees_created_until(
        &self,
        list: &ListParams,
        created_lte: i64,
        opts: &RequestOptions,
    ) -> Result<List<ApplicationFee>, StripeError> {
        let params = list.to_params().set("created[lte]", created_lte);
        self.get("/v1/application_fees", &params, opts).await
    }
}
