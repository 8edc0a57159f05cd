//! Shared test support: start the emulator on a free port, a small Stripe-style client, Stripe's
//! OpenAPI subset and fixtures, and a validator for the OpenAPI subset the spec uses.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use sandbox::{SandboxConfig, SandboxHandle};
use serde_json::Value;

pub const KEY: &str = "sk_test_offline_emulator";

/// Stripe's own artefacts, kept in the repository (`stripe-spec/README.md`).
pub fn stripe_spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../stripe-spec")
}

pub fn openapi() -> Value {
    let text = std::fs::read_to_string(stripe_spec_dir().join("stripe-connect-subset.json"))
        .expect("OpenAPI subset");
    serde_json::from_str(&text).expect("valid JSON")
}

pub fn fixtures() -> Value {
    let text = std::fs::read_to_string(stripe_spec_dir().join("fixtures3.json")).expect("fixtures");
    serde_json::from_str::<Value>(&text).expect("valid JSON")["resources"].clone()
}

pub async fn start(config: SandboxConfig) -> SandboxHandle {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    sandbox::start(config, addr).await.expect("emulator starts")
}

pub fn seeded() -> SandboxConfig {
    SandboxConfig {
        seed: Some(7),
        verification_secs: 0,
        ..SandboxConfig::default()
    }
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub key: String,
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Client {
    pub fn new(base: &str) -> Self {
        Client {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            key: KEY.to_string(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Resp {
        let url = format!("{}{}", self.base, path);
        let body = serde_urlencoded::to_string(form).unwrap();
        let mut rb = match method {
            "GET" => self.http.get(format!(
                "{url}{}{body}",
                if body.is_empty() { "" } else { "?" }
            )),
            "DELETE" => self.http.delete(&url),
            _ => self
                .http
                .post(&url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body),
        };
        rb = rb.bearer_auth(&self.key);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let r = rb.send().await.expect("request sent");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.send("POST", path, form, &[]).await
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Resp {
        self.send("GET", path, query, &[]).await
    }

    pub async fn ok(&self, method: &str, path: &str, form: &[(&str, &str)]) -> Value {
        let r = self.send(method, path, form, &[]).await;
        assert!(
            r.status == 200,
            "{method} {path} → {}: {}",
            r.status,
            r.body
        );
        r.body
    }

    pub async fn json(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Resp {
        let url = format!("{}{}", self.base, path);
        let mut rb = match method {
            "GET" => self.http.get(&url),
            _ => self.http.post(&url).json(body),
        };
        rb = rb
            .bearer_auth(&self.key)
            .header("Stripe-Version", "2026-09-30.preview");
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        Resp {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        }
    }
}

/// Creates a Custom-style account (platform collects requirements) in the US.
pub async fn custom_account(c: &Client, extra: &[(&str, &str)]) -> Value {
    let mut form = vec![
        ("country", "US"),
        ("controller[stripe_dashboard][type]", "none"),
        ("controller[fees][payer]", "application"),
        ("controller[losses][payments]", "application"),
        ("controller[requirement_collection]", "application"),
        ("capabilities[card_payments][requested]", "true"),
        ("capabilities[transfers][requested]", "true"),
        ("business_type", "individual"),
    ];
    form.extend_from_slice(extra);
    c.ok("POST", "/v1/accounts", &form).await
}

/// Fills every requirement of a US individual account through the API.
pub async fn complete_account(c: &Client, id: &str) -> Value {
    c.ok(
        "POST",
        &format!("/v1/accounts/{id}"),
        &[
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
        ],
    )
    .await
}

// ---- webhook receiver ----

pub type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A webhook receiver that fails the first `fail_first` deliveries with a 500.
pub async fn receiver(fail_first: usize) -> (String, Received) {
    let got: Received = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    let counter = Arc::new(Mutex::new(0usize));
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            let counter = counter.clone();
            async move {
                let mut n = counter.lock().unwrap();
                *n += 1;
                if *n <= fail_first {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                seen.lock()
                    .unwrap()
                    .push((headers, String::from_utf8(body.to_vec()).unwrap()));
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

pub fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = Some(v.to_string()),
            Some(("v1", v)) => sigs.push(v.to_string()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    let age = sandbox::clock::real_now() - t.parse::<i64>().unwrap();
    age.abs() < 300 && sigs.iter().any(|s| s == &expected)
}

pub async fn wait_for(got: &Received, pred: impl Fn(&[(HeaderMap, String)]) -> bool) {
    for _ in 0..100 {
        if pred(&got.lock().unwrap()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "webhook not delivered in time; got {}",
        got.lock().unwrap().len()
    );
}

// ---- OpenAPI subset validator ----

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(root, &root["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn type_ok(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        _ => true,
    }
}

/// Validates `v` against `schema`: type, properties (no undeclared keys), required, nullable,
/// anyOf/oneOf, enum, items, $ref, maxLength. Returns the list of violations.
pub fn validate(root: &Value, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if schema.as_object().map(|m| m.is_empty()).unwrap_or(true) {
        return;
    }
    if v.is_null() {
        if schema.get("nullable") != Some(&Value::Bool(true)) {
            errors.push(format!("{path}: null but not nullable"));
        }
        return;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let mut inner = Vec::new();
            let matching = options
                .iter()
                .filter(|o| {
                    let mut e = Vec::new();
                    validate(root, o, v, path, &mut e);
                    let ok = e.is_empty();
                    inner.extend(e);
                    ok
                })
                .count();
            if matching == 0 {
                errors.push(format!(
                    "{path}: matches none of {key}: {}",
                    inner.join("; ")
                ));
            }
        }
    }
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        if !type_ok(ty, v) {
            errors.push(format!("{path}: expected {ty}, got {v}"));
            return;
        }
    }
    if let Some(en) = schema.get("enum").and_then(Value::as_array) {
        if !en.contains(v) && schema.get("x-stripeBypassValidation").is_none() {
            errors.push(format!("{path}: {v} not in enum"));
        }
    }
    if let (Some(max), Some(s)) = (schema.get("maxLength").and_then(Value::as_u64), v.as_str()) {
        if s.chars().count() as u64 > max {
            errors.push(format!("{path}: longer than {max}"));
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(root, items, item, &format!("{path}[{i}]"), errors);
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    errors.push(format!("{path}: missing required {r}"));
                }
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, child) in obj {
                match props.get(k) {
                    Some(s) => validate(root, s, child, &format!("{path}.{k}"), errors),
                    None if schema.get("additionalProperties").is_none() && !props.is_empty() => {
                        errors.push(format!("{path}: undeclared property {k}"))
                    }
                    None => {}
                }
            }
        }
        if let Some(ap) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            let declared = schema.get("properties").and_then(Value::as_object);
            for (k, child) in obj {
                if declared.map(|d| !d.contains_key(k)).unwrap_or(true) {
                    validate(root, ap, child, &format!("{path}.{k}"), errors);
                }
            }
        }
    }
}

/// Asserts `v` validates against component schema `name`.
pub fn assert_schema(root: &Value, name: &str, v: &Value) {
    let schema = &root["components"]["schemas"][name];
    assert!(!schema.is_null(), "no schema {name}");
    let mut errors = Vec::new();
    validate(root, schema, v, name, &mut errors);
    assert!(
        errors.is_empty(),
        "{name} does not validate:\n{}\n{v:#}",
        errors.join("\n")
    );
}

pub fn keys(v: &Value) -> std::collections::BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Asserts `v` has exactly the fixture's top-level keys (plus `allowed_extra`).
pub fn assert_fixture_keys(fixtures: &Value, name: &str, v: &Value, allowed_extra: &[&str]) {
    let fixture = keys(&fixtures[name]);
    assert!(!fixture.is_empty(), "no fixture {name}");
    let got = keys(v);
    let missing: Vec<_> = fixture.difference(&got).collect();
    let extra: Vec<_> = got
        .difference(&fixture)
        .filter(|k| !allowed_extra.contains(&k.as_str()))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn validator_can_fail() {
    let root = openapi();
    let mut errors = Vec::new();
    validate(
        &root,
        &root["components"]["schemas"]["login_link"],
        &serde_json::json!({"object": "login_link", "url": 3}),
        "x",
        &mut errors,
    );
    assert!(errors
        .iter()
        .any(|e| e.contains("missing required created")));
    assert!(errors.iter().any(|e| e.contains("expected string")));
    let mut errors = Vec::new();
    validate(
        &root,
        &root["components"]["schemas"]["payout"],
        &serde_json::json!({"object": "nope", "bogus": 1}),
        "p",
        &mut errors,
    );
    assert!(
        errors.iter().any(|e| e.contains("not in enum"))
            && errors.iter().any(|e| e.contains("undeclared"))
    );
}
