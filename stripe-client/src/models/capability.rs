//! Capability (`/v1/accounts/{id}/capabilities/{capability}`).

use serde::Deserialize;

use super::account::{Account, CapabilityStatus, Requirements};
use super::{Expandable, HasId};

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Capability {
    /// The capability name, e.g. `card_payments`.
    pub id: String,
    #[serde(default)]
    pub object: String,
    pub account: Expandable<Account>,
    #[serde(default)]
    pub requested: bool,
    #[serde(default)]
    pub requested_at: Option<i64>,
    pub status: CapabilityStatus,
    #[serde(default)]
    pub requirements: Option<Requirements>,
    #[serde(default)]
    pub future_requirements: Option<Requirements>,
}

impl HasId for Capability {
    fn id(&self) -> &str {
        &self.id
    }
}
