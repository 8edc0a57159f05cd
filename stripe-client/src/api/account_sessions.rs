//! `POST /v1/account_sessions`.

use crate::client::{RequestOptions, StripeClient};
use crate::error::StripeError;
use crate::models::account_session::{AccountSession, CreateAccountSession};
use crate::params::Params;

impl StripeClient {
    /// Mints a new, single-use AccountSession for Connect embedded components. Call it each
    /// time Connect.js asks for a client secret; never cache the answer.
    pub async fn create_account_session(
        &self,
        params: &CreateAccountSession,
        opts: &RequestOptions,
    ) -> Result<AccountSession, StripeError> {
        self.post_form(
            "/v1/account_sessions",
            &Params::from_serialize(params)?,
            opts,
        )
        .await
    }
}
