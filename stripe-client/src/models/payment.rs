//! PaymentIntent, Refund and ApplicationFee: the direct-charge side the portal's test-data tools use.

use serde::Deserialize;

use super::{null_default, optional_id_or_object, Metadata};

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

/// The platform's fee on a connected account's charge. Fields as in Stripe's `application_fee`
/// schema (`PlatformFee` in `stripe-spec/stripe-connect-subset.json`); only those the portal reads.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ApplicationFee {
    pub id: String,
    /// Minor units of `currency`.
    pub amount: i64,
    /// Refunded so far (less than `amount` after a partial refund); Stripe only adds to it.
    #[serde(default)]
    pub amount_refunded: i64,
    pub currency: String,
    /// The connected account the fee came from (an id, or the account when expanded: its id is
    /// kept).
    #[serde(default, deserialize_with = "optional_id_or_object")]
    pub account: Option<String>,
    /// The charge the fee was taken from (an id, or the charge when expanded: its id is kept).
    #[serde(default, deserialize_with = "optional_id_or_object")]
    pub charge: Option<String>,
    /// Fully refunded (a partly refunded fee is still `false`).
    #[serde(default)]
    pub refunded: bool,
    #[serde(default)]
    pub created: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_fee_names_its_account_and_charge_expanded_or_not() {
        let fee: ApplicationFee = serde_json::from_value(serde_json::json!({
            "id": "fee_1", "object": "application_fee", "amount": 200, "amount_refunded": 50,
            "currency": "usd", "account": "acct_1", "charge": "ch_1", "created": 1_700_000_000,
            "refunded": false, "livemode": false
        }))
        .unwrap();
        assert_eq!(fee.account.as_deref(), Some("acct_1"));
        assert_eq!(fee.charge.as_deref(), Some("ch_1"));
        assert_eq!((fee.amount, fee.amount_refunded), (200, 50));
        let fee: ApplicationFee = serde_json::from_value(serde_json::json!({
            "id": "fee_2", "amount": 200, "amount_refunded": 200, "currency": "eur",
            "account": {"id": "acct_2", "object": "account"},
            "charge": {"id": "ch_2", "object": "charge"}, "refunded": true
        }))
        .unwrap();
        assert_eq!(fee.account.as_deref(), Some("acct_2"));
        assert_eq!(fee.charge.as_deref(), Some("ch_2"));
        assert!(fee.refunded);
    }
}
