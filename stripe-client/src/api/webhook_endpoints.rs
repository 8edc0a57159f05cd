//! `/v1/webhook_endpoints` and `POST /v2/core/event_destinations`.

use serde::Serialize;

use super::ListParams;
use crate::client::{segment, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::list::List;
use crate::models::v2::{CreateEventDestination, EventDestination};
use crate::models::webhook_endpoint::WebhookEndpoint;
use crate::models::{Deleted, Metadata};
use crate::params::Params;

/// `POST /v1/webhook_endpoints`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CreateWebhookEndpoint {
    pub url: String,
    /// Event types, or `["*"]`.
    pub enabled_events: Vec<String>,
    /// `true` for an endpoint that receives events from connected accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

impl StripeClient {
    /// Creates an endpoint; the answer's `secret` is the signing secret (shown only here).
    pub async fn create_webhook_endpoint(
        &self,
        params: &CreateWebhookEndpoint,
        opts: &RequestOptions,
    ) -> Result<WebhookEndpoint, StripeError> {
        self.post_form(
            "/v1/webhook_endpoints",
            &Params::from_serialize(params)?,
            opts,
        )
        .await
    }

    pub async fn list_webhook_endpoints(
        &self,
        list: &ListParams,
        opts: &RequestOptions,
    ) -> Result<List<WebhookEndpoint>, StripeError> {
        self.get("/v1/webhook_endpoints", &list.to_params(), opts)
            .await
    }

    pub async fn delete_webhook_endpoint(
        &self,
        id: &str,
        opts: &RequestOptions,
    ) -> Result<Deleted, StripeError> {
        let path = format!("/v1/webhook_endpoints/{}", segment(id)?);
        self.delete(&path, opts).await
    }

    /// `POST /v2/core/event_destinations` (e.g. thin events from `@accounts`).
    pub async fn create_event_destination(
        &self,
        params: &CreateEventDestination,
        opts: &RequestOptions,
    ) -> Result<EventDestination, StripeError> {
        self.post_json("/v2/core/event_destinations", params, opts)
            .await
    }
}
