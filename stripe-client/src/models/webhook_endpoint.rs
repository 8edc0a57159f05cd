//! Webhook endpoints (`/v1/webhook_endpoints`).

use serde::Deserialize;

use super::{null_default, Metadata};
use crate::secret::SecretString;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WebhookEndpoint {
    pub id: String,
    #[serde(default)]
    pub object: String,
    pub url: String,
    #[serde(default, deserialize_with = "null_default")]
    pub enabled_events: Vec<String>,
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub status: String,
    /// The signing secret (`whsec_…`); only in the answer to create.
    #[serde(default)]
    pub secret: Option<SecretString>,
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub application: Option<String>,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
}
