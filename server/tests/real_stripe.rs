//! Smoke test against real Stripe, in test mode: creates an account with the platform's default
//! configuration, an Account Link and an AccountSession, reads the account back and deletes it.
//!
//! Runs only when `STRIPE_SECRET_KEY` holds a test-mode key (`sk_test_…` / `rk_test_…`); otherwise
//! it says it was skipped. It never runs with a live key. One command:
//! `STRIPE_SECRET_KEY=sk_test_… cargo test -p server --test real_stripe`.
//! (No test harness: its output is never captured, so "skipped" is always visible.)

use domain::platform::PlatformConfig;
use serde_json::Value;
use stripe_client::api::account_links::CreateAccountLink;
use stripe_client::{Params, RequestOptions, StripeClient, StripeConfig};

fn main() {
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_default();
    if !(key.starts_with("sk_test_") || key.starts_with("rk_test_")) {
        let why = if key.is_empty() {
            "STRIPE_SECRET_KEY is not set"
        } else {
            "STRIPE_SECRET_KEY is not a test-mode key"
        };
        println!("real Stripe smoke test: SKIPPED ({why}; set a sk_test_… key to run it)");
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(smoke(key)) {
        Ok(()) => println!("real Stripe smoke test: passed"),
        Err(e) => {
            eprintln!("real Stripe smoke test: FAILED: {e}");
            std::process::exit(1);
        }
    }
}

async fn smoke(key: String) -> Result<(), String> {
    let mut config = StripeConfig::new(key);
    if let Ok(base) = std::env::var("STRIPE_API_BASE") {
        config = config.with_api_base(base);
    }
    let stripe = StripeClient::new(config).map_err(|e| e.to_string())?;
    let platform = PlatformConfig::default();
    let mut params = Params::new();
    for (k, v) in platform.v1_account_params("smoke-test@example.com") {
        params = params.set(k, v);
    }
    let run = format!("portal-smoke-{}", std::process::id());
    let account: Value = stripe
        .post_form(
            "/v1/accounts",
            &params,
            &RequestOptions::new().idempotency_key(format!("{run}-account")),
        )
        .await
        .map_err(|e| format!("creating the account: {e}"))?;
    let id = account["id"].as_str().ok_or("no account id")?.to_string();
    println!("  created {id}");
    let outcome = exercise(&stripe, &id).await;
    // Deleted whatever happened above, so a failed run leaves nothing behind.
    let deleted = stripe
        .delete_account(&id, &RequestOptions::new())
        .await
        .map_err(|e| format!("deleting {id}: {e}"));
    outcome?;
    deleted?;
    println!("  deleted {id}");
    Ok(())
}

async fn exercise(stripe: &StripeClient, id: &str) -> Result<(), String> {
    let link = stripe
        .create_account_link(
            &CreateAccountLink::onboarding(
                id,
                "https://example.com/account/onboarding/refresh",
                "https://example.com/account/onboarding/return",
            ),
            &RequestOptions::new(),
        )
        .await
        .map_err(|e| format!("creating an account link: {e}"))?;
    if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
        return Err(format!("unexpected account link URL {}", link.url));
    }
    println!("  account link ok (expires {})", link.expires_at);
    let session: Value = stripe
        .post_form(
            "/v1/account_sessions",
            &Params::new()
                .set("account", id)
                .set("components[account_onboarding][enabled]", "true"),
            &RequestOptions::new(),
        )
        .await
        .map_err(|e| format!("creating an account session: {e}"))?;
    if session["client_secret"].as_str().is_none_or(str::is_empty) {
        return Err("the account session has no client secret".into());
    }
    println!("  account session ok");
    let read = stripe
        .retrieve_account(id, &[], &RequestOptions::new())
        .await
        .map_err(|e| format!("reading the account back: {e}"))?;
    if read.id != id {
        return Err(format!("read back {} instead of {id}", read.id));
    }
    println!("  read back ok");
    Ok(())
}
