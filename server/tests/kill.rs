//! SIGKILL during a webhook burst loses no event: every delivery the portal acknowledged is
//! stored, and after a restart every stored event is applied. The real server binary, on SQLite
//! and on PostgreSQL.

#[macro_use]
mod common;

use app::db::{stripe_events, Db};
use common::*;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use stripe_client::webhook::{sign, unix_now};

/// Deliveries in the burst; the process is killed long before the last.
const BURST: usize = 20_000;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn_portal(db: &TestDb, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", db.data_dir())
        .env("DATABASE_URL", db.url())
        .env("EMULATOR_ADDR", "127.0.0.1:0")
        .env("STRIPE_WEBHOOK_SECRETS", WEBHOOK_SECRET)
        // A short lease, so the restarted process takes up the dead one's claims within the test.
        .env("WEBHOOK_LEASE_SECS", "3")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_OUTPUT_NAME", "connect-portal")
        .env("LOG", "warn")
        .env_remove("STRIPE_SECRET_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_healthy(port: u16) {
    let start = Instant::now();
    loop {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            if r.status().is_success() {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "portal never became healthy"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn event(i: usize, created: i64) -> (String, String) {
    let id = format!("evt_burst_{i:05}");
    let body = json!({
        "id": id, "object": "event", "api_version": "2026-09-30.endive",
        "account": format!("acct_burst{}", i % 40), "created": created + i as i64,
        "livemode": false, "type": "account.updated",
        "data": {"object": {
            "id": format!("acct_burst{}", i % 40), "object": "account", "type": "express",
            "country": "US", "created": 1_700_000_000, "charges_enabled": true,
            "payouts_enabled": false, "details_submitted": true,
            "business_profile": {"name": format!("burst {i}")},
            "requirements": {"currently_due": [], "eventually_due": [], "past_due": [],
                             "pending_verification": [], "errors": [], "disabled_reason": null}
        }}
    })
    .to_string();
    (id, body)
}

async fn killed_mid_burst_loses_nothing(db: &TestDb) {
    let port = free_port();
    let mut portal = spawn_portal(db, port);
    wait_healthy(port).await;

    let created = unix_now() - 120;
    let http = reqwest::Client::new();
    let killed = Arc::new(AtomicBool::new(false));
    let mut senders = Vec::new();
    for sender in 0..8 {
        let http = http.clone();
        let killed = killed.clone();
        senders.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in (sender..BURST).step_by(8) {
                if killed.load(Ordering::Relaxed) {
                    break;
                }
                let (id, body) = event(i, created);
                let sent = http
                    .post(format!("http://127.0.0.1:{port}/webhooks/stripe"))
                    .header("content-type", "application/json")
                    .header(
                        "stripe-signature",
                        sign(body.as_bytes(), WEBHOOK_SECRET, unix_now()),
                    )
                    .body(body)
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 200 => acknowledged.push(id),
                    // The process died under this request: Stripe would retry it later.
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    // Kill while deliveries are in flight and the workers are busy applying.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    portal.kill().unwrap(); // SIGKILL: no shutdown code runs.
    portal.wait().unwrap();
    killed.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for s in senders {
        acknowledged.extend(s.await.unwrap());
    }
    assert!(
        acknowledged.len() > 50 && acknowledged.len() < BURST,
        "the burst was under way when the process died ({} acknowledged)",
        acknowledged.len()
    );

    let check = Db::connect(&db.url()).await.unwrap();
    let pending_at_kill = stripe_events::count_pending(&check).await.unwrap();

    // Restart: the stored events are applied, none is missing.
    let mut restarted = spawn_portal(db, port);
    wait_healthy(port).await;
    let start = Instant::now();
    while stripe_events::count_pending(&check).await.unwrap() > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "stored events never applied"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for id in &acknowledged {
        let stored = stripe_events::find(&check, id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{id} was acknowledged but is not stored"));
        assert_eq!(stored.status, "processed", "{id}");
    }
    eprintln!(
        "acknowledged {} before SIGKILL, {} of the stored ones still pending then; all applied after restart",
        acknowledged.len(),
        pending_at_kill
    );
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    check.close().await;
}
on_both_databases!(killed_mid_burst_loses_nothing, multi_thread);
