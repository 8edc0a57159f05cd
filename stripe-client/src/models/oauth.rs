//! OAuth token and deauthorization answers.

use serde::Deserialize;

use crate::secret::SecretString;

/// `POST /oauth/token` → the connected account's id and credentials.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OAuthToken {
    /// The connected account (`acct_…`): store it and use it in `Stripe-Account`.
    pub stripe_user_id: String,
    #[serde(default)]
    pub access_token: Option<SecretString>,
    #[serde(default)]
    pub refresh_token: Option<SecretString>,
    #[serde(default)]
    pub stripe_publishable_key: Option<String>,
    /// `read_write`, `read_only` or `express`.
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// `POST /oauth/deauthorize` → `{stripe_user_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OAuthDeauthorization {
    pub stripe_user_id: String,
}
