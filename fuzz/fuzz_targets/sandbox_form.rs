//! The emulator's form decoder (Stripe's bracketed `a[b][0][c]=…` encoding) never panics on any
//! body, and what it accepts is a JSON object.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = std::str::from_utf8(data) {
        if let Ok(value) = sandbox::form::parse(body) {
            assert!(value.is_object(), "{value}");
        }
    }
});
