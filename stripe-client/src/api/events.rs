//! `/v1/events` and `GET /v2/core/events/{id}`.

use super::ListParams;
use crate::client::{segment, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::event::Event;
use crate::models::list::List;
use crate::models::v2::EventV2;
use crate::params::{ParamValue, Params};

/// `GET /v1/events` filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListEvents {
    pub list: ListParams,
    /// One type, `*` wildcards allowed (`account.*`).
    pub event_type: Option<String>,
    /// Up to 20 exact types (not together with `event_type`).
    pub types: Vec<String>,
    /// Only events created strictly after this unix time.
    pub created_after: Option<i64>,
    pub delivery_success: Option<bool>,
}

impl StripeClient {
    pub async fn list_events(
        &self,
        filter: &ListEvents,
        opts: &RequestOptions,
    ) -> Result<List<Event>, StripeError> {
        let mut params = filter
            .list
            .to_params()
            .set_opt("type", filter.event_type.as_deref())
            .set_opt("delivery_success", filter.delivery_success);
        if !filter.types.is_empty() {
            params.insert("types", ParamValue::Array(filter.types.clone()));
        }
        if let Some(after) = filter.created_after {
            params.insert("created", Params::new().set("gt", after));
        }
        self.get("/v1/events", &params, opts).await
    }

    pub async fn retrieve_event(
        &self,
        id: &str,
        opts: &RequestOptions,
    ) -> Result<Event, StripeError> {
        let path = format!("/v1/events/{}", segment(id)?);
        self.get(&path, &Params::new(), opts).await
    }

    /// `GET /v2/core/events/{id}`: the full event behind a thin event notification.
    pub async fn retrieve_event_v2(
        &self,
        id: &str,
        opts: &RequestOptions,
    ) -> Result<EventV2, StripeError> {
        let path = format!("/v2/core/events/{}", segment(id)?);
        self.get_v2(&path, &[], opts).await
    }
}
