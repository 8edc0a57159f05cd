//! External accounts (payout destinations): bank accounts and debit cards.

use serde::{Deserialize, Deserializer};

use super::{null_default, HasId, Metadata};

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct BankAccount {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub account_holder_name: Option<String>,
    #[serde(default)]
    pub account_holder_type: Option<String>,
    #[serde(default)]
    pub bank_name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub default_for_currency: Option<bool>,
    #[serde(default)]
    pub fingerprint: Option<String>,
    #[serde(default)]
    pub last4: Option<String>,
    #[serde(default)]
    pub routing_number: Option<String>,
    /// `new`, `validated`, `verified`, `verification_failed`, `errored`, … (kept as text).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Card {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub default_for_currency: Option<bool>,
    #[serde(default)]
    pub exp_month: Option<u32>,
    #[serde(default)]
    pub exp_year: Option<u32>,
    #[serde(default)]
    pub funding: Option<String>,
    #[serde(default)]
    pub last4: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
}

/// A payout destination, told apart by its `object` field.
#[derive(Clone, Debug, PartialEq)]
pub enum ExternalAccount {
    BankAccount(BankAccount),
    Card(Card),
    /// An object kind this client does not know, kept whole.
    Other(serde_json::Value),
}

impl ExternalAccount {
    pub fn last4(&self) -> Option<&str> {
        match self {
            ExternalAccount::BankAccount(bank) => bank.last4.as_deref(),
            ExternalAccount::Card(card) => card.last4.as_deref(),
            ExternalAccount::Other(value) => value.get("last4").and_then(|v| v.as_str()),
        }
    }
}

impl HasId for ExternalAccount {
    fn id(&self) -> &str {
        match self {
            ExternalAccount::BankAccount(bank) => &bank.id,
            ExternalAccount::Card(card) => &card.id,
            ExternalAccount::Other(value) => value.get("id").and_then(|v| v.as_str()).unwrap_or(""),
        }
    }
}

impl<'de> Deserialize<'de> for ExternalAccount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let object = value.get("object").and_then(|o| o.as_str()).unwrap_or("");
        match object {
            "bank_account" => serde_json::from_value(value)
                .map(ExternalAccount::BankAccount)
                .map_err(serde::de::Error::custom),
            "card" => serde_json::from_value(value)
                .map(ExternalAccount::Card)
                .map_err(serde::de::Error::custom),
            _ => Ok(ExternalAccount::Other(value)),
        }
    }
}
