//! Several portal instances on one PostgreSQL database behave as one: sessions made on one are
//! valid on the other, a webhook delivered to both is applied once, background event processing
//! is shared, and events claimed by an instance that died are taken over.

mod common;

use app::auth::{GetCurrentUser, SignOut};
use app::db::connected_accounts;
use app::db::stripe_events;
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use stripe_client::webhook::unix_now;

/// Two instances on one PostgreSQL database, each with its own data folder (its own offline
/// emulator), as two machines would have. `a_workers`: webhook workers of the first.
async fn two_instances(db: &TestDb, a_workers: usize) -> (TestServer, TestServer) {
    let a = TestServer::start_with(db, |c| c.stripe.webhook_workers = a_workers).await;
    let b_dir = db.data_dir().join("instance-b");
    let b = TestServer::start_with(db, |c| c.data_dir = b_dir).await;
    (a, b)
}

fn account_updated(event_id: &str, account: &str, created: i64, name: &str) -> String {
    json!({
        "id": event_id, "object": "event", "api_version": "2026-09-30.endive",
        "account": account, "created": created, "livemode": false, "type": "account.updated",
        "data": {"object": {
            "id": account, "object": "account", "type": "express", "country": "US",
            "created": 1_700_000_000, "business_profile": {"name": name},
            "capabilities": {"card_payments": "active"}, "charges_enabled": true,
            "payouts_enabled": true, "details_submitted": true,
            "requirements": {"currently_due": [], "eventually_due": [], "past_due": [],
                             "pending_verification": [], "errors": [], "disabled_reason": null}
        }}
    })
    .to_string()
}

async fn deliver(server: &TestServer, body: &str) -> u16 {
    deliver_signed(server, "/webhooks/stripe", body).await
}

async fn until(what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < timeout, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A server-function call carrying `cookie`, as a browser behind a load balancer sends it.
async fn call_with_cookie(server: &TestServer, path: &str, cookie: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(path))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_made_on_one_instance_is_valid_on_the_other() {
    let db = TestDb::postgres().await;
    let (a, b) = two_instances(&db, 2).await;
    let signed_up = sign_up(&reqwest::Client::new(), &a, "both@example.com").await;
    assert_eq!(signed_up.status(), 200);
    let cookie = session_cookie(&signed_up).expect("a session cookie");
    let cookie = cookie.split(';').next().unwrap().to_string();

    let me: Value = call_with_cookie(&b, GetCurrentUser::PATH, &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "both@example.com", "{me}");

    // Signing out on the second ends the session on the first too.
    let out = call_with_cookie(&b, SignOut::PATH, &cookie).await;
    assert!(out.status().is_success(), "{}", out.status());
    let after: Value = call_with_cookie(&a, GetCurrentUser::PATH, &cookie)
        .await
        .json()
        .await
        .unwrap();
    assert!(after.is_null(), "signed out everywhere: {after}");
    a.stop().await;
    b.stop().await;
    db.drop_now().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_webhook_delivered_to_both_is_applied_once() {
    let db = TestDb::postgres().await;
    let (a, b) = two_instances(&db, 2).await;
    let body = account_updated("evt_both", "acct_both", unix_now() - 5, "Delivered twice");
    let (on_a, on_b) = tokio::join!(deliver(&a, &body), deliver(&b, &body));
    assert_eq!((on_a, on_b), (200, 200));
    until("processed", Duration::from_secs(20), async || {
        stripe_events::find(a.db(), "evt_both")
            .await
            .unwrap()
            .is_some_and(|e| e.status == "processed")
    })
    .await;
    let stored = stripe_events::find(a.db(), "evt_both")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.attempts, 1, "processed by one instance, once");
    let row = connected_accounts::find_by_stripe_id(b.db(), "acct_both")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.business_name.as_deref(), Some("Delivered twice"));
    a.stop().await;
    b.stop().await;
    db.drop_now().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn background_work_is_shared_and_survives_a_dead_instance() {
    let db = TestDb::postgres().await;
    // The first instance only receives; the second's workers process what it stored.
    let (a, b) = two_instances(&db, 0).await;
    let now = unix_now();
    for i in 0..20 {
        let body = account_updated(
            &format!("evt_shared_{i}"),
            &format!("acct_shared{i}"),
            now - 60 + i,
            "Shared",
        );
        assert_eq!(deliver(&a, &body).await, 200);
    }
    until(
        "all processed by the other instance",
        Duration::from_secs(30),
        async || stripe_events::count_pending(b.db()).await.unwrap() == 0,
    )
    .await;

    // An instance claims events and dies before finishing them: once its lease runs out, the
    // surviving instance takes them over.
    for i in 0..5 {
        let body = account_updated(
            &format!("evt_orphan_{i}"),
            &format!("acct_orphan{i}"),
            now - 30 + i,
            "Orphaned",
        );
        assert_eq!(deliver(&a, &body).await, 200);
    }
    let claimed = stripe_events::claim_due(b.db(), "instance-that-died", unix_now(), 2, 100)
        .await
        .unwrap();
    let orphaned: Vec<_> = claimed
        .iter()
        .filter(|e| e.id.starts_with("evt_orphan_"))
        .collect();
    assert!(!orphaned.is_empty(), "the dead instance held some events");
    until(
        "orphaned events taken over",
        Duration::from_secs(30),
        async || stripe_events::count_pending(b.db()).await.unwrap() == 0,
    )
    .await;
    for i in 0..5 {
        let e = stripe_events::find(b.db(), &format!("evt_orphan_{i}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(e.status, "processed");
    }
    a.stop().await;
    b.stop().await;
    db.drop_now().await;
}
