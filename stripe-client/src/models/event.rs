//! Events: v1 snapshot events (`object: "event"`) with typed accessors for the objects the
//! portal handles.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::account::Account;
use super::capability::Capability;
use super::external_account::ExternalAccount;
use super::payout::Payout;

/// A v1 snapshot event, from a webhook or `GET /v1/events/{id}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(default)]
    pub object: String,
    /// The connected account the event happened on (Connect events only).
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub context: Option<String>,
    pub created: i64,
    pub data: EventData,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub pending_webhooks: Option<i64>,
    #[serde(default)]
    pub request: Option<EventRequest>,
    /// `account.updated`, `payout.paid`, … (kept as text: Stripe adds types often).
    #[serde(rename = "type")]
    pub event_type: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EventData {
    /// The object as it was when the event happened.
    pub object: serde_json::Value,
    /// For `*.updated` events: the old values of the attributes that changed.
    #[serde(default)]
    pub previous_attributes: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct EventRequest {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl Event {
    /// The `object` field of `data.object` (`account`, `capability`, `payout`, `bank_account`, …).
    pub fn data_object_type(&self) -> Option<&str> {
        self.data.object.get("object")?.as_str()
    }

    /// The `id` of `data.object`.
    pub fn data_object_id(&self) -> Option<&str> {
        self.data.object.get("id")?.as_str()
    }

    /// `data.object` as any model.
    pub fn data_object<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data.object)
    }

    /// `data.object` when it is an account (`account.updated`, …).
    pub fn as_account(&self) -> Option<Result<Account, serde_json::Error>> {
        self.typed("account")
    }

    /// `data.object` when it is a capability (`capability.updated`).
    pub fn as_capability(&self) -> Option<Result<Capability, serde_json::Error>> {
        self.typed("capability")
    }

    /// `data.object` when it is a payout (`payout.*`).
    pub fn as_payout(&self) -> Option<Result<Payout, serde_json::Error>> {
        self.typed("payout")
    }

    /// `data.object` when it is a bank account or card (`account.external_account.*`).
    pub fn as_external_account(&self) -> Option<Result<ExternalAccount, serde_json::Error>> {
        match self.data_object_type()? {
            "bank_account" | "card" => Some(self.data_object()),
            _ => None,
        }
    }

    /// The previous value of a top-level attribute, if it changed in this event.
    pub fn previous_attribute(&self, name: &str) -> Option<&serde_json::Value> {
        self.data.previous_attributes.as_ref()?.get(name)
    }

    fn typed<T: DeserializeOwned>(&self, object: &str) -> Option<Result<T, serde_json::Error>> {
        (self.data_object_type()? == object).then(|| self.data_object())
    }
}
