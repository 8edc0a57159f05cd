//! Logs name the request but never the secret key. In its own test binary so that the global
//! subscriber sees every callsite (scoped subscribers race with parallel tests).

mod mock;

use std::io::Write;
use std::sync::{Arc, Mutex};

use mock::{client, fixture, start, Reply, KEY};
use serde_json::json;
use stripe_client::RequestOptions;

fn api_error(status: u16, error_type: &str, code: &str) -> Reply {
    Reply::json(
        status,
        json!({"error": {"type": error_type, "code": code, "message": format!("{code} happened")}}),
    )
}

/// A `tracing` writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_have_method_path_status_and_request_id_but_never_the_key() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let (base, _mock) = start(vec![
        api_error(500, "api_error", "boom"),
        Reply::json(200, fixture("payout")),
    ])
    .await;
    let client = client(&base);
    client
        .create_payout(
            &stripe_client::api::payouts::CreatePayout::new(1100, "usd"),
            &RequestOptions::for_account("acct_logged"),
        )
        .await
        .unwrap();
    client.oauth_token("ac_x", &[]).await.unwrap_err();

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("stripe_request"), "{logs}");
    assert!(logs.contains("method=POST"), "{logs}");
    assert!(logs.contains("path=/v1/payouts"), "{logs}");
    assert!(logs.contains("stripe_account=\"acct_logged\""), "{logs}");
    assert!(logs.contains("retrying Stripe request"), "{logs}");
    assert!(
        logs.contains("request_id=\"req_500\"") || logs.contains("request_id=req_500"),
        "{logs}"
    );
    assert!(!logs.contains(KEY), "{logs}");
    assert!(!logs.contains("MockSecretKeyValue"), "{logs}");
}
