//! `/v1/disputes` (for a connected account: `opts.stripe_account`).

use crate::client::{segment, Dated, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::dispute::Dispute;
use crate::params::Params;

impl StripeClient {
    /// `GET /v1/disputes/{dispute}`, with the time Stripe answered (its `Date` header), which
    /// tells whether what was read is newer than an event.
    pub async fn retrieve_dispute_dated(
        &self,
        id: &str,
        opts: &RequestOptions,
    ) -> Result<Dated<Dispute>, StripeError> {
        let path = format!("/v1/disputes/{}", segment(id)?);
        self.get_dated(&path, &Params::new(), opts).await
    }
}
