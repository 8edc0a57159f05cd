//! PaymentIntent, Refund and ApplicationFee: the direct-charge side the portal's test-data tools use.

use serde::Deserialize;

use super::{null_default, Metadata};

string_enum! {
    pub enum PaymentIntentStatus {
        RequiresPaymentMethod => "requires_payment_method",
        RequiresConfirmation => "requires_confirmation",
        RequiresAction => "requires_action",
        Processing => "processing",
        RequiresCapture => "requires_capture",
        Canceled => "canceled",
        Succeeded => "succeeded",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    pub status: PaymentIntentStatus,
    #[serde(default)]
    pub application_fee_amount: Option<i64>,
    /// The charge of the last attempt (an id unless expanded; kept as an id here).
    #[serde(default)]
    pub latest_charge: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub charge: Option<String>,
    #[serde(default)]
    pub payment_intent: Option<String>,
    #[serde(default)]
    pub created: Option<i64>,
    /// `duplicate`, `fraudulent`, `requested_by_customer`, … (stripe-python `Refund.reason`).
    #[serde(default)]
    pub reason: Option<String>,
    /// Why a refund failed (stripe-python `Refund.failure_reason`).
    #[serde(default)]
    pub failure_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ApplicationFee {
    pub id: String,
    /// Minor units of `currency`.
    pub amount: i64,
    #[serde(default)]
    pub amount_refunded: i64,
    pub currency: String,
    /// The connected account the fee came from (an id unless expanded).
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub created: Option<i64>,
}
