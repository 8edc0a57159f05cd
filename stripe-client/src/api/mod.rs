//! Typed Stripe endpoints, as methods of [`StripeClient`](crate::StripeClient), with their
//! request types. Each typed method is a thin layer over `get`/`post_form`/`delete`/`get_v2`/
//! `post_json`, which stay public for anything not covered here.

pub mod account_links;
pub mod account_sessions;
pub mod accounts;
pub mod accounts_v2;
pub mod balance;
pub mod disputes;
pub mod events;
pub mod oauth;
pub mod payments;
pub mod payouts;
pub mod webhook_endpoints;

use serde::Serialize;

use crate::params::Params;

/// Cursor pagination for v1 lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListParams {
    /// 1–100; Stripe's default is 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<String>,
}

impl ListParams {
    pub fn limit(limit: u32) -> Self {
        Self {
            limit: Some(limit),
            ..Self::default()
        }
    }

    pub fn after(mut self, id: impl Into<String>) -> Self {
        self.starting_after = Some(id.into());
        self
    }

    pub(crate) fn to_params(&self) -> Params {
        Params::new()
            .set_opt("limit", self.limit)
            .set_opt("starting_after", self.starting_after.as_deref())
            .set_opt("ending_before", self.ending_before.as_deref())
    }
}
