//! Payout.

use serde::Deserialize;

use super::external_account::ExternalAccount;
use super::{null_default, Expandable, HasId, Metadata};

string_enum! {
    pub enum PayoutStatus {
        Paid => "paid",
        Pending => "pending",
        InTransit => "in_transit",
        Canceled => "canceled",
        Failed => "failed",
    }
}

string_enum! {
    pub enum PayoutMethod {
        Standard => "standard",
        Instant => "instant",
    }
}

string_enum! {
    /// `type`: where the payout goes.
    pub enum PayoutType {
        BankAccount => "bank_account",
        Card => "card",
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Payout {
    pub id: String,
    #[serde(default)]
    pub object: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    #[serde(default)]
    pub arrival_date: Option<i64>,
    #[serde(default)]
    pub automatic: bool,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub destination: Option<Expandable<ExternalAccount>>,
    #[serde(default)]
    pub failure_code: Option<String>,
    #[serde(default)]
    pub failure_message: Option<String>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
    #[serde(default)]
    pub method: Option<PayoutMethod>,
    #[serde(default)]
    pub reconciliation_status: Option<String>,
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub statement_descriptor: Option<String>,
    pub status: PayoutStatus,
    #[serde(rename = "type", default)]
    pub payout_type: Option<PayoutType>,
}

impl HasId for Payout {
    fn id(&self) -> &str {
        &self.id
    }
}
