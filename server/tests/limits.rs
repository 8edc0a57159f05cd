//! The limits of issue 15 item 11 over HTTP against the real server: HSTS when the portal is
//! served over https, the webhook body limit, the request timeout, the concurrency limit (more
//! requests wait their turn) and the database pool's size.

#[macro_use]
mod common;

use app::onboarding::StartOnboarding;
use common::*;
use leptos::server_fn::ServerFn;
use std::time::{Duration, Instant};

#[tokio::test]
async fn hsts_only_over_https() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start_with(&db, |c| {
        c.public_url = Some("https://portal.example.com".into());
        c.stripe.allow_emulator = true;
        c.mail.allow_dev_mailbox = true;
    })
    .await;
    let answer = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(
        answer.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    server.stop().await;
    let server = TestServer::start(&db).await;
    let answer = client().get(server.url("/healthz")).send().await.unwrap();
    assert!(answer.headers().get("strict-transport-security").is_none());
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn webhook_bodies_over_a_mebibyte_are_refused_unread() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start(&db).await;
    let huge = "x".repeat(1024 * 1024 + 1);
    let answer = reqwest::Client::new()
        .post(server.url("/webhooks/stripe"))
        .header("stripe-signature", "t=1,v1=00")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 413);
    server.stop().await;
    db.drop_now().await;
}

async fn a_slow_request_is_answered_408(db: &TestDb) {
    let server = TestServer::start_with(db, |c| c.limits.request_timeout_secs = 3).await;
    let owner = client();
    sign_up(&owner, &server, "patient@example.com").await;
    stripe_latency(&server, 5_000).await;
    let begin = Instant::now();
    let slow = call(&owner, &server, StartOnboarding::PATH, &[]).await;
    assert_eq!(slow.status(), 408);
    assert!(
        begin.elapsed() < Duration::from_secs(5),
        "answered at the timeout"
    );
    stripe_latency(&server, 0).await;
    // The server goes on serving. Under CI's load (other tests hashing passwords on both cores)
    // one page can itself pass this test's 3 s limit, so a few tries are allowed; a server
    // left stuck by the cut-off request would answer none of them.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let page = owner.get(server.url("/account")).send().await.unwrap();
        statuses.push(page.status().as_u16());
        if page.status() == 200 {
            break;
        }
    }
    assert_eq!(
        statuses.last(),
        Some(&200),
        "the server goes on: {statuses:?}"
    );
    server.stop().await;
}
on_both_databases!(a_slow_request_is_answered_408);

#[tokio::test]
async fn requests_past_the_concurrency_limit_wait_their_turn() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start_with(&db, |c| c.limits.max_concurrent_requests = 1).await;
    let owner = client();
    sign_up(&owner, &server, "busy@example.com").await;
    stripe_latency(&server, 1_500).await;
    let slow = tokio::spawn({
        let url = server.url(StartOnboarding::PATH);
        let owner = owner.clone();
        async move {
            owner
                .post(url)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let begin = Instant::now();
    let health = client().get(server.url("/healthz")).send().await.unwrap();
    let waited = begin.elapsed();
    assert_eq!(health.status(), 200, "waited, not refused");
    assert!(
        waited >= Duration::from_millis(1_000),
        "the second request waited for the first: {waited:?}"
    );
    assert!(slow.await.unwrap().is_success());
    server.stop().await;
    db.drop_now().await;
}

async fn the_pool_size_is_configurable(db: &TestDb) {
    let server = TestServer::start_with(db, |c| c.limits.database_max_connections = Some(3)).await;
    assert_eq!(server.db().pool().options().get_max_connections(), 3);
    server.stop().await;
}
on_both_databases!(the_pool_size_is_configurable);
