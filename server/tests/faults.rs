//! Under injected faults (20% of API answers 500 or 429, added latency; webhook deliveries dropped,
//! duplicated and reordered), no account is created twice and the portal's account cache
//! converges to the offline Stripe emulator's true state, on both databases.

#[macro_use]
mod common;

use app::db::connected_accounts;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use stripe_client::api::accounts::CreateAccount;
use stripe_client::{Params, RequestOptions};

async fn control(server: &TestServer, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", server.emulator))
        .bearer_auth(server::stripe_setup::EMULATOR_SECRET_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// The fields the console and the status view rest on, from Stripe's account JSON.
fn essentials(account: &Value) -> Value {
    let sorted = |v: &Value| {
        let mut items: Vec<String> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        items.sort();
        items
    };
    let requirements = &account["requirements"];
    json!({
        "charges_enabled": account["charges_enabled"],
        "payouts_enabled": account["payouts_enabled"],
        "details_submitted": account["details_submitted"],
        "disabled_reason": requirements["disabled_reason"],
        "current_deadline": requirements["current_deadline"],
        "currently_due": sorted(&requirements["currently_due"]),
        "past_due": sorted(&requirements["past_due"]),
        "email": account["email"],
    })
}

fn cached_essentials(row: &connected_accounts::ConnectedAccountRow) -> Value {
    let requirements: Value = serde_json::from_str(&row.requirements).unwrap();
    essentials(&json!({
        "charges_enabled": row.charges_enabled == 1,
        "payouts_enabled": row.payouts_enabled == 1,
        "details_submitted": row.details_submitted == 1,
        "requirements": requirements,
        "email": row.email,
    }))
}

async fn cache_converges_under_faults(db: &TestDb) {
    let server = TestServer::start_with(db, |c| c.stripe.reconcile_every_secs = 1).await;
    let stripe = server.state.stripe.clone();
    control(
        &server,
        "/_sandbox/api/faults",
        json!({"error_500_rate": 0.1, "error_429_rate": 0.1, "latency_ms": 15,
               "webhook_drop_rate": 0.3, "webhook_duplicate_rate": 0.2,
               "webhook_reorder_rate": 0.3}),
    )
    .await;

    // Each account created with one idempotency key, retried until Stripe answers (the client
    // retries too): a 500 after Stripe did the work must not make a second account.
    let mut ids = Vec::new();
    for n in 0..8 {
        let params = CreateAccount {
            country: Some("US".into()),
            email: Some(format!("faults-{n}@example.com")),
            ..CreateAccount::default()
        }
        .request_capabilities(["card_payments", "transfers"]);
        let opts = RequestOptions::new().idempotency_key(format!("faults-create-{n}"));
        let account = loop {
            match stripe.create_account(&params, &opts).await {
                Ok(a) => break a,
                Err(e) if e.status().is_none_or(|s| s == 429 || s >= 500) => continue,
                Err(e) => panic!("creating an account: {e}"),
            }
        };
        ids.push(account.id);
    }
    // Stripe changes its mind about some accounts while deliveries misbehave.
    for (n, id) in ids.iter().enumerate() {
        match n % 3 {
            0 => {
                control(
                    &server,
                    &format!("/_sandbox/api/accounts/{id}/requirements/add"),
                    json!({"field": "company.tax_id", "deadline_days": 5}),
                )
                .await;
            }
            1 => {
                control(
                    &server,
                    &format!("/_sandbox/api/accounts/{id}/reject"),
                    json!({"reason": "fraud"}),
                )
                .await;
            }
            _ => {}
        }
    }
    // The emulator's list holds each account once.
    control(&server, "/_sandbox/api/faults/reset", json!({})).await;
    let listed: Value = stripe
        .get(
            "/v1/accounts",
            &Params::new().set("limit", "100"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let mut emails: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["email"].as_str())
        .filter(|e| e.starts_with("faults-"))
        .collect();
    emails.sort();
    let before = emails.len();
    emails.dedup();
    assert_eq!(
        (before, emails.len()),
        (8, 8),
        "no account was created twice"
    );

    // Whatever webhooks were lost, the cache ends up equal to Stripe's truth.
    let start = Instant::now();
    loop {
        let mut differences = Vec::new();
        for id in &ids {
            let truth: Value = stripe
                .get(
                    &format!("/v1/accounts/{id}"),
                    &Params::new(),
                    &RequestOptions::new(),
                )
                .await
                .unwrap();
            let cached = connected_accounts::find_by_stripe_id(server.db(), id)
                .await
                .unwrap();
            let same = cached
                .as_ref()
                .is_some_and(|row| cached_essentials(row) == essentials(&truth));
            if !same {
                differences.push((
                    id.clone(),
                    essentials(&truth),
                    cached.map(|r| cached_essentials(&r)),
                ));
            }
        }
        if differences.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the cache never converged: {differences:#?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    server.stop().await;
}
on_both_databases!(cache_converges_under_faults, multi_thread);
