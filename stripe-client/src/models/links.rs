//! Account Links (v1), login links to the Express dashboard.

use serde::Deserialize;

string_enum! {
    /// `type` of a v1 Account Link (and `use_case.type` of a v2 one).
    pub enum AccountLinkType {
        AccountOnboarding => "account_onboarding",
        AccountUpdate => "account_update",
    }
}

string_enum! {
    /// `collection_options.fields`.
    pub enum CollectionFields {
        CurrentlyDue => "currently_due",
        EventuallyDue => "eventually_due",
    }
}

string_enum! {
    /// `collection_options.future_requirements`.
    pub enum FutureRequirements {
        Include => "include",
        Omit => "omit",
    }
}

/// `POST /v1/account_links` → a single-use onboarding URL.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AccountLink {
    #[serde(default)]
    pub object: String,
    pub created: i64,
    pub expires_at: i64,
    pub url: String,
}

/// `POST /v1/accounts/{id}/login_links` → a single-use Express dashboard URL.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LoginLink {
    #[serde(default)]
    pub object: String,
    pub created: i64,
    pub url: String,
}
