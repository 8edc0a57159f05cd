//! The event decoders (v1 snapshot events and v2 thin notifications) never panic and never return
//! an envelope with an empty or oversized id or type.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stripe_client::webhook::Envelope;

fuzz_target!(|data: &[u8]| {
    for decoded in [Envelope::decode_snapshot(data), Envelope::decode_thin(data)]
        .into_iter()
        .flatten()
    {
        assert!(!decoded.id.is_empty() && decoded.id.len() <= 255);
        assert!(!decoded.event_type.is_empty() && decoded.event_type.len() <= 255);
    }
    // The typed event model reads the same bodies without panicking.
    let _ = serde_json::from_slice::<stripe_client::models::event::Event>(data);
});
