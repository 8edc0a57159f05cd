//! The `Stripe-Signature` header parser and verifier never panic, and accept only a signature made
//! with the secret over the exact payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use stripe_client::webhook::{parse_header, sign, verify};

const SECRET: &str = "whsec_fuzz";

fuzz_target!(|data: &[u8]| {
    // First line: the header; the rest: the payload.
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let header = String::from_utf8_lossy(&data[..split]);
    let payload = data.get(split + 1..).unwrap_or_default();
    let _ = parse_header(&header);
    let now = 1_800_000_000;
    if verify(payload, &header, &[SECRET], Duration::from_secs(300), now).is_ok() {
        let parsed = parse_header(&header).expect("a verified header parses");
        assert!(now.abs_diff(parsed.timestamp) <= 300);
    }
    // A correct signature always verifies, whatever the payload.
    let good = sign(payload, SECRET, now);
    assert!(verify(payload, &good, &[SECRET], Duration::from_secs(300), now).is_ok());
    assert!(verify(
        payload,
        &good,
        &["whsec_other"],
        Duration::from_secs(300),
        now
    )
    .is_err());
});
