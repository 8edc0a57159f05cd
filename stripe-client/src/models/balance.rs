//! Balance (`GET /v1/balance`, with `Stripe-Account` for a connected account).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::null_default;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Balance {
    #[serde(default)]
    pub object: String,
    #[serde(default, deserialize_with = "null_default")]
    pub available: Vec<BalanceAmount>,
    #[serde(default, deserialize_with = "null_default")]
    pub pending: Vec<BalanceAmount>,
    #[serde(default, deserialize_with = "null_default")]
    pub connect_reserved: Vec<BalanceAmount>,
    #[serde(default, deserialize_with = "null_default")]
    pub instant_available: Vec<BalanceAmount>,
    #[serde(default)]
    pub livemode: bool,
}

/// An amount in minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BalanceAmount {
    pub amount: i64,
    pub currency: String,
    #[serde(default, deserialize_with = "null_default")]
    pub source_types: BTreeMap<String, i64>,
}

impl Balance {
    /// The available amount in `currency` (minor units), if the balance has that currency.
    pub fn available_in(&self, currency: &str) -> Option<i64> {
        sum_in(&self.available, currency)
    }

    pub fn pending_in(&self, currency: &str) -> Option<i64> {
        sum_in(&self.pending, currency)
    }
}

fn sum_in(amounts: &[BalanceAmount], currency: &str) -> Option<i64> {
    let mut matching = amounts
        .iter()
        .filter(|a| a.currency.eq_ignore_ascii_case(currency))
        .peekable();
    matching.peek()?;
    Some(matching.map(|a| a.amount).sum())
}
