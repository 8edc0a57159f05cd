//! A string that never shows itself in `Debug` or `Display` output.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// Key prefixes that are safe to show: they tell which kind of key it is and
/// whether it is live, but nothing of the key itself.
const KNOWN_PREFIXES: &[&str] = &[
    "sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_", "whsec_", "ac_",
];

/// A secret such as a Stripe API key, an OAuth access token or a webhook
/// signing secret. `Debug` and `Display` print only the kind of key
/// (`sk_test_…redacted`); the value is reached with [`SecretString::expose_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call it only where the value is sent to Stripe.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The non-secret prefix shown in place of the value, e.g. `sk_test_`.
    pub fn visible_prefix(&self) -> &'static str {
        KNOWN_PREFIXES
            .iter()
            .copied()
            .find(|prefix| self.0.starts_with(prefix))
            .unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}…redacted\"", self.visible_prefix())
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…redacted", self.visible_prefix())
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let key = SecretString::new("sk_test_51Abcdefghijklmnop");
        assert_eq!(format!("{key:?}"), "\"sk_test_…redacted\"");
        assert_eq!(key.to_string(), "sk_test_…redacted");
        assert!(!format!("{key:?}{key}").contains("51Abc"));
        assert_eq!(key.expose_secret(), "sk_test_51Abcdefghijklmnop");
    }

    #[test]
    fn unknown_prefix_shows_nothing() {
        let token = SecretString::new("opaque-token-value");
        assert_eq!(format!("{token:?}"), "\"…redacted\"");
        assert!(!token.to_string().contains("opaque"));
        let whsec = SecretString::new("whsec_abc");
        assert_eq!(whsec.to_string(), "whsec_…redacted");
    }
}
