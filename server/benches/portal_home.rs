//! Requests per second and latency of the signed-in portal home page, rendered on the server, next
//! to a trivial axum route in the same process and the same run; then, over one kept-alive
//! connection, the per-request latency of a page, a static file and the health check (a page or
//! file written in several pieces waits ~40 ms for the client's delayed ACK unless the server sets
//! `TCP_NODELAY`: these rows show it at once).
//!
//!     cargo bench -p server --bench portal_home
//!     BENCH_SECONDS=10 BENCH_CONCURRENCY=16 cargo bench -p server --bench portal_home
//!
//! The load generator runs in the same process on the same two cores, so the figures are a floor
//! for the server, useful for comparing changes on one machine.

mod common;

use leptos::prelude::LeptosOptions;
use server::config::Config;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Figures {
    requests: usize,
    seconds: f64,
    p50: Duration,
    p95: Duration,
    p99: Duration,
}

impl Figures {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

async fn load(url: String, cookie: Option<String>, concurrency: usize, seconds: u64) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, cookie) = (client.clone(), url.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let begin = Instant::now();
                let mut request = client.get(&url);
                if let Some(cookie) = &cookie {
                    request = request.header("cookie", cookie);
                }
                let response = request.send().await.expect("request");
                assert_eq!(response.status(), 200, "{url}");
                response.bytes().await.expect("body");
                latencies.push(begin.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Figures {
        requests: all.len(),
        seconds,
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
    }
}

fn print(name: &str, f: &Figures) {
    println!(
        "{name:<44} {:>9.0} req/s   p50 {:>7.2} ms   p95 {:>7.2} ms   p99 {:>7.2} ms   ({} requests)",
        f.rate(),
        f.p50.as_secs_f64() * 1e3,
        f.p95.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        f.requests
    );
}

#[tokio::main]
async fn main() {
    let seconds = env_or("BENCH_SECONDS", 10);
    let concurrency = env_or("BENCH_CONCURRENCY", 16) as usize;
    let dir = std::env::temp_dir().join(format!("portal-bench-{}", std::process::id()));
    let config = Config {
        bind_addr: None,
        data_dir: dir.clone(),
        database_url: None,
        public_url: None,
        trust_forwarded_for: false,
        admin_email: None,
        admin_password: None,
        log: "warn".into(),
        stripe: server::config::StripeSettings {
            emulator_addr: "127.0.0.1:0".parse().unwrap(),
            ..Default::default()
        },
        platform: Default::default(),
        limits: Default::default(),
        mail: Default::default(),
    };

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder()
        .output_name("connect-portal")
        // cargo runs benches in the package's folder; `cargo leptos build` writes the site here.
        .site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let db = server::open_database(&config).await.unwrap();
    let router = server::build(&config, options, db).await.unwrap();
    // The same router served as before the TCP_NODELAY fix (plain `axum::serve`), for the
    // one-connection rows below: the fix's before and after in one run.
    let nagle = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nagle_addr = nagle.local_addr().unwrap();
    let nagle_router = router
        .clone()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(nagle, nagle_router).await.unwrap() });
    tokio::spawn(async move { server::serve(listener, router).await.unwrap() });

    let trivial = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trivial_addr = trivial.local_addr().unwrap();
    let trivial_router = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
    tokio::spawn(async move { axum::serve(trivial, trivial_router).await.unwrap() });

    // Sign up one owner and keep the session cookie.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let password = "benchmark password";
    let cookie: Arc<str> = common::sign_up_confirmed(
        &http,
        &format!("http://{addr}"),
        "bench@example.com",
        password,
    )
    .await
    .into();

    println!(
        "{seconds} s per target, {concurrency} concurrent connections, load generator in-process"
    );
    // Warm both up (connection pools, caches) before measuring.
    load(
        format!("http://{addr}/account"),
        Some(cookie.to_string()),
        concurrency,
        1,
    )
    .await;
    load(format!("http://{trivial_addr}/"), None, concurrency, 1).await;

    let home = load(
        format!("http://{addr}/account"),
        Some(cookie.to_string()),
        concurrency,
        seconds,
    )
    .await;
    let plain = load(
        format!("http://{trivial_addr}/"),
        None,
        concurrency,
        seconds,
    )
    .await;
    print("portal home (signed in)", &home);
    print("trivial axum route", &plain);
    println!(
        "ratio: the portal home page serves {:.1}% of the trivial route's rate",
        100.0 * home.rate() / plain.rate()
    );

    // One connection, one request at a time: the latency a single visitor sees per request.
    println!("one kept-alive connection, one request at a time:");
    for (name, path) in [
        ("page /sign-in", "/sign-in"),
        ("static file /favicon.svg", "/favicon.svg"),
        ("health check /healthz", "/healthz"),
    ] {
        for (how, at) in [("", addr), (", no TCP_NODELAY", nagle_addr)] {
            let url = format!("http://{at}{path}");
            load(url.clone(), None, 1, 1).await;
            print(
                &format!("{name}{how}"),
                &load(url, None, 1, seconds.min(5)).await,
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
