//! Load test of the real server process (release build): signs up `LOAD_OWNERS` distinct owners,
//! then drives the portal's main pages and server functions with `LOAD_CONNECTIONS` concurrent
//! connections for `LOAD_SECONDS`; then the console pages as an admin with `LOAD_ACCOUNTS`
//! accounts in the cache. Prints req/s, p50/p95/p99, errors (must be 0) and the server's peak RSS.
//!
//!     cargo bench -p server --bench load
//!     LOAD_SECONDS=60 LOAD_CONNECTIONS=64 LOAD_OWNERS=200 LOAD_ACCOUNTS=100000 cargo bench -p server --bench load
//!     LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/load_test cargo bench -p server --bench load
//!
//! First, `LOAD_SIGN_UP_BURST` (default 200) concurrent sign-ups with distinct emails, while a few
//! connections keep loading `/sign-in`: prints how the sign-ups were answered (200, or 503 when
//! the password-hashing queue is full), the page's latency meanwhile and the server's resident
//! memory before and at its peak (Argon2 takes ~19 MiB per hash; hashing is bounded per core).
//!
//! The load generator shares the machine (2 cores here) with the server: figures are a floor.

mod common;

use app::db::connected_accounts::{self, AccountRecord, ApiVersion, FetchedAt};
use leptos::server_fn::ServerFn;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ADMIN_EMAIL: &str = "load-admin@example.com";
const PASSWORD: &str = "a long enough password";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One kind of request in the mix.
#[derive(Clone)]
enum Step {
    Page(&'static str),
    ServerFn(&'static str),
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// `VmHWM` (peak) or `VmRSS` (now) of the server process, in MiB.
    fn memory_mib(&self, field: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    }

    fn peak_rss_mib(&self) -> f64 {
        self.memory_mib("VmHWM:")
    }
}

/// `burst` concurrent sign-ups while 4 connections load `/sign-in`.
async fn sign_up_burst(server: &Server, burst: usize) {
    let base = server.base.clone();
    let rss_before = server.memory_mib("VmRSS:");
    let client = reqwest::Client::new();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pages: Vec<_> = (0..4)
        .map(|_| {
            let (client, base, done) = (client.clone(), base.clone(), done.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                while !done.load(Ordering::Relaxed) {
                    let begin = Instant::now();
                    match client.get(format!("{base}/sign-in")).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            latencies.push(begin.elapsed());
                        }
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let started = Instant::now();
    let sign_ups: Vec<_> = (0..burst)
        .map(|n| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                let email = format!("burst-{n}-{}@example.com", std::process::id());
                client
                    .post(format!("{base}{}", app::auth::SignUp::PATH))
                    .header("accept", "application/json")
                    .form(&[
                        ("email", email.as_str()),
                        ("password", PASSWORD),
                        ("password_confirm", PASSWORD),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for s in sign_ups {
        *answers.entry(s.await.unwrap()).or_default() += 1;
    }
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let (mut latencies, mut page_errors) = (Vec::new(), 0);
    for p in pages {
        let (l, e) = p.await.unwrap();
        latencies.extend(l);
        page_errors += e;
    }
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "sign-up burst: {burst} at once in {:.1} s, answered {answers:?}; /sign-in meanwhile: {} \
         requests, p50 {:.1} ms, p95 {:.1} ms, {page_errors} errors; RSS {:.0} MiB before, peak \
         {:.0} MiB",
        took.as_secs_f64(),
        latencies.len(),
        at(0.5),
        at(0.95),
        rss_before,
        server.peak_rss_mib()
    );
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_server(data_dir: &std::path::Path, database_url: &str) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("EMULATOR_ADDR", "127.0.0.1:0")
        .env("ADMIN_EMAIL", ADMIN_EMAIL)
        .env("ADMIN_PASSWORD", PASSWORD)
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_OUTPUT_NAME", "connect-portal")
        .env("LOG", "warn")
        // Every owner signs up from this one address.
        .env("SIGN_UPS_PER_CLIENT_PER_HOUR", "100000")
        .env("SIGN_UPS_PER_HOUR", "100000")
        .env_remove("STRIPE_SECRET_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server binary");
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    loop {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "server never became healthy"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Server { child, base }
}

struct Figures {
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies: Vec<Duration>,
}

async fn drive(
    base: &str,
    cookies: Arc<Vec<String>>,
    steps: Arc<Vec<Step>>,
    connections: usize,
    seconds: u64,
) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let errors = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..connections {
        let (client, base, cookies, steps, errors) = (
            client.clone(),
            base.to_string(),
            cookies.clone(),
            steps.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = n;
            while Instant::now() < deadline {
                let cookie = &cookies[i % cookies.len()];
                let step = &steps[i % steps.len()];
                i += connections;
                let begin = Instant::now();
                let request = match step {
                    Step::Page(path) => client.get(format!("{base}{path}")),
                    Step::ServerFn(path) => client
                        .post(format!("{base}{path}"))
                        .header("accept", "application/json")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(""),
                };
                match request.header("cookie", cookie).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(begin.elapsed());
                    }
                    Ok(r) => {
                        let path = match step {
                            Step::Page(p) | Step::ServerFn(p) => p,
                        };
                        eprintln!("{path}: {}", r.status());
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        eprintln!("request failed: {e}");
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    latencies.sort();
    Figures {
        requests: latencies.len(),
        errors: errors.load(Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
        latencies,
    }
}

fn report(name: &str, f: &Figures, rss_mib: f64) {
    let at = |q: f64| {
        f.latencies
            .get(((f.latencies.len() as f64 * q) as usize).min(f.latencies.len().saturating_sub(1)))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "{name:<8} {:>8.0} req/s  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  errors {}  ({} requests)  server peak RSS {:.0} MiB",
        f.requests as f64 / f.seconds,
        at(0.50),
        at(0.95),
        at(0.99),
        f.errors,
        f.requests,
        rss_mib
    );
}

/// Writes an account to the cache as if just fetched from Stripe.
async fn store(db: &app::db::Db, record: &AccountRecord) {
    let at = FetchedAt {
        started_ms: 1,
        finished: 1_700_000_000,
        stripe_time: 1_700_000_000,
        event_created: 0,
        reconnected: false,
    };
    connected_accounts::store_fetched(db, record, ApiVersion::V1, true, at)
        .await
        .unwrap();
}

/// An account created on the offline emulator (through Stripe's API, as any platform would) and
/// cached: the seeded accounts exist only in the cache, and an account's page also reads the
/// balance and payouts from Stripe.
async fn account_on_the_emulator(
    client: &reqwest::Client,
    base: &str,
    admin: &str,
    database_url: &str,
) -> String {
    let page = client
        .get(format!("{base}/admin"))
        .header("cookie", admin)
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    // The emulator's origin is the one the pages' CSP names besides the portal's own.
    let emulator = csp
        .split([' ', ';'])
        .find(|s| s.starts_with("http://127.0.0.1:") && !base.starts_with(*s))
        .expect("the emulator's origin in the CSP")
        .to_string();
    let created: serde_json::Value = client
        .post(format!("{emulator}/v1/accounts"))
        .bearer_auth("sk_test_offline_emulator")
        .form(&[
            ("controller[stripe_dashboard][type]", "express"),
            ("controller[fees][payer]", "application"),
            ("controller[losses][payments]", "application"),
            ("country", "US"),
            ("business_profile[name]", "Load test real shop"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("an account id").to_string();
    // Creating an account sends no webhook: the account is read back from Stripe into the cache,
    // as the portal does when it creates one.
    let raw: serde_json::Value = client
        .get(format!("{emulator}/v1/accounts/{id}"))
        .bearer_auth("sk_test_offline_emulator")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let record = app::account_sync::record_from_v1(&raw).unwrap();
    let db = app::db::Db::connect(database_url).await.unwrap();
    store(&db, &record).await;
    db.close().await;
    id
}

/// Fills the cache with `count` accounts in a spread of states (as webhooks would).
async fn seed_accounts(database_url: &str, count: u64) {
    let db = app::db::Db::connect(database_url).await.unwrap();
    let started = Instant::now();
    let states = [
        (true, true, None, "[]"),
        (
            false,
            false,
            Some("requirements.past_due"),
            "[\"individual.verification.document\"]",
        ),
        (true, false, None, "[\"external_account\"]"),
        (false, false, Some("rejected.fraud"), "[]"),
        (
            false,
            false,
            Some("requirements.pending_verification"),
            "[]",
        ),
    ];
    let countries = ["US", "GB", "DE", "FR", "JP", "CA", "AU"];
    for i in 0..count {
        let (charges, payouts, disabled, due) = states[(i % states.len() as u64) as usize];
        let record = AccountRecord {
            stripe_account_id: format!("acct_load{i:08}"),
            country: Some(countries[(i % 7) as usize].into()),
            business_name: Some(format!("Load test shop {i}")),
            email: Some(format!("owner{i}@load.example")),
            requirements: format!(
                "{{\"currently_due\":{due},\"eventually_due\":{due},\"past_due\":[],\"pending_verification\":[],\"errors\":[],\"current_deadline\":{},\"disabled_reason\":{}}}",
                if due == "[]" { "null".to_string() } else { (1_800_000_000 + i as i64 * 60).to_string() },
                disabled.map_or("null".to_string(), |d| format!("\"{d}\""))
            ),
            future_requirements: "{}".into(),
            capabilities: format!(
                "{{\"card_payments\":\"active\",\"transfers\":\"{}\"}}",
                if i % 4 == 0 { "pending" } else { "active" }
            ),
            charges_enabled: charges,
            payouts_enabled: payouts,
            details_submitted: true,
            disabled_reason: disabled.map(str::to_string),
            current_deadline: (due != "[]").then_some(1_800_000_000 + i as i64 * 60),
            dashboard_type: Some("express".into()),
            controller: "{}".into(),
            created: Some(1_700_000_000 + i as i64),
            ..AccountRecord::default()
        };
        store(&db, &record).await;
    }
    // After a bulk load the planner needs fresh statistics (PostgreSQL's autovacuum gathers them
    // on its own after a while; it is off on some machines).
    sqlx::query("ANALYZE").execute(db.pool()).await.unwrap();
    db.close().await;
    println!(
        "seeded {count} accounts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let seconds = env_or("LOAD_SECONDS", 20);
    let connections = env_or("LOAD_CONNECTIONS", 64) as usize;
    let owners = env_or("LOAD_OWNERS", 50) as usize;
    let accounts = env_or("LOAD_ACCOUNTS", 100_000);
    let dir = std::env::temp_dir().join(format!("portal-load-{}", std::process::id()));
    let database_url = std::env::var("LOAD_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("portal.db").display()));
    let server = start_server(&dir, &database_url).await;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let burst = env_or("LOAD_SIGN_UP_BURST", 200) as usize;
    if burst > 0 {
        sign_up_burst(&server, burst).await;
    }

    let mut cookies = Vec::new();
    for n in 0..owners {
        let email = format!("load-owner-{n}-{}@example.com", std::process::id());
        cookies.push(common::sign_up_confirmed(&client, &base, &email, PASSWORD).await);
    }
    println!(
        "{owners} owners, {connections} connections, {seconds} s per phase, database {}",
        if database_url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let portal_steps = vec![
        Step::Page("/account"),
        Step::Page("/profile"),
        Step::Page("/account/test-data"),
        Step::Page("/account/payouts"),
        Step::ServerFn(app::onboarding::GetMyAccount::PATH),
        Step::ServerFn(app::auth::GetCurrentUser::PATH),
        Step::ServerFn(app::profile::ListMySessions::PATH),
    ];
    let portal = drive(
        &base,
        Arc::new(cookies),
        Arc::new(portal_steps),
        connections,
        seconds,
    )
    .await;
    report("portal", &portal, server.peak_rss_mib());

    seed_accounts(&database_url, accounts).await;
    let admin = common::sign(
        &client,
        &base,
        app::auth::SignIn::PATH,
        &[("email", ADMIN_EMAIL), ("password", PASSWORD)],
    )
    .await;
    let real = account_on_the_emulator(&client, &base, &admin, &database_url).await;
    let account_page: &'static str = Box::leak(format!("/admin/accounts/{real}").into_boxed_str());
    let console_steps = vec![
        Step::Page("/admin"),
        Step::Page("/admin/accounts"),
        Step::Page("/admin/accounts?status=restricted"),
        Step::Page("/admin/accounts?country=DE&status=active"),
        Step::Page("/admin/accounts?q=shop%2012"),
        Step::Page("/admin/accounts?deadline=30d"),
        // A real account (its page reads the balance and payouts from Stripe, here the emulator).
        Step::Page(account_page),
        Step::Page("/admin/events"),
    ];
    let console = drive(
        &base,
        Arc::new(vec![admin.clone()]),
        Arc::new(console_steps),
        connections,
        seconds,
    )
    .await;
    report("console", &console, server.peak_rss_mib());

    // Each filter of the accounts list alone, one request at a time: the server's time to render
    // that page with LOAD_ACCOUNTS accounts in the cache.
    let filters = [
        ("no filter, newest first", "/admin/accounts"),
        ("status", "/admin/accounts?status=restricted"),
        (
            "country + status",
            "/admin/accounts?country=DE&status=active",
        ),
        ("search by name", "/admin/accounts?q=shop%2012"),
        ("search by Stripe id", "/admin/accounts?q=acct_load00000042"),
        ("deadline in 30 days", "/admin/accounts?deadline=30d"),
        (
            "capability status",
            "/admin/accounts?cap=transfers&cap_status=pending",
        ),
        (
            "dashboard + API",
            "/admin/accounts?dashboard=express&api=v1",
        ),
        ("sort by name", "/admin/accounts?sort=name"),
        ("sort by deadline", "/admin/accounts?sort=deadline"),
        (
            "status, sort by name",
            "/admin/accounts?status=action_required&sort=name",
        ),
        ("page 2 by name", "/admin/accounts?sort=name&after=50000"),
    ];
    let single = reqwest::Client::new();
    println!("accounts list, one request at a time ({accounts} accounts):");
    for (name, path) in filters {
        let mut times = Vec::new();
        for round in 0..40 {
            let begin = Instant::now();
            let response = single
                .get(format!("{base}{path}"))
                .header("cookie", &admin)
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            let _ = response.bytes().await;
            // The first rounds warm the caches.
            if round >= 5 {
                times.push(begin.elapsed());
            }
        }
        times.sort();
        let at = |q: f64| {
            times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3
        };
        println!(
            "  {name:<24} p50 {:>7.2} ms  p95 {:>7.2} ms",
            at(0.5),
            at(0.95)
        );
    }
    // The search's query alone, side by side on the same data: the portal's (through the search
    // index) and the scan it replaced (`LOWER(column) LIKE '%…%'` on name and email).
    let db = app::db::Db::connect(&database_url).await.unwrap();
    let filter = connected_accounts::ListFilter {
        search: Some("shop 12".into()),
        ..Default::default()
    };
    let mut indexed = Vec::new();
    let mut scanned = Vec::new();
    for round in 0..25 {
        let begin = Instant::now();
        let rows = connected_accounts::list_page(
            &db,
            &filter,
            connected_accounts::ListSort::Newest,
            None,
            51,
        )
        .await
        .unwrap();
        let took = begin.elapsed();
        let begin = Instant::now();
        let old: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM connected_accounts WHERE (LOWER(business_name) LIKE $1 \
             OR LOWER(email) LIKE $2) ORDER BY created_at DESC, id DESC LIMIT 51",
        )
        .bind("%shop 12%")
        .bind("%shop 12%")
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(rows.len(), old.len(), "the index finds what the scan finds");
        if round >= 5 {
            indexed.push(took);
            scanned.push(begin.elapsed());
        }
    }
    indexed.sort();
    scanned.sort();
    let p95 = |t: &[Duration]| t[(t.len() * 95 / 100).min(t.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "search query alone (\"shop 12\", a page of 51): index p95 {:.2} ms, scan p95 {:.2} ms",
        p95(&indexed),
        p95(&scanned)
    );
    db.close().await;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    if portal.errors + console.errors > 0 {
        eprintln!("errors during the load test");
        std::process::exit(1);
    }
}
