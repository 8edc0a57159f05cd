//! The idempotency keys the portal derives for its Stripe POSTs.
//!
//! Stripe keeps a key for 24 hours per API key and answers a reuse with the first result, or —
//! when the parameters differ — with an `idempotency_error` (Stripe API reference, "Idempotent
//! requests": "The idempotency layer compares incoming parameters to those of the original
//! request and errors if they're not the same"). So a derived key names:
//! - this installation (its random id, kept in the database): two portals sharing one Stripe
//!   key must never replay each other's requests (owner 1 of one portal would get the account
//!   made for owner 1 of the other);
//! - what the request is for (the owner, the payout request…): a retry or a double submission
//!   gets the first result back;
//! - a short hash of the request's parameters: a request that changed (an admin changed the
//!   platform settings between a failed attempt and the retry) is a new request with a new key
//!   instead of an `idempotency_error` that would block the owner.

use sha2::{Digest, Sha256};

/// `portal-{installation}-{purpose}-{hash of the parameters}`; `parameters` is the request's
/// parameters in any stable encoding (the form pairs or the JSON body as sent). Stripe allows
/// keys up to 255 characters (Stripe API reference, "Idempotent requests"); these are about 80.
pub fn derive(installation_id: &str, purpose: &str, parameters: &[u8]) -> String {
    let hash = hex::encode(&Sha256::digest(parameters)[..8]);
    format!("portal-{installation_id}-{purpose}-{hash}")
}

/// A stable encoding of form parameters for [`derive`] (each pair length-prefixed, so no two
/// different lists encode alike).
pub fn form_parameters<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        for part in [k.as_ref(), v.as_ref()] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part.as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_keeps_its_key_and_a_changed_request_or_installation_gets_another() {
        let params = form_parameters(&[("country", "US"), ("email", "a@example.com")]);
        let key = derive("abc", "owner-1-account", &params);
        assert_eq!(key, derive("abc", "owner-1-account", &params));
        assert!(key.starts_with("portal-abc-owner-1-account-"));
        let changed = form_parameters(&[("country", "GB"), ("email", "a@example.com")]);
        assert_ne!(key, derive("abc", "owner-1-account", &changed));
        assert_ne!(key, derive("def", "owner-1-account", &params));
        assert_ne!(key, derive("abc", "owner-2-account", &params));
        // Pairs cannot run into each other.
        assert_ne!(
            form_parameters(&[("ab", "c")]),
            form_parameters(&[("a", "bc")])
        );
        assert!(key.len() <= 255);
    }
}
