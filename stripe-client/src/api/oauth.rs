//! OAuth for Express and Standard accounts (older platforms): the authorize URL, the token
//! exchange and deauthorization, all against `connect_base`.

use crate::client::{Dated, StripeClient};
use crate::error::StripeError;
use crate::models::oauth::{OAuthDeauthorization, OAuthToken};
use crate::params::{ParamValue, Params};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuthFlavour {
    /// `/express/oauth/authorize`.
    Express,
    /// `/oauth/authorize?response_type=code&scope=read_write`.
    Standard,
}

/// The link that sends a user to Stripe to connect their account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthAuthorize {
    flavour: OAuthFlavour,
    client_id: String,
    state: String,
    redirect_uri: Option<String>,
    scope: Option<String>,
    stripe_user: Vec<(String, String)>,
    suggested_capabilities: Vec<String>,
}

impl OAuthAuthorize {
    /// Express OAuth. `state` is the CSRF token checked on the way back.
    pub fn express(client_id: impl Into<String>, state: impl Into<String>) -> Self {
        Self::new(OAuthFlavour::Express, client_id, state)
    }

    /// Standard OAuth with `scope=read_write`.
    pub fn standard(client_id: impl Into<String>, state: impl Into<String>) -> Self {
        Self {
            scope: Some("read_write".to_owned()),
            ..Self::new(OAuthFlavour::Standard, client_id, state)
        }
    }

    fn new(flavour: OAuthFlavour, client_id: impl Into<String>, state: impl Into<String>) -> Self {
        Self {
            flavour,
            client_id: client_id.into(),
            state: state.into(),
            redirect_uri: None,
            scope: None,
            stripe_user: Vec::new(),
            suggested_capabilities: Vec::new(),
        }
    }

    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Prefills `stripe_user[<field>]` (`email`, `business_type`, `country`, …).
    pub fn stripe_user(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.stripe_user.push((field.into(), value.into()));
        self
    }

    /// Adds `suggested_capabilities[]=<capability>` (Express).
    pub fn suggested_capability(mut self, capability: impl Into<String>) -> Self {
        self.suggested_capabilities.push(capability.into());
        self
    }

    /// The full URL on `connect_base`.
    pub fn url(&self, connect_base: &str) -> String {
        let path = match self.flavour {
            OAuthFlavour::Express => "/express/oauth/authorize",
            OAuthFlavour::Standard => "/oauth/authorize",
        };
        let mut params = Params::new();
        if self.flavour == OAuthFlavour::Standard {
            params.insert("response_type", "code");
        }
        params = params
            .set("client_id", self.client_id.as_str())
            .set_opt("scope", self.scope.as_deref())
            .set("state", self.state.as_str())
            .set_opt("redirect_uri", self.redirect_uri.as_deref());
        if !self.stripe_user.is_empty() {
            let mut user = Params::new();
            for (field, value) in &self.stripe_user {
                user.insert(field.as_str(), value.as_str());
            }
            params.insert("stripe_user", user);
        }
        if !self.suggested_capabilities.is_empty() {
            params.insert(
                "suggested_capabilities",
                ParamValue::Array(self.suggested_capabilities.clone()),
            );
        }
        format!(
            "{}{path}?{}",
            connect_base.trim_end_matches('/'),
            params.to_form()
        )
    }
}

impl StripeClient {
    /// The authorize URL on the configured `connect_base`.
    pub fn oauth_authorize_url(&self, authorize: &OAuthAuthorize) -> String {
        authorize.url(&self.config().connect_base)
    }

    /// `POST /oauth/token`: exchanges the `code` from the redirect for the account id.
    /// `assert_capabilities` makes Stripe fail the exchange unless the account has them.
    pub async fn oauth_token(
        &self,
        code: &str,
        assert_capabilities: &[&str],
    ) -> Result<Dated<OAuthToken>, StripeError> {
        let mut params = Params::new()
            .set("client_secret", self.config().secret_key.expose_secret())
            .set("code", code)
            .set("grant_type", "authorization_code");
        if !assert_capabilities.is_empty() {
            params.insert(
                "assert_capabilities",
                ParamValue::Array(assert_capabilities.iter().map(|c| c.to_string()).collect()),
            );
        }
        self.post_connect_form_dated("/oauth/token", &params).await
    }

    /// `POST /oauth/deauthorize`: disconnects an account from the platform. Dated by Stripe's
    /// clock, so the disconnection can be ordered against the account's events.
    pub async fn oauth_deauthorize(
        &self,
        client_id: &str,
        stripe_user_id: &str,
    ) -> Result<Dated<OAuthDeauthorization>, StripeError> {
        let params = Params::new()
            .set("client_id", client_id)
            .set("stripe_user_id", stripe_user_id);
        self.post_connect_form_dated("/oauth/deauthorize", &params)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn express_url_matches_stripe_docs() {
        let url = OAuthAuthorize::express("ca_123", "csrf token")
            .redirect_uri("https://portal.example/oauth/callback")
            .stripe_user("email", "jane@example.com")
            .stripe_user("business_type", "company")
            .suggested_capability("transfers")
            .url("https://connect.stripe.com/");
        assert_eq!(
            url,
            "https://connect.stripe.com/express/oauth/authorize?client_id=ca_123&state=csrf+token\
             &redirect_uri=https%3A%2F%2Fportal.example%2Foauth%2Fcallback\
             &stripe_user[email]=jane%40example.com&stripe_user[business_type]=company\
             &suggested_capabilities[]=transfers"
        );
    }

    #[test]
    fn standard_url_asks_for_a_code_with_read_write() {
        let url = OAuthAuthorize::standard("ca_123", "s1").url("http://127.0.0.1:12111");
        assert_eq!(
            url,
            "http://127.0.0.1:12111/oauth/authorize?response_type=code&client_id=ca_123&scope=read_write&state=s1"
        );
    }
}
