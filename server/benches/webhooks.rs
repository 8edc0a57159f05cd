//! Webhook ingestion, end to end: signed `account.updated` events posted to the real server over
//! HTTP (signature verified, event stored, acknowledged, then applied to the account cache by the
//! workers), timed until the last one is applied; printed next to the raw insert rate of the same
//! database in the same run. SQLite, then PostgreSQL (`TEST_POSTGRES_URL`, default
//! postgres://postgres@127.0.0.1:5432/test; skipped when unreachable).
//!
//! `cargo bench -p server --bench webhooks`; `BENCH_EVENTS` (default 2000) and
//! `BENCH_CONCURRENCY` (default 16) change the load.

use app::db::{stripe_events, Db};
use leptos::prelude::LeptosOptions;
use server::config::{Config, StripeSettings};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stripe_client::webhook::{sign, unix_now};

const SECRET: &str = "whsec_benchmark";
const ACCOUNTS: usize = 50;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn event(n: usize, base: i64) -> String {
    let account = format!("acct_bench{:04}", n % ACCOUNTS);
    serde_json::json!({
        "id": format!("evt_bench_{n:07}"),
        "object": "event",
        "type": "account.updated",
        "account": account,
        "created": base + n as i64,
        "livemode": false,
        "data": {"object": {
            "id": account, "object": "account", "type": "express", "country": "US",
            "email": format!("owner{n}@example.com"),
            "business_profile": {"name": format!("Shop {n}")},
            "capabilities": {"card_payments": "active", "transfers": "active"},
            "charges_enabled": true, "payouts_enabled": n.is_multiple_of(2), "details_submitted": true,
            "requirements": {"currently_due": [], "eventually_due": ["individual.id_number"],
                             "past_due": [], "pending_verification": [], "errors": []},
            "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}}
        }}
    })
    .to_string()
}

/// Plain `INSERT`s of rows of the same size into a table of the same database, same concurrency.
async fn raw_insert_rate(db: &Db, bodies: &[String], concurrency: usize) -> f64 {
    sqlx::query("CREATE TABLE bench_raw_inserts (id TEXT PRIMARY KEY, payload TEXT NOT NULL)")
        .execute(db.pool())
        .await
        .unwrap();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let bodies = Arc::new(bodies.to_vec());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (db, next, bodies) = (db.clone(), next.clone(), bodies.clone());
        tasks.spawn(async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = bodies.get(n) else { break };
                sqlx::query("INSERT INTO bench_raw_inserts (id, payload) VALUES ($1, $2)")
                    .bind(format!("raw_{n}"))
                    .bind(body.as_str())
                    .execute(db.pool())
                    .await
                    .unwrap();
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    bodies.len() as f64 / started.elapsed().as_secs_f64()
}

async fn end_to_end_rate(
    database_url: String,
    dir: &Path,
    bodies: &[String],
    concurrency: usize,
) -> (f64, Db) {
    let config = Config {
        bind_addr: None,
        data_dir: dir.to_path_buf(),
        database_url: Some(database_url),
        public_url: None,
        trust_forwarded_for: false,
        admin_email: None,
        admin_password: None,
        log: "warn".into(),
        stripe: StripeSettings {
            emulator_addr: "127.0.0.1:0".parse().unwrap(),
            stripe_webhook_secrets: vec![SECRET.into()],
            ..StripeSettings::default()
        },
        platform: Default::default(),
        limits: Default::default(),
        mail: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder()
        .output_name("connect-portal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let db = server::open_database(&config).await.unwrap();
    let portal = server::start(&config, options, db.clone()).await.unwrap();
    let router = portal.router.clone();
    tokio::spawn(async move { server::serve(listener, router).await.unwrap() });

    let url = format!("http://{addr}/webhooks/stripe");
    let http = reqwest::Client::new();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let bodies = Arc::new(bodies.to_vec());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (http, url, next, bodies) = (http.clone(), url.clone(), next.clone(), bodies.clone());
        tasks.spawn(async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = bodies.get(n) else { break };
                let status = http
                    .post(&url)
                    .header(
                        "stripe-signature",
                        sign(body.as_bytes(), SECRET, unix_now()),
                    )
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert!(status.is_success(), "{status}");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let acknowledged = started.elapsed();
    while stripe_events::count_pending(&db).await.unwrap() > 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let applied = started.elapsed();
    let counts = stripe_events::count_by_status(&db).await.unwrap();
    assert_eq!(counts, vec![("processed".to_string(), bodies.len() as i64)]);
    eprintln!(
        "  (all acknowledged after {:.2} s, all applied after {:.2} s)",
        acknowledged.as_secs_f64(),
        applied.as_secs_f64()
    );
    portal.shutdown().await;
    (bodies.len() as f64 / applied.as_secs_f64(), db)
}

fn report(name: &str, ingested: f64, raw: f64) {
    println!(
        "{name:<10} end to end (verify, store, apply): {ingested:>8.0} events/s   raw INSERT: {raw:>8.0} rows/s   ({:.0} %)",
        100.0 * ingested / raw
    );
}

#[tokio::main]
async fn main() {
    let events = env_or("BENCH_EVENTS", 2000);
    let concurrency = env_or("BENCH_CONCURRENCY", 16);
    let base = unix_now() - 1_000_000;
    let bodies: Vec<String> = (0..events).map(|n| event(n, base)).collect();
    println!(
        "{events} signed account.updated events ({ACCOUNTS} accounts), {concurrency} concurrent senders, {} workers",
        StripeSettings::default().webhook_workers
    );

    let dir = std::env::temp_dir().join(format!("portal-bench-webhooks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite_url = format!("sqlite://{}", dir.join("portal.db").display());
    let (ingested, db) = end_to_end_rate(sqlite_url, &dir, &bodies, concurrency).await;
    let raw = raw_insert_rate(&db, &bodies, concurrency).await;
    db.close().await;
    report("SQLite", ingested, raw);

    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("portal_bench_{}", std::process::id());
    use sqlx::Connection;
    match sqlx::PgConnection::connect(&admin_url).await {
        Ok(mut conn) => {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            let base_url = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
            let pg_dir = dir.join("pg");
            std::fs::create_dir_all(&pg_dir).unwrap();
            let (ingested, db) =
                end_to_end_rate(format!("{base_url}/{name}"), &pg_dir, &bodies, concurrency).await;
            let raw = raw_insert_rate(&db, &bodies, concurrency).await;
            db.close().await;
            report("PostgreSQL", ingested, raw);
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
        Err(e) => println!("PostgreSQL skipped: {e}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
