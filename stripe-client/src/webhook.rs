//! Webhook signature verification (`Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`).
//!
//! The signature is HMAC-SHA256 of `"<t>.<raw body>"` with the endpoint's signing secret. Any
//! `v1` value may match any of the given secrets (so secrets can be rolled), the comparison is
//! constant-time, and the timestamp must lie within the tolerance of `now` (both directions).

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// Stripe's default tolerance.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("no Stripe-Signature header")]
    MissingHeader,
    #[error("malformed Stripe-Signature header: {0}")]
    MalformedHeader(&'static str),
    #[error("no signature matches the payload")]
    NoMatchingSignature,
    #[error("signature timestamp {timestamp} is outside the tolerance around {now}")]
    TimestampOutsideTolerance { timestamp: i64, now: i64 },
    #[error("no webhook signing secret configured")]
    NoSecrets,
}

/// The parts of a `Stripe-Signature` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeader {
    pub timestamp: i64,
    /// Decoded `v1` signatures; values that are not valid hex are skipped.
    pub v1: Vec<Vec<u8>>,
}

/// Parses `t=…,v1=…[,v1=…]`; other schemes (`v0`) are ignored.
pub fn parse_header(header: &str) -> Result<SignatureHeader, WebhookError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(WebhookError::MissingHeader);
    }
    let mut timestamp = None;
    let mut v1 = Vec::new();
    let mut saw_v1 = false;
    for item in header.split(',') {
        let Some((key, value)) = item.trim().split_once('=') else {
            return Err(WebhookError::MalformedHeader("item without '='"));
        };
        match key {
            "t" => {
                let parsed = value
                    .parse::<i64>()
                    .map_err(|_| WebhookError::MalformedHeader("timestamp is not an integer"))?;
                timestamp = Some(parsed);
            }
            "v1" => {
                saw_v1 = true;
                if let Ok(bytes) = hex::decode(value) {
                    v1.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::MalformedHeader("no timestamp"))?;
    if !saw_v1 {
        return Err(WebhookError::MalformedHeader("no v1 signature"));
    }
    Ok(SignatureHeader { timestamp, v1 })
}

/// Verifies a webhook: `payload` is the raw request body, `signature_header` the
/// `Stripe-Signature` value (empty when absent), `now` the current unix time.
pub fn verify(
    payload: &[u8],
    signature_header: &str,
    secrets: &[&str],
    tolerance: Duration,
    now: i64,
) -> Result<(), WebhookError> {
    let header = parse_header(signature_header)?;
    if secrets.iter().all(|s| s.is_empty()) {
        return Err(WebhookError::NoSecrets);
    }
    let mut matched = subtle::Choice::from(0u8);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let expected = compute(payload, secret, header.timestamp);
        for candidate in &header.v1 {
            // ct_eq on slices of different lengths is false without leaking where they differ.
            matched |= expected.as_slice().ct_eq(candidate.as_slice());
        }
    }
    if !bool::from(matched) {
        return Err(WebhookError::NoMatchingSignature);
    }
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now.abs_diff(header.timestamp) > tolerance as u64 {
        return Err(WebhookError::TimestampOutsideTolerance {
            timestamp: header.timestamp,
            now,
        });
    }
    Ok(())
}

/// A `Stripe-Signature` header value for `payload`, as Stripe would send it (for tests and
/// for the local sandbox).
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(compute(payload, secret, timestamp))
    )
}

/// The current unix time, for `verify`'s `now`.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn compute(payload: &[u8], secret: &str, timestamp: i64) -> Vec<u8> {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const PAYLOAD: &[u8] = br#"{"id":"evt_1","object":"event","type":"account.updated"}"#;
    const NOW: i64 = 1_700_000_000;

    #[test]
    fn valid_signature_is_accepted() {
        let header = sign(PAYLOAD, SECRET, NOW);
        assert_eq!(
            verify(PAYLOAD, &header, &[SECRET], DEFAULT_TOLERANCE, NOW),
            Ok(())
        );
        assert_eq!(
            verify(PAYLOAD, &header, &[SECRET], DEFAULT_TOLERANCE, NOW + 299),
            Ok(())
        );
    }

    #[test]
    fn known_vector_matches_an_independent_hmac() {
        // HMAC-SHA256(key = SECRET, "1700000000." + PAYLOAD), computed with Python's hmac module.
        assert_eq!(
            sign(PAYLOAD, SECRET, NOW),
            "t=1700000000,v1=44623229cac44c329c5b250c5df22f188565387d7ffe05ddaa23a5da1691909a"
        );
    }

    #[test]
    fn rotated_secret_and_several_v1_values() {
        let old = "whsec_old";
        let header = format!("{},v1={}", sign(PAYLOAD, SECRET, NOW), "00".repeat(32));
        assert_eq!(
            verify(PAYLOAD, &header, &[old, SECRET], DEFAULT_TOLERANCE, NOW),
            Ok(())
        );
        let signed_with_old = sign(PAYLOAD, old, NOW);
        let two = format!("{signed_with_old},v1={}", "ab".repeat(32));
        assert_eq!(
            verify(PAYLOAD, &two, &[SECRET, old], DEFAULT_TOLERANCE, NOW),
            Ok(())
        );
    }

    #[test]
    fn wrong_secret_or_tampered_body_is_rejected() {
        let header = sign(PAYLOAD, "whsec_other", NOW);
        assert_eq!(
            verify(PAYLOAD, &header, &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::NoMatchingSignature)
        );
        let header = sign(PAYLOAD, SECRET, NOW);
        assert_eq!(
            verify(
                br#"{"id":"evt_2"}"#,
                &header,
                &[SECRET],
                DEFAULT_TOLERANCE,
                NOW
            ),
            Err(WebhookError::NoMatchingSignature)
        );
        let truncated = &header[..header.len() - 2];
        assert_eq!(
            verify(PAYLOAD, truncated, &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::NoMatchingSignature)
        );
    }

    #[test]
    fn stale_and_future_timestamps_are_rejected() {
        let header = sign(PAYLOAD, SECRET, NOW - 301);
        assert_eq!(
            verify(PAYLOAD, &header, &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::TimestampOutsideTolerance {
                timestamp: NOW - 301,
                now: NOW
            })
        );
        let header = sign(PAYLOAD, SECRET, NOW + 301);
        assert!(matches!(
            verify(PAYLOAD, &header, &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::TimestampOutsideTolerance { .. })
        ));
    }

    #[test]
    fn missing_and_malformed_headers_are_told_apart() {
        assert_eq!(
            verify(PAYLOAD, "", &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::MissingHeader)
        );
        assert!(matches!(
            verify(PAYLOAD, "garbage", &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::MalformedHeader(_))
        ));
        assert!(matches!(
            verify(PAYLOAD, "t=abc,v1=00", &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::MalformedHeader(_))
        ));
        assert!(matches!(
            verify(PAYLOAD, "v1=00", &[SECRET], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::MalformedHeader(_))
        ));
        assert!(matches!(
            verify(
                PAYLOAD,
                "t=1700000000,v0=00",
                &[SECRET],
                DEFAULT_TOLERANCE,
                NOW
            ),
            Err(WebhookError::MalformedHeader(_))
        ));
        let header = sign(PAYLOAD, SECRET, NOW);
        assert_eq!(
            verify(PAYLOAD, &header, &[], DEFAULT_TOLERANCE, NOW),
            Err(WebhookError::NoSecrets)
        );
    }
}

/// The fields of an event a receiver keeps apart from the payload, read from a verified body:
/// a v1 event (snapshot payload) or a v2 event notification (thin payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub id: String,
    pub event_type: String,
    /// The connected account the event is about, when it names one.
    pub account_id: Option<String>,
    /// The event's creation time (unix seconds).
    pub created: i64,
}

#[derive(serde::Deserialize)]
struct SnapshotEnvelope {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    created: i64,
    #[serde(default)]
    account: Option<String>,
}

#[derive(serde::Deserialize)]
struct ThinEnvelope {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    created: String,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    related_object: Option<RelatedObject>,
}

#[derive(serde::Deserialize)]
struct RelatedObject {
    id: String,
    #[serde(rename = "type")]
    object_type: String,
}

impl Envelope {
    /// A v1 event; `None` when the body is not one.
    pub fn decode_snapshot(body: &[u8]) -> Option<Envelope> {
        let e: SnapshotEnvelope = serde_json::from_slice(body).ok()?;
        Envelope {
            id: e.id,
            event_type: e.event_type,
            account_id: e.account,
            created: e.created,
        }
        .plausible()
    }

    /// A v2 thin event notification; `None` when the body is not one.
    pub fn decode_thin(body: &[u8]) -> Option<Envelope> {
        let e: ThinEnvelope = serde_json::from_slice(body).ok()?;
        let account_id = e.context.or_else(|| {
            e.related_object
                .filter(|r| r.object_type == "v2.core.account")
                .map(|r| r.id)
        });
        Envelope {
            id: e.id,
            event_type: e.event_type,
            account_id,
            created: parse_rfc3339(&e.created)?,
        }
        .plausible()
    }

    /// Ids and types are stored in indexed columns: refuse empty or absurd ones.
    fn plausible(self) -> Option<Envelope> {
        let ok = |s: &str| !s.is_empty() && s.len() <= 255;
        (ok(&self.id) && ok(&self.event_type)).then_some(self)
    }
}

/// RFC 3339 (v2 timestamps) to unix seconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}
