//! The webhook pipeline and the account cache, against the real server and the in-process offline
//! Stripe emulator, once on SQLite and once on PostgreSQL.

#[macro_use]
mod common;

use app::account_sync::{self, SyncCause, VersionHint};
use app::db::connected_accounts::{self, ApiVersion, ConnectedAccountRow};
use app::db::stripe_events;
use app::db::Db;
use common::*;
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stripe_client::api::accounts::CreateAccount;
use stripe_client::webhook::{sign, unix_now};
use stripe_client::RequestOptions;

const SNAPSHOT: &str = "/webhooks/stripe";
const THIN: &str = "/webhooks/stripe/thin";

/// A fresh database of the same kind.
async fn another(db: &TestDb) -> TestDb {
    match db {
        TestDb::Sqlite { .. } => TestDb::sqlite().await,
        TestDb::Postgres { .. } => TestDb::postgres().await,
    }
}

/// A v1 `account.updated` event carrying a full account snapshot.
fn account_updated(event_id: &str, account: &str, created: i64, version: i64) -> String {
    json!({
        "id": event_id,
        "object": "event",
        "api_version": "2026-09-30.endive",
        "account": account,
        "created": created,
        "livemode": false,
        "type": "account.updated",
        "data": {"object": {
            "id": account,
            "object": "account",
            "type": "express",
            "country": "US",
            "email": format!("owner-{version}@example.com"),
            "created": 1_700_000_000,
            "business_profile": {"name": format!("{account} version {version}")},
            "capabilities": {"card_payments": if version % 2 == 0 { "active" } else { "pending" }},
            "charges_enabled": version % 2 == 0,
            "payouts_enabled": version % 3 == 0,
            "details_submitted": true,
            "requirements": {"currently_due": [format!("field_{version}")], "eventually_due": [],
                             "past_due": [], "pending_verification": [], "errors": [],
                             "current_deadline": created + 86_400, "disabled_reason": null},
            "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}}
        }}
    })
    .to_string()
}

async fn deliver(
    http: &reqwest::Client,
    server: &TestServer,
    path: &str,
    body: &str,
    signature: Option<&str>,
) -> (u16, String) {
    let mut request = http
        .post(server.url(path))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(signature) = signature {
        request = request.header("stripe-signature", signature);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn deliver_signed(http: &reqwest::Client, server: &TestServer, body: &str) -> u16 {
    let signature = sign(body.as_bytes(), WEBHOOK_SECRET, unix_now());
    deliver(http, server, SNAPSHOT, body, Some(&signature))
        .await
        .0
}

async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < timeout, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_all_processed(db: &Db, timeout: Duration) {
    eventually("every stored event processed", timeout, || async {
        stripe_events::count_pending(db).await.unwrap() == 0
    })
    .await;
}

async fn stored(db: &Db, id: &str) -> Option<stripe_events::EventStatus> {
    stripe_events::find(db, id).await.unwrap()
}

async fn signature_cases(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let now = unix_now();
    // Each event of its own second, so none needs a fetch (the account exists only here).
    let body = |id: &str| {
        let second = id.bytes().map(i64::from).sum::<i64>();
        account_updated(id, "acct_signatures", now - 10_000 + second, 1)
    };

    // Accepted: the configured secret, the rolled (old) one, the emulator's own, and a header with
    // several v1 values of which one matches.
    let emulator_secret = std::fs::read_to_string(
        db.data_dir()
            .join(server::stripe_setup::WEBHOOK_SECRET_FILE),
    )
    .unwrap();
    let accepted = [
        (
            "evt_good",
            sign(body("evt_good").as_bytes(), WEBHOOK_SECRET, now),
        ),
        (
            "evt_rotated",
            sign(body("evt_rotated").as_bytes(), OLD_WEBHOOK_SECRET, now),
        ),
        (
            "evt_emulator_secret",
            sign(
                body("evt_emulator_secret").as_bytes(),
                &emulator_secret,
                now,
            ),
        ),
        (
            "evt_several_v1",
            format!(
                "t={now},v1={},v1={},v0=ignored",
                "00".repeat(32),
                sign(body("evt_several_v1").as_bytes(), WEBHOOK_SECRET, now)
                    .split("v1=")
                    .nth(1)
                    .unwrap()
            ),
        ),
    ];
    for (id, signature) in &accepted {
        let (status, _) = deliver(&http, &server, SNAPSHOT, &body(id), Some(signature)).await;
        assert_eq!(status, 200, "{id}");
        assert!(stored(server.db(), id).await.is_some(), "{id} stored");
    }

    let tampered_signature = sign(body("evt_tampered").as_bytes(), WEBHOOK_SECRET, now);
    let tampered_body = body("evt_tampered").replace("version 1", "version 2");
    let refused: Vec<(&str, String, Option<String>)> = vec![
        (
            "evt_wrong_secret",
            body("evt_wrong_secret"),
            Some(sign(
                body("evt_wrong_secret").as_bytes(),
                "whsec_someone_else",
                now,
            )),
        ),
        ("evt_tampered", tampered_body, Some(tampered_signature)),
        (
            "evt_stale",
            body("evt_stale"),
            Some(sign(
                body("evt_stale").as_bytes(),
                WEBHOOK_SECRET,
                now - 360,
            )),
        ),
        (
            "evt_future",
            body("evt_future"),
            Some(sign(
                body("evt_future").as_bytes(),
                WEBHOOK_SECRET,
                now + 360,
            )),
        ),
        (
            "evt_several_wrong",
            body("evt_several_wrong"),
            Some(format!(
                "t={now},v1={},v1={}",
                "00".repeat(32),
                "ab".repeat(32)
            )),
        ),
        ("evt_missing", body("evt_missing"), None),
        (
            "evt_malformed",
            body("evt_malformed"),
            Some("t=yesterday,v1=zz".into()),
        ),
    ];
    for (id, payload, signature) in &refused {
        let (status, text) = deliver(&http, &server, SNAPSHOT, payload, signature.as_deref()).await;
        assert_eq!(status, 400, "{id}");
        assert_eq!(text, "invalid signature", "{id}: no detail in the answer");
        assert!(stored(server.db(), id).await.is_none(), "{id} not stored");
    }
    // The thin endpoint checks signatures the same way.
    let thin = json!({"id": "evt_thin_forged", "object": "v2.core.event",
        "type": "v2.core.account[requirements].updated", "created": "2026-01-01T00:00:00.000Z",
        "context": "acct_signatures"})
    .to_string();
    let forged = sign(thin.as_bytes(), "whsec_someone_else", now);
    assert_eq!(
        deliver(&http, &server, THIN, &thin, Some(&forged)).await.0,
        400
    );
    assert!(stored(server.db(), "evt_thin_forged").await.is_none());

    // Signed, but not an event: refused and not stored.
    let junk = r#"{"hello":"world"}"#;
    let signature = sign(junk.as_bytes(), WEBHOOK_SECRET, now);
    assert_eq!(
        deliver(&http, &server, SNAPSHOT, junk, Some(&signature))
            .await
            .0,
        400
    );

    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    let counts = stripe_events::count_by_status(server.db()).await.unwrap();
    assert_eq!(
        counts,
        vec![("processed".to_string(), accepted.len() as i64)]
    );
    server.stop().await;
}
on_both_databases!(signature_cases, multi_thread);

async fn duplicate_delivery_is_applied_once(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let created = unix_now() - 60;
    let body = account_updated("evt_dup", "acct_dup", created, 4);
    let mut deliveries = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let http = http.clone();
        let body = body.clone();
        let url = server.url(SNAPSHOT);
        deliveries.spawn(async move {
            let signature = sign(body.as_bytes(), WEBHOOK_SECRET, unix_now());
            http.post(url)
                .header("stripe-signature", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    while let Some(status) = deliveries.join_next().await {
        assert_eq!(status.unwrap(), 200, "redeliveries are acknowledged");
    }
    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    // And once more after processing.
    assert_eq!(deliver_signed(&http, &server, &body).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let event = stored(server.db(), "evt_dup").await.unwrap();
    assert_eq!(event.status, "processed");
    assert_eq!(event.attempts, 1, "processed exactly once");
    let counts = stripe_events::count_by_status(server.db()).await.unwrap();
    assert_eq!(counts, vec![("processed".to_string(), 1)]);
    let row = connected_accounts::find_by_stripe_id(server.db(), "acct_dup")
        .await
        .unwrap()
        .expect("cached");
    assert_eq!(row.last_event_at, created);
    assert_eq!(row.business_name.as_deref(), Some("acct_dup version 4"));
    assert_eq!(row.charges_enabled, 1);
    assert_eq!(row.payout_interval.as_deref(), Some("daily"));
    server.stop().await;
}
on_both_databases!(duplicate_delivery_is_applied_once, multi_thread);

/// The cache without the columns that depend on insertion order.
fn comparable(rows: Vec<ConnectedAccountRow>) -> Vec<ConnectedAccountRow> {
    rows.into_iter()
        .map(|mut r| {
            r.id = 0;
            r
        })
        .collect()
}

async fn thousand_events_in_any_order(db: &TestDb) {
    const ACCOUNTS: usize = 10;
    const PER_ACCOUNT: usize = 100;
    let base = unix_now() - 100_000;
    let mut events = Vec::new();
    for v in 0..PER_ACCOUNT {
        for a in 0..ACCOUNTS {
            let account = format!("acct_order{a:02}");
            let id = format!("evt_order_{a:02}_{v:03}");
            // Distinct times per account, so "newer" is always defined.
            events.push(account_updated(
                &id,
                &account,
                base + v as i64 * 7,
                v as i64,
            ));
        }
    }

    // In order, one at a time.
    let in_order = TestServer::start(db).await;
    let http = reqwest::Client::new();
    for body in &events {
        assert_eq!(deliver_signed(&http, &in_order, body).await, 200);
    }
    wait_all_processed(in_order.db(), Duration::from_secs(120)).await;
    let expected = comparable(connected_accounts::list_all(in_order.db()).await.unwrap());
    in_order.stop().await;
    assert_eq!(expected.len(), ACCOUNTS);
    assert!(expected
        .iter()
        .all(|r| r.business_name.as_deref().unwrap().ends_with("version 99")));

    // Three times each, shuffled, 32 at a time.
    let other = another(db).await;
    let shuffled_server = TestServer::start(&other).await;
    let mut deliveries: Vec<String> = events
        .iter()
        .flat_map(|e| [e.clone(), e.clone(), e.clone()])
        .collect();
    {
        use rand::seq::SliceRandom;
        deliveries.shuffle(&mut rand::thread_rng());
    }
    let url = shuffled_server.url(SNAPSHOT);
    let permits = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = tokio::task::JoinSet::new();
    for body in deliveries {
        let permit = permits.clone().acquire_owned().await.unwrap();
        let http = http.clone();
        let url = url.clone();
        tasks.spawn(async move {
            let signature = sign(body.as_bytes(), WEBHOOK_SECRET, unix_now());
            let status = http
                .post(url)
                .header("stripe-signature", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status();
            drop(permit);
            status.as_u16()
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    wait_all_processed(shuffled_server.db(), Duration::from_secs(180)).await;
    let actual = comparable(
        connected_accounts::list_all(shuffled_server.db())
            .await
            .unwrap(),
    );
    let counts = stripe_events::count_by_status(shuffled_server.db())
        .await
        .unwrap();
    assert_eq!(counts, vec![("processed".to_string(), 1000)]);
    shuffled_server.stop().await;
    other.drop_now().await;
    assert_eq!(actual, expected);
}
on_both_databases!(thousand_events_in_any_order, multi_thread);

async fn stored_events_survive_a_crash(db: &TestDb) {
    // An instance that only stores (its processing never runs): the "crash" comes between store
    // and process.
    let ingest_only = TestServer::start_with(db, |c| c.stripe.webhook_workers = 0).await;
    let http = reqwest::Client::new();
    let created = unix_now() - 30;
    let body = account_updated("evt_crash", "acct_crash", created, 6);
    assert_eq!(deliver_signed(&http, &ingest_only, &body).await, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        stored(ingest_only.db(), "evt_crash").await.unwrap().status,
        "pending"
    );
    ingest_only.stop().await;

    let restarted = TestServer::start(db).await;
    wait_all_processed(restarted.db(), Duration::from_secs(20)).await;
    let row = connected_accounts::find_by_stripe_id(restarted.db(), "acct_crash")
        .await
        .unwrap()
        .expect("processed after the restart");
    assert_eq!(row.last_event_at, created);
    assert_eq!(row.business_name.as_deref(), Some("acct_crash version 6"));
    restarted.stop().await;
}
on_both_databases!(stored_events_survive_a_crash, multi_thread);

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

async fn create_accounts_under_faults(db: &TestDb) {
    let server = TestServer::start(db).await;
    let stripe = server.state.stripe.clone();
    control(
        &server,
        "/_sandbox/api/faults",
        json!({"error_500_rate": 0.3, "error_429_rate": 0.2, "latency_ms": 20}),
    )
    .await;
    const OWNERS: usize = 8;
    let mut tasks = tokio::task::JoinSet::new();
    for owner in 0..OWNERS {
        let stripe = stripe.clone();
        tasks.spawn(async move {
            let params = CreateAccount {
                country: Some("US".into()),
                email: Some(format!("owner{owner}@example.com")),
                metadata: [("owner".to_string(), owner.to_string())].into(),
                ..CreateAccount::default()
            }
            .request_capabilities(["card_payments", "transfers"]);
            let opts =
                RequestOptions::new().idempotency_key(format!("create-account-owner-{owner}"));
            // As a person pressing the button again after an error: same key every time.
            let mut tries = 0;
            loop {
                tries += 1;
                match stripe.create_account(&params, &opts).await {
                    Ok(account) => return (owner, account.id, tries),
                    Err(error) => {
                        assert!(tries < 30, "never succeeded: {error}");
                    }
                }
            }
        });
    }
    let mut created = Vec::new();
    while let Some(result) = tasks.join_next().await {
        created.push(result.unwrap());
    }
    control(&server, "/_sandbox/api/faults/reset", json!({})).await;

    let listed = stripe
        .list_accounts(
            &stripe_client::api::ListParams::limit(100),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(listed.data.len(), OWNERS, "no account created twice");
    let mut owners: Vec<&str> = listed
        .data
        .iter()
        .map(|a| a.metadata["owner"].as_str())
        .collect();
    owners.sort();
    owners.dedup();
    assert_eq!(owners.len(), OWNERS);
    for (_, id, _) in &created {
        assert!(listed.data.iter().any(|a| &a.id == id));
    }

    // Cached as the onboarding flow does after creating (one row per account).
    for (_, id, _) in &created {
        account_sync::sync(
            server.db(),
            &stripe,
            id,
            VersionHint::Known(ApiVersion::V1),
            SyncCause::default(),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        connected_accounts::list_all(server.db())
            .await
            .unwrap()
            .len(),
        OWNERS
    );

    // A fetch that fails is recorded with its error and retried until it succeeds.
    wait_all_processed(server.db(), Duration::from_secs(60)).await;
    control(
        &server,
        "/_sandbox/api/faults",
        json!({"error_500_rate": 1.0}),
    )
    .await;
    let account = &created[0].1;
    let capability = json!({
        "id": "evt_capability_retry", "object": "event", "type": "capability.updated",
        "account": account, "created": unix_now(),
        "data": {"object": {"id": "card_payments", "object": "capability", "account": account,
                            "status": "active", "requested": true}}
    })
    .to_string();
    let http = reqwest::Client::new();
    assert_eq!(deliver_signed(&http, &server, &capability).await, 200);
    eventually("the failure recorded", Duration::from_secs(30), || async {
        stored(server.db(), "evt_capability_retry")
            .await
            .is_some_and(|e| e.attempts >= 1 && e.last_error.is_some())
    })
    .await;
    let failed = stored(server.db(), "evt_capability_retry").await.unwrap();
    assert_eq!(failed.status, "pending", "kept for a retry");
    assert!(
        !failed.last_error.as_deref().unwrap().contains("sk_test"),
        "{failed:?}"
    );
    control(&server, "/_sandbox/api/faults/reset", json!({})).await;
    eventually("processed on a retry", Duration::from_secs(30), || async {
        stored(server.db(), "evt_capability_retry")
            .await
            .is_some_and(|e| e.status == "processed")
    })
    .await;
    server.stop().await;
}
on_both_databases!(create_accounts_under_faults, multi_thread);

async fn emulator_changes_reach_the_cache(db: &TestDb) {
    let server = TestServer::start(db).await;
    let stripe = server.state.stripe.clone();
    let account = stripe
        .create_account(
            &CreateAccount {
                country: Some("US".into()),
                email: Some("e2e@example.com".into()),
                ..CreateAccount::default()
            }
            .request_capabilities(["card_payments", "transfers"]),
            &RequestOptions::new().idempotency_key("create-account-e2e"),
        )
        .await
        .unwrap();
    // What the onboarding flow does after creating the account.
    account_sync::sync(
        server.db(),
        &stripe,
        &account.id,
        VersionHint::Known(ApiVersion::V1),
        SyncCause::default(),
    )
    .await
    .unwrap();
    let cached = connected_accounts::find_by_stripe_id(server.db(), &account.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cached.api_version, "v1");
    assert_eq!(cached.email.as_deref(), Some("e2e@example.com"));
    assert!(!cached.requirements.contains("company.tax_id"));

    // Stripe asks for more information; the webhook brings it to the cache.
    control(
        &server,
        &format!("/_sandbox/api/accounts/{}/requirements/add", account.id),
        json!({"field": "company.tax_id", "deadline_days": 3}),
    )
    .await;
    eventually(
        "the new requirement in the cache",
        Duration::from_secs(30),
        || async {
            connected_accounts::find_by_stripe_id(server.db(), &account.id)
                .await
                .unwrap()
                .is_some_and(|r| {
                    r.requirements.contains("company.tax_id") && r.current_deadline.is_some()
                })
        },
    )
    .await;
    wait_all_processed(server.db(), Duration::from_secs(30)).await;
    let row = connected_accounts::find_by_stripe_id(server.db(), &account.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.api_version, "v1",
        "thin events keep the account's version"
    );
    assert!(row.last_event_at > 0);
    let requirements: Value = serde_json::from_str(&row.requirements).unwrap();
    assert!(requirements["currently_due"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "company.tax_id"));
    server.stop().await;
}
on_both_databases!(emulator_changes_reach_the_cache, multi_thread);

async fn deauthorization_marks_the_connection_revoked(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let created = unix_now() - 100;
    let account = "acct_revoked";
    assert_eq!(
        deliver_signed(
            &http,
            &server,
            &account_updated("evt_before", account, created, 2)
        )
        .await,
        200
    );
    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    // An older deauthorization (delivered late) does not revoke; a newer one does.
    let deauthorized = |id: &str, at: i64| {
        json!({"id": id, "object": "event", "type": "account.application.deauthorized",
               "account": account, "created": at,
               "data": {"object": {"id": "ca_platform", "object": "application", "name": "Platform"}}})
        .to_string()
    };
    assert_eq!(
        deliver_signed(
            &http,
            &server,
            &deauthorized("evt_old_deauth", created - 10)
        )
        .await,
        200
    );
    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    let row = connected_accounts::find_by_stripe_id(server.db(), account)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.revoked, 0);
    assert_eq!(
        deliver_signed(
            &http,
            &server,
            &deauthorized("evt_new_deauth", created + 10)
        )
        .await,
        200
    );
    // Unknown types are stored and marked ignored.
    let unknown =
        json!({"id": "evt_unknown", "object": "event", "type": "radar.early_fraud_warning.created",
        "account": account, "created": created, "data": {"object": {}}})
        .to_string();
    assert_eq!(deliver_signed(&http, &server, &unknown).await, 200);
    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    let row = connected_accounts::find_by_stripe_id(server.db(), account)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.revoked, 1);
    assert_eq!(
        stored(server.db(), "evt_unknown").await.unwrap().status,
        "ignored"
    );
    // Deliveries are not ordered: an `account.application.authorized` from before the
    // disconnection, applied after it, leaves the connection revoked; a newer one clears it.
    let event: Value =
        serde_json::from_str(&account_updated("evt_x", account, created, 3)).unwrap();
    let record = account_sync::record_from_v1(&event["data"]["object"]).unwrap();
    for (authorized_at, revoked) in [(created, 1), (created + 20, 0)] {
        connected_accounts::store_fetched(
            server.db(),
            &record,
            ApiVersion::V1,
            false,
            connected_accounts::FetchedAt {
                started_ms: account_sync::unix_now_ms(),
                finished: unix_now(),
                stripe_time: unix_now(),
                event_created: authorized_at,
                reconnected: true,
            },
        )
        .await
        .unwrap();
        let row = connected_accounts::find_by_stripe_id(server.db(), account)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.revoked, revoked, "authorized at {authorized_at}");
    }
    server.stop().await;
}
on_both_databases!(deauthorization_marks_the_connection_revoked, multi_thread);

/// An event stored as a delivery would store it, for tests that drive the claims themselves.
async fn store_event(db: &Db, id: &str, created: i64) {
    let payload = account_updated(id, "acct_claims", created, 1);
    let stored = stripe_events::insert(
        db,
        &stripe_events::NewEvent {
            id,
            source: stripe_events::EventSource::Snapshot,
            event_type: "account.updated",
            account_id: Some("acct_claims"),
            created,
            payload: &payload,
        },
    )
    .await
    .unwrap();
    assert!(stored);
}

async fn attempts_are_counted_when_they_start(db: &TestDb) {
    let server = TestServer::start_with(db, |c| c.stripe.webhook_workers = 0).await;
    let db = server.db();
    let t = unix_now();
    store_event(db, "evt_poison", t - 100).await;
    store_event(db, "evt_after_poison", t - 99).await;

    // Three workers in turn claim the batch, start the first event and die before recording an
    // outcome (a panic); each time the lease runs out. The event after it is never started, so
    // it uses up no attempt.
    for n in 1..=3 {
        let now = t + n * 10;
        let worker = format!("dying-{n}");
        let claimed = stripe_events::claim_due(db, &worker, now, 5, 16)
            .await
            .unwrap();
        let ids: Vec<&str> = claimed.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["evt_poison", "evt_after_poison"], "claim {n}");
        assert_eq!(
            stripe_events::start_attempt(db, "evt_poison", &worker, now, 5)
                .await
                .unwrap(),
            Some(n),
            "the attempt is counted as it starts"
        );
    }
    assert_eq!(stored(db, "evt_poison").await.unwrap().attempts, 3);
    assert_eq!(stored(db, "evt_after_poison").await.unwrap().attempts, 0);

    // A claim that ran out is no longer its worker's: once another worker holds the event, the
    // first one cannot start it nor record an outcome for it.
    let late = t + 100;
    stripe_events::claim_due(db, "slow", late, 5, 16)
        .await
        .unwrap();
    stripe_events::claim_due(db, "quick", late + 10, 5, 16)
        .await
        .unwrap();
    assert_eq!(
        stripe_events::start_attempt(db, "evt_after_poison", "slow", late + 10, 5)
            .await
            .unwrap(),
        None,
        "taken by another worker"
    );
    stripe_events::finish(db, "evt_after_poison", "slow", "processed")
        .await
        .unwrap();
    assert_eq!(
        stored(db, "evt_after_poison").await.unwrap().status,
        "pending"
    );
    // Its own claim that ran out, even with nobody else holding it yet, is not started either.
    assert_eq!(
        stripe_events::start_attempt(db, "evt_after_poison", "quick", late + 16, 5)
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        stripe_events::start_attempt(db, "evt_after_poison", "quick", late + 15, 5)
            .await
            .unwrap(),
        Some(1)
    );
    stripe_events::finish(db, "evt_after_poison", "quick", "processed")
        .await
        .unwrap();
    let done = stored(db, "evt_after_poison").await.unwrap();
    assert_eq!((done.status.as_str(), done.attempts), ("processed", 1));

    // The poison event's fourth attempt starts; with three allowed, the worker gives it up
    // instead, without counting the attempt that does not run.
    assert_eq!(
        stripe_events::start_attempt(db, "evt_poison", "quick", late + 15, 5)
            .await
            .unwrap(),
        Some(4)
    );
    stripe_events::abandon(db, "evt_poison", "quick", "gave up", 1)
        .await
        .unwrap();
    let poison = stored(db, "evt_poison").await.unwrap();
    assert_eq!((poison.status.as_str(), poison.attempts), ("failed", 3));
    server.stop().await;
}
on_both_databases!(attempts_are_counted_when_they_start);

/// Processing that records which worker processed which event.
fn recording_process(
    label: &'static str,
    calls: Arc<std::sync::Mutex<Vec<(&'static str, String)>>>,
    slow_event: Option<(&'static str, Duration, Arc<tokio::sync::Notify>)>,
) -> server::webhooks::worker::Process {
    use server::webhooks::processing::Outcome;
    Arc::new(move |_db, _stripe, event| {
        let calls = calls.clone();
        let slow_event = slow_event.clone();
        Box::pin(async move {
            calls.lock().unwrap().push((label, event.id.clone()));
            if let Some((id, wait, started)) = slow_event {
                if event.id == id {
                    started.notify_one();
                    tokio::time::sleep(wait).await;
                }
            }
            Ok(Outcome::Processed)
        })
    })
}

async fn panicking_processing_ends_failed(db: &TestDb) {
    use server::webhooks::worker::WebhookWorkers;
    let server = TestServer::start_with(db, |c| c.stripe.webhook_workers = 0).await;
    store_event(server.db(), "evt_panics", unix_now() - 10).await;
    let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let process: server::webhooks::worker::Process = Arc::new({
        let runs = runs.clone();
        move |_db, _stripe, _event| {
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async { panic!("a bug in processing (test)") })
        }
    });
    // A one-second lease, so each panicked attempt's claim runs out quickly.
    let workers = WebhookWorkers::spawn_with(
        1,
        1,
        3,
        server.db().clone(),
        server.state.stripe.clone(),
        Arc::new(tokio::sync::Notify::new()),
        process,
    );
    eventually("the event given up", Duration::from_secs(60), || async {
        stored(server.db(), "evt_panics").await.unwrap().status == "failed"
    })
    .await;
    workers.shutdown().await;
    let event = stored(server.db(), "evt_panics").await.unwrap();
    assert_eq!(event.attempts, 3);
    assert_eq!(
        event.last_error.as_deref(),
        Some("gave up after 3 attempts (processing did not finish)")
    );
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 3);
    server.stop().await;
}
on_both_databases!(panicking_processing_ends_failed, multi_thread);

async fn expired_lease_leaves_the_event_to_its_new_holder(db: &TestDb) {
    use server::webhooks::worker::WebhookWorkers;
    let server = TestServer::start_with(db, |c| c.stripe.webhook_workers = 0).await;
    let t = unix_now();
    store_event(server.db(), "evt_slow", t - 20).await;
    store_event(server.db(), "evt_next", t - 10).await;
    let calls = Arc::new(std::sync::Mutex::new(Vec::new()));
    let slow_started = Arc::new(tokio::sync::Notify::new());
    // A claims both with a one-second lease and spends 5 s on the first.
    let slow = WebhookWorkers::spawn_with(
        1,
        1,
        24,
        server.db().clone(),
        server.state.stripe.clone(),
        Arc::new(tokio::sync::Notify::new()),
        recording_process(
            "A",
            calls.clone(),
            Some(("evt_slow", Duration::from_secs(5), slow_started.clone())),
        ),
    );
    slow_started.notified().await;
    // B takes what A's lease no longer covers.
    let quick = WebhookWorkers::spawn_with(
        1,
        300,
        24,
        server.db().clone(),
        server.state.stripe.clone(),
        Arc::new(tokio::sync::Notify::new()),
        recording_process("B", calls.clone(), None),
    );
    eventually("B processed both", Duration::from_secs(30), || async {
        calls.lock().unwrap().iter().filter(|c| c.0 == "B").count() == 2
    })
    .await;
    wait_all_processed(server.db(), Duration::from_secs(30)).await;
    // Give A the time to go on with its batch.
    tokio::time::sleep(Duration::from_secs(6)).await;
    slow.shutdown().await;
    quick.shutdown().await;
    let next: Vec<&str> = calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.1 == "evt_next")
        .map(|c| c.0)
        .collect();
    assert_eq!(next, ["B"], "A's claim ran out and B holds the event");
    server.stop().await;
}
on_both_databases!(
    expired_lease_leaves_the_event_to_its_new_holder,
    multi_thread
);

async fn old_done_events_are_pruned(db: &TestDb) {
    const DAY: i64 = 86_400;
    // Stored while every event is kept.
    let keeping = TestServer::start_with(db, |c| {
        c.stripe.webhook_workers = 0;
        c.stripe.webhook_retention_days = 0;
    })
    .await;
    let now = unix_now();
    let events = [
        ("evt_old_processed", "processed", now - 31 * DAY, false),
        ("evt_old_ignored", "ignored", now - 40 * DAY, false),
        ("evt_old_failed", "failed", now - 31 * DAY, true),
        ("evt_old_pending", "pending", now - 31 * DAY, true),
        ("evt_recent_processed", "processed", now - 29 * DAY, true),
        ("evt_recent_ignored", "ignored", now - DAY, true),
    ];
    for (id, status, received_at, _) in &events {
        store_event(keeping.db(), id, now - 50 * DAY).await;
        sqlx::query("UPDATE stripe_events SET status = $1, received_at = $2 WHERE id = $3")
            .bind(status)
            .bind(received_at)
            .bind(id)
            .execute(keeping.db().pool())
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(stored(keeping.db(), "evt_old_processed").await.is_some());
    keeping.stop().await;

    // With the default of 30 days, one instance prunes as it starts.
    let pruning = TestServer::start_with(db, |c| c.stripe.webhook_workers = 0).await;
    eventually(
        "old done events pruned",
        Duration::from_secs(20),
        || async {
            stored(pruning.db(), "evt_old_processed").await.is_none()
                && stored(pruning.db(), "evt_old_ignored").await.is_none()
        },
    )
    .await;
    for (id, _, _, kept) in &events {
        assert_eq!(stored(pruning.db(), id).await.is_some(), *kept, "{id}");
    }

    // The job ran a moment ago: another instance does not run it again before it is due.
    let second_dir = db.data_dir().join("second-instance");
    let second = TestServer::start_with(db, |c| {
        c.stripe.webhook_workers = 0;
        c.data_dir = second_dir;
    })
    .await;
    store_event(second.db(), "evt_old_again", now - 50 * DAY).await;
    sqlx::query("UPDATE stripe_events SET status = 'processed', received_at = $1 WHERE id = $2")
        .bind(now - 31 * DAY)
        .bind("evt_old_again")
        .execute(second.db().pool())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(stored(second.db(), "evt_old_again").await.is_some());
    assert_eq!(
        server::webhooks::retention::prune_once(second.db(), unix_now(), 30)
            .await
            .unwrap(),
        1
    );
    assert!(stored(second.db(), "evt_old_again").await.is_none());
    second.stop().await;
    pruning.stop().await;
}
on_both_databases!(old_done_events_are_pruned, multi_thread);

async fn ordering_compares_stripe_times_whatever_the_local_clock(db: &TestDb) {
    let server = TestServer::start(db).await;
    let stripe = server.state.stripe.clone();
    // Stripe's clock a day ahead of the portal's: as if this machine's clock were a day slow.
    control(&server, "/_sandbox/api/clock/advance", json!({"days": 1})).await;
    let http = reqwest::Client::new();
    let stripe_now = || async {
        let state: Value = http
            .get(format!("{}/_sandbox/api/state", server.emulator))
            .bearer_auth(server::stripe_setup::EMULATOR_SECRET_KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        state["now"].as_i64().unwrap()
    };
    let before_fetch = stripe_now().await;
    let account = stripe
        .create_account(
            &CreateAccount {
                country: Some("US".into()),
                email: Some("skew@example.com".into()),
                ..CreateAccount::default()
            },
            &RequestOptions::new().idempotency_key("create-account-skew"),
        )
        .await
        .unwrap();
    let row = |db: &Db, id: String| {
        let db = db.clone();
        async move {
            connected_accounts::find_by_stripe_id(&db, &id)
                .await
                .unwrap()
                .unwrap()
        }
    };
    account_sync::sync(
        server.db(),
        &stripe,
        &account.id,
        VersionHint::Known(ApiVersion::V1),
        SyncCause::default(),
    )
    .await
    .unwrap();
    let fetched = row(server.db(), account.id.clone()).await;
    assert!(
        fetched.last_synced_at > unix_now() + 86_000,
        "the fetch is dated by Stripe's clock"
    );

    // An event from ten minutes before that fetch (by Stripe's clock), delivered late, does not
    // overwrite it, though by this machine's clock it looks a day newer.
    let stale = account_updated("evt_skew_stale", &account.id, before_fetch - 600, 7);
    assert_eq!(deliver_signed(&http, &server, &stale).await, 200);
    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    let after_stale = row(server.db(), account.id.clone()).await;
    assert_eq!(after_stale.email.as_deref(), Some("skew@example.com"));
    assert_ne!(
        after_stale.business_name.as_deref(),
        Some(format!("{} version 7", account.id).as_str())
    );

    // An event newer than every fetch so far (the stale event's fetched the account again) is
    // applied...
    let newer = account_updated("evt_skew_newer", &account.id, stripe_now().await + 1, 8);
    assert_eq!(deliver_signed(&http, &server, &newer).await, 200);
    wait_all_processed(server.db(), Duration::from_secs(20)).await;
    let after_newer = row(server.db(), account.id.clone()).await;
    assert_eq!(after_newer.email.as_deref(), Some("owner-8@example.com"));

    // ...and a listing Stripe answers after it wins over it, though by this machine's clock the
    // listing started a day before the event.
    tokio::time::sleep(Duration::from_secs(2)).await;
    server::reconcile::run_once(server.db(), &stripe)
        .await
        .unwrap();
    let after_list = row(server.db(), account.id.clone()).await;
    assert_eq!(after_list.email.as_deref(), Some("skew@example.com"));
    server.stop().await;
}
on_both_databases!(
    ordering_compares_stripe_times_whatever_the_local_clock,
    multi_thread
);
