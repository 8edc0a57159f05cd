//! `GET /v1/balance`.

use crate::client::{Dated, RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::balance::Balance;
use crate::params::Params;

impl StripeClient {
    /// The balance of the platform, or of a connected account when `opts.stripe_account` is set.
    pub async fn retrieve_balance(&self, opts: &RequestOptions) -> Result<Balance, StripeError> {
        self.get("/v1/balance", &Params::new(), opts).await
    }

    /// The same, with the time Stripe answered (its `Date` header), to tell it from an event.
    pub async fn retrieve_balance_dated(
        &self,
        opts: &RequestOptions,
    ) -> Result<Dated<Balance>, StripeError> {
        self.get_dated("/v1/balance", &Params::new(), opts).await
    }
}
