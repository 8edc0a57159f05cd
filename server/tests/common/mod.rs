//! Starts the real portal server on a free port against a throw-away database.

#![allow(dead_code)]

use leptos::prelude::LeptosOptions;
use server::config::{Config, MailSettings, StripeSettings};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Runs one scenario (an `async fn(&TestDb)`) as two tests: on SQLite and on PostgreSQL.
/// `multi_thread` gives the scenario a multi-threaded runtime (for concurrency tests).
#[allow(unused_macros)]
macro_rules! on_both_databases {
    ($name:ident) => {
        on_both_databases!($name, #[tokio::test]);
    };
    ($name:ident, multi_thread) => {
        on_both_databases!($name, #[tokio::test(flavor = "multi_thread", worker_threads = 4)]);
    };
    ($name:ident, #[$test:meta]) => {
        mod $name {
            #[$test]
            async fn sqlite() {
                let db = super::TestDb::sqlite().await;
                super::$name(&db).await;
                db.drop_now().await;
            }

            #[$test]
            async fn postgres() {
                let db = super::TestDb::postgres().await;
                super::$name(&db).await;
                db.drop_now().await;
            }
        }
    };
}

/// The password the scenarios sign people up with.
pub const PASSWORD: &str = "a long enough password";

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin password for tests";

/// Where a test's data lives; dropped (file or database) when the test ends. Both kinds have a
/// folder of their own for the server's DATA_DIR (the emulator's state, the webhook secret).
pub enum TestDb {
    Sqlite {
        dir: PathBuf,
    },
    Postgres {
        name: String,
        admin_url: String,
        dir: PathBuf,
    },
}

fn unique_suffix() -> String {
    use rand::Rng;
    format!(
        "{}_{:08x}",
        std::process::id(),
        rand::thread_rng().gen::<u32>()
    )
}

/// PostgreSQL for tests: `TEST_POSTGRES_URL` names a server and a database to connect to for
/// creating the throw-away one (default: this machine's `postgres://postgres@127.0.0.1:5432/test`).
fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("portal-test-{}", unique_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        TestDb::Sqlite { dir }
    }

    pub async fn postgres() -> TestDb {
        use sqlx::Connection;
        let admin_url = postgres_admin_url();
        let name = format!("portal_test_{}", unique_suffix());
        let mut conn = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is needed for this test: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let dir = std::env::temp_dir().join(format!("portal-test-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        TestDb::Postgres {
            name,
            admin_url,
            dir,
        }
    }

    /// The server's DATA_DIR for this test.
    pub fn data_dir(&self) -> &std::path::Path {
        match self {
            TestDb::Sqlite { dir } | TestDb::Postgres { dir, .. } => dir,
        }
    }

    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite { dir } => format!("sqlite://{}", dir.join("portal.db").display()),
            TestDb::Postgres {
                name, admin_url, ..
            } => {
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(admin_url);
                format!("{base}/{name}")
            }
        }
    }

    pub async fn drop_now(self) {
        match self {
            TestDb::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres {
                name,
                admin_url,
                dir,
            } => {
                let _ = std::fs::remove_dir_all(dir);
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            }
        }
    }
}

/// Signs test deliveries; the test server accepts it besides the emulator's own secret.
pub const WEBHOOK_SECRET: &str = "whsec_test_portal_webhooks";
/// A rolled secret that is still accepted.
pub const OLD_WEBHOOK_SECRET: &str = "whsec_test_portal_webhooks_old";

pub fn config(db: &TestDb) -> Config {
    Config {
        bind_addr: None,
        data_dir: db.data_dir().to_path_buf(),
        database_url: Some(db.url()),
        public_url: None,
        trust_forwarded_for: false,
        admin_email: Some(ADMIN_EMAIL.into()),
        admin_password: Some(ADMIN_PASSWORD.into()),
        log: "warn".into(),
        stripe: StripeSettings {
            // The offline emulator, in-process on a free port.
            emulator_addr: "127.0.0.1:0".parse().unwrap(),
            stripe_webhook_secrets: vec![WEBHOOK_SECRET.into(), OLD_WEBHOOK_SECRET.into()],
            ..StripeSettings::default()
        },
        platform: Default::default(),
        limits: Default::default(),
        // The digest's schedule is tested on its own (`admin_digest.rs`): elsewhere it would
        // mail admins in the middle of other tests.
        mail: MailSettings {
            admin_digest_every_secs: 0,
            ..MailSettings::default()
        },
    }
}

pub struct TestServer {
    pub base: String,
    pub addr: SocketAddr,
    /// The portal's state (database, Stripe client).
    pub state: app::state::AppState,
    /// The in-process emulator's base URL.
    pub emulator: String,
    task: tokio::task::JoinHandle<()>,
    portal: server::Portal,
    db: app::db::Db,
}

impl TestServer {
    pub async fn start(db: &TestDb) -> TestServer {
        Self::start_with(db, |_| {}).await
    }

    /// Starts with a changed configuration.
    pub async fn start_with(db: &TestDb, change: impl FnOnce(&mut Config)) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let options = LeptosOptions::builder()
            .output_name("connect-portal")
            .site_root("../target/site")
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let mut config = config(db);
        change(&mut config);
        let database = server::open_database(&config).await.unwrap();
        let portal = server::start(&config, options, database.clone())
            .await
            .unwrap();
        let router = portal.router.clone();
        let task = tokio::spawn(async move {
            let _ = server::serve(listener, router).await;
        });
        TestServer {
            base: format!("http://{addr}"),
            addr,
            state: portal.state.clone(),
            emulator: portal
                .emulator
                .as_ref()
                .map(|e| e.base_url.clone())
                .unwrap_or_default(),
            task,
            portal,
            db: database,
        }
    }

    /// Stops serving, the webhook workers and the emulator, and closes the pool (as a process
    /// exit would).
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        self.portal.shutdown().await;
        self.db.close().await;
    }

    pub fn db(&self) -> &app::db::Db {
        &self.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// What a browser sends when it navigates to a page (the server answers redirects differently
/// for server-function calls).
pub fn browser_headers() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "accept",
        "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
            .parse()
            .unwrap(),
    );
    headers
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(browser_headers())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A client that sends exactly this cookie and keeps none (a stolen cookie, replayed).
pub fn with_cookie(set_cookie: &str) -> reqwest::Client {
    let mut headers = browser_headers();
    let value = set_cookie.split(';').next().unwrap();
    headers.insert("cookie", value.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Makes every Stripe API answer of the emulator this late.
pub async fn stripe_latency(server: &TestServer, ms: u64) {
    let response = reqwest::Client::new()
        .post(format!("{}/_sandbox/api/faults", server.emulator))
        .bearer_auth(server::stripe_setup::EMULATOR_SECRET_KEY)
        .json(&serde_json::json!({ "latency_ms": ms }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
}

/// Delivers `body` to the webhook endpoint `path` signed with [`WEBHOOK_SECRET`], as Stripe
/// would; returns the status.
pub async fn deliver_signed(server: &TestServer, path: &str, body: &str) -> u16 {
    use stripe_client::webhook::{sign, unix_now};
    reqwest::Client::new()
        .post(server.url(path))
        .header("content-type", "application/json")
        .header(
            "stripe-signature",
            sign(body.as_bytes(), WEBHOOK_SECRET, unix_now()),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Calls a server function the way the hydrated app does (form-encoded, JSON back).
pub async fn call(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(server.url(path))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The session cookie the server set on a response, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(str::to_string)
}

/// Sends the sign-up form (with [`PASSWORD`]) and nothing more: the answer is "check your email".
pub async fn sign_up_form(
    client: &reqwest::Client,
    server: &TestServer,
    email: &str,
) -> reqwest::Response {
    use leptos::server_fn::ServerFn;
    call(
        client,
        server,
        app::auth::SignUp::PATH,
        &[
            ("email", email),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await
}

/// The newest mail of `kind` to `to` in the outbox (`None`: none).
pub async fn newest_mail(
    server: &TestServer,
    to: &str,
    kind: &str,
) -> Option<app::db::mail_outbox::MailRow> {
    app::db::mail_outbox::list_recent(server.db(), 500)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.to_address == to && m.kind == kind)
}

/// The newest mail of `kind` to `to`, waiting for it up to 10 s (some mails are queued after
/// the answer).
pub async fn mail_to(server: &TestServer, to: &str, kind: &str) -> app::db::mail_outbox::MailRow {
    let start = std::time::Instant::now();
    loop {
        if let Some(mail) = newest_mail(server, to, kind).await {
            return mail;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "no {kind} mail to {to}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The single-use link token in a mail's text (`…?token=<64 hex digits>`).
pub fn token_in(text: &str) -> String {
    let start = text.find("?token=").expect("a link with a token") + "?token=".len();
    text[start..start + 64].to_string()
}

/// Signs a person up as a person does: the sign-up form, the mailed confirmation link, then
/// sign-in with [`PASSWORD`]. Returns the sign-in's response (it carries the session cookie).
pub async fn sign_up(
    client: &reqwest::Client,
    server: &TestServer,
    email: &str,
) -> reqwest::Response {
    use leptos::server_fn::ServerFn;
    let answer = sign_up_form(client, server, email).await;
    assert!(
        answer.status().is_success() || answer.status().is_redirection(),
        "sign-up answered {}",
        answer.status()
    );
    let to = app::validation::normalize_email(email);
    let mail = newest_mail(server, &to, "confirm_email")
        .await
        .expect("a confirmation mail");
    let token = token_in(&mail.text_body);
    let confirmed = call(
        client,
        server,
        app::account_email::ConfirmEmail::PATH,
        &[("token", &token)],
    )
    .await;
    assert!(
        confirmed.status().is_success(),
        "confirmation answered {}",
        confirmed.status()
    );
    sign_in(client, server, &to, PASSWORD).await
}

/// Signs a person in as the sign-in form does.
pub async fn sign_in(
    client: &reqwest::Client,
    server: &TestServer,
    email: &str,
    password: &str,
) -> reqwest::Response {
    use leptos::server_fn::ServerFn;
    call(
        client,
        server,
        app::auth::SignIn::PATH,
        &[("email", email), ("password", password)],
    )
    .await
}

/// Changes the signed-in person's password as the profile form does (the new one typed twice).
pub async fn change_password(
    client: &reqwest::Client,
    server: &TestServer,
    current: &str,
    new: &str,
) -> reqwest::Response {
    use leptos::server_fn::ServerFn;
    call(
        client,
        server,
        app::profile::ChangePassword::PATH,
        &[
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", new),
        ],
    )
    .await
}

/// A US individual account with every requirement provided (charges and payouts enabled), in
/// the portal's cache and owned by `owner_email`.
pub async fn onboarded_account(server: &TestServer, owner_email: &str) -> String {
    let stripe = &server.state.stripe;
    let none = stripe_client::RequestOptions::new();
    let account: serde_json::Value = stripe
        .post_form(
            "/v1/accounts",
            &stripe_client::Params::new()
                .set("country", "US")
                .set("controller[stripe_dashboard][type]", "none")
                .set("controller[fees][payer]", "application")
                .set("controller[losses][payments]", "application")
                .set("controller[requirement_collection]", "application")
                .set("capabilities[card_payments][requested]", "true")
                .set("capabilities[transfers][requested]", "true")
                .set("business_type", "individual"),
            &none,
        )
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap().to_string();
    let fields = [
        ("business_profile[mcc]", "5734"),
        ("business_profile[url]", "https://accessible.stripe.com"),
        ("individual[first_name]", "Jenny"),
        ("individual[last_name]", "Rosen"),
        ("individual[email]", "jenny@example.com"),
        ("individual[phone]", "0000000000"),
        ("individual[dob][day]", "1"),
        ("individual[dob][month]", "1"),
        ("individual[dob][year]", "1901"),
        ("individual[address][line1]", "address_full_match"),
        ("individual[address][city]", "San Francisco"),
        ("individual[address][state]", "CA"),
        ("individual[address][postal_code]", "94103"),
        ("individual[ssn_last_4]", "0000"),
        ("individual[id_number]", "000000000"),
        ("tos_acceptance[date]", "1700000000"),
        ("tos_acceptance[ip]", "127.0.0.1"),
        ("external_account", "btok_us_verified"),
    ];
    let mut params = stripe_client::Params::new();
    for (k, v) in fields {
        params = params.set(k, v);
    }
    let _: serde_json::Value = stripe
        .post_form(&format!("/v1/accounts/{id}"), &params, &none)
        .await
        .unwrap();
    // Verification takes a few (emulated) seconds, as on Stripe.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    loop {
        let a: serde_json::Value = stripe
            .get(
                &format!("/v1/accounts/{id}"),
                &stripe_client::Params::new(),
                &none,
            )
            .await
            .unwrap();
        if a["charges_enabled"] == true && a["payouts_enabled"] == true {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never enabled: {a}");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    app::account_sync::sync(
        server.db(),
        stripe,
        &id,
        app::account_sync::VersionHint::Known(app::db::connected_accounts::ApiVersion::V1),
        app::account_sync::SyncCause::default(),
    )
    .await
    .unwrap();
    let owner = app::db::users::find_by_email(server.db(), owner_email)
        .await
        .unwrap()
        .unwrap();
    assert!(
        app::db::connected_accounts::set_owner(server.db(), &id, owner.id)
            .await
            .unwrap()
    );
    id
}

/// Waits (30 s at most) until `check` holds.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Waits until every stored webhook event is processed.
pub async fn all_processed(server: &TestServer) {
    eventually("every stored event processed", || async {
        app::db::stripe_events::count_pending(server.db())
            .await
            .unwrap()
            == 0
    })
    .await;
}

/// A successful server function's JSON answer (the test fails with the body otherwise).
pub async fn json_of(response: reqwest::Response) -> serde_json::Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "HTTP {status}: {text}");
    serde_json::from_str(&text).unwrap()
}
