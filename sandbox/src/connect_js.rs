//! The Connect.js stand-in: serves `connect.js` (the runtime contract Stripe's loader
//! `@stripe/connect-js` relies on: `StripeConnect.init` with the loader's `metaOptions`, the
//! instance's `connect`, `update` and `logout`, and per element `setConnector` and the
//! `…InternalOnly` setters the loader declares; see `assets/connect.js` and FIDELITY.md) and the
//! JSON API its components call under `/_connectjs/v1/`, a prefix Stripe does not use.
//!
//! The JSON API is authenticated only by an AccountSession client secret
//! (`Authorization: Bearer accs_secret__…`); a secret key is refused. Every route honours the session:
//! only enabled components may call it, and actions need the component's feature (refunds need
//! `refund_management`, dispute actions `dispute_management`, payout schedule edits
//! `edit_payout_schedule`, payouts `standard_payouts` / `instant_payouts`, bank accounts
//! `external_account_collection`). A request may name the calling component with `?component=`;
//! without it, any enabled component allowed on the route grants access. CORS allows any origin:
//! the portal runs on another port, and no cookies are involved.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::account_links::{apply_form, default_value, form_fields};
use crate::accounts::{emit_changes, external_account_from_token, render};
use crate::api::{keys_match, paginate, presented_key};
use crate::error::ApiError;
use crate::requirements::{self, label};
use crate::state::{Account, AccountLink, RequestInfo, SharedApp, State as Store};

/// The script, embedded at build time.
pub const CONNECT_JS: &str = include_str!("../assets/connect.js");
/// Where the components' JSON API lives.
pub const PREFIX: &str = "/_connectjs/v1";

// ---- errors ----

/// The JSON API's error: `{"error": {type, code, message, param}}`.
#[derive(Debug, Clone)]
pub struct CjsError {
    status: u16,
    kind: String,
    code: Option<String>,
    message: String,
    param: Option<String>,
}

impl CjsError {
    fn new(status: u16, kind: &str, code: Option<&str>, message: impl Into<String>) -> Self {
        CjsError {
            status,
            kind: kind.into(),
            code: code.map(str::to_string),
            message: message.into(),
            param: None,
        }
    }

    fn auth(code: &str, message: impl Into<String>) -> Self {
        Self::new(401, "authentication_error", Some(code), message)
    }

    fn forbidden(code: &str, message: impl Into<String>) -> Self {
        Self::new(403, "invalid_request_error", Some(code), message)
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_request_error", None, message)
    }
}

impl From<ApiError> for CjsError {
    fn from(e: ApiError) -> Self {
        CjsError {
            status: e.status,
            kind: e.kind.to_string(),
            code: e.code,
            message: e.message,
            param: e.param,
        }
    }
}

impl IntoResponse for CjsError {
    fn into_response(self) -> Response {
        let mut e = Map::new();
        e.insert("type".into(), json!(self.kind));
        if let Some(c) = &self.code {
            e.insert("code".into(), json!(c));
        }
        e.insert("message".into(), json!(self.message));
        if let Some(p) = &self.param {
            e.insert("param".into(), json!(p));
        }
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(json!({ "error": e }))).into_response()
    }
}

type CjsResult<T = Json<Value>> = Result<T, CjsError>;

// ---- the session behind a request ----

/// The AccountSession a request presented.
#[derive(Debug, Clone)]
pub struct Session {
    pub secret: String,
    pub account: String,
    pub components: Value,
}

type Q = Query<HashMap<String, String>>;

impl Session {
    pub fn enabled(&self, component: &str) -> bool {
        self.components[component]["enabled"] == json!(true)
    }

    pub fn feature(&self, component: &str, feature: &str) -> bool {
        self.enabled(component) && self.components[component]["features"][feature] == json!(true)
    }

    fn features(&self, component: &str) -> Value {
        self.components[component]["features"].clone()
    }

    /// The component a request acts for: the one named by `?component=` (which must be allowed on
    /// the route and enabled), or the first enabled one of `allowed`.
    fn component(&self, q: &HashMap<String, String>, allowed: &[&str]) -> CjsResult<String> {
        if let Some(c) = q.get("component") {
            let c = c.replace('-', "_");
            if !allowed.contains(&c.as_str()) {
                return Err(CjsError::forbidden(
                    "component_not_allowed",
                    format!("The {c} component cannot use this endpoint."),
                ));
            }
            if !self.enabled(&c) {
                return Err(not_enabled(&[c.as_str()]));
            }
            return Ok(c);
        }
        allowed
            .iter()
            .find(|c| self.enabled(c))
            .map(|c| c.to_string())
            .ok_or_else(|| not_enabled(allowed))
    }

    /// Like `component`, and the component must have `feature` on.
    fn with_feature(
        &self,
        q: &HashMap<String, String>,
        allowed: &[&str],
        feature: &str,
    ) -> CjsResult<String> {
        let refuse = || {
            CjsError::forbidden(
                "feature_not_enabled",
                format!("This AccountSession does not enable the `{feature}` feature for this component."),
            )
        };
        if q.contains_key("component") {
            let c = self.component(q, allowed)?;
            return if self.feature(&c, feature) {
                Ok(c)
            } else {
                Err(refuse())
            };
        }
        if let Some(c) = allowed.iter().find(|c| self.feature(c, feature)) {
            return Ok(c.to_string());
        }
        self.component(q, allowed)?;
        Err(refuse())
    }
}

fn not_enabled(components: &[&str]) -> CjsError {
    CjsError::forbidden(
        "component_not_enabled",
        format!(
            "This AccountSession does not enable the {} component.",
            components.join(" or ")
        ),
    )
}

// ---- middleware: CORS and authentication ----

fn cors(h: &mut HeaderMap) {
    h.insert("Access-Control-Allow-Origin", HeaderValue::from_static("*"));
    h.insert(
        "Access-Control-Allow-Methods",
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        "Access-Control-Allow-Headers",
        HeaderValue::from_static("Authorization, Content-Type"),
    );
    h.insert("Access-Control-Max-Age", HeaderValue::from_static("600"));
}

async fn layer(State(app): State<SharedApp>, mut req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        let mut resp = StatusCode::NO_CONTENT.into_response();
        cors(resp.headers_mut());
        return resp;
    }
    let mut resp = match authenticate(&app, req.headers()).await {
        Ok(session) => {
            req.extensions_mut().insert(session);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    };
    let h = resp.headers_mut();
    cors(h);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn authenticate(app: &SharedApp, headers: &HeaderMap) -> CjsResult<Session> {
    let key = presented_key(headers).ok_or_else(|| {
        CjsError::auth(
            "account_session_missing",
            "Provide an AccountSession client secret in the Authorization header (Bearer).",
        )
    })?;
    if key.starts_with("sk_") || key.starts_with("rk_") || key.starts_with("pk_") {
        return Err(CjsError::auth(
            "account_session_invalid",
            "Connect embedded components accept only an AccountSession client secret, not an API key.",
        ));
    }
    let found = app.read(|s| {
        let now = s.now();
        s.account_sessions
            .values()
            .find(|x| keys_match(&x.client_secret, &key))
            .map(|x| (x.clone(), now))
    });
    let Some((session, now)) = found else {
        return Err(CjsError::auth(
            "account_session_invalid",
            "The AccountSession client secret is not valid. Create a new AccountSession.",
        ));
    };
    if now >= session.expires_at {
        return Err(CjsError::auth(
            "account_session_expired",
            "The AccountSession has expired. Create a new AccountSession.",
        ));
    }
    if !app.read(|s| s.accounts.contains_key(&session.account)) {
        return Err(CjsError::auth(
            "account_session_invalid",
            "The account of this AccountSession no longer exists.",
        ));
    }
    if !session.claimed {
        let secret = session.client_secret.clone();
        app.write(move |s| {
            if let Some(x) = s.account_sessions.get_mut(&secret) {
                x.claimed = true;
            }
            Ok(())
        })
        .await?;
    }
    Ok(Session {
        secret: session.client_secret,
        account: session.account,
        components: session.components,
    })
}

// ---- the script ----

fn etag() -> &'static str {
    static ETAG: OnceLock<String> = OnceLock::new();
    ETAG.get_or_init(|| {
        let digest = Sha256::digest(CONNECT_JS.as_bytes());
        format!("\"{}\"", &hex::encode(digest)[..20])
    })
}

/// `GET /v1.0/connect.js`
pub async fn script(headers: HeaderMap) -> Response {
    let tag = etag();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
        .unwrap_or(false);
    let mut resp = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        CONNECT_JS.into_response()
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if let Ok(v) = HeaderValue::from_str(tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        "X-Content-Type-Options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("Access-Control-Allow-Origin", HeaderValue::from_static("*"));
    resp
}

/// The stand-in's routes: the script and the JSON API.
pub fn router(app: SharedApp) -> Router<SharedApp> {
    let api = Router::new()
        .route(&format!("{PREFIX}/session"), get(session))
        .route(&format!("{PREFIX}/logout"), post(logout))
        .route(
            &format!("{PREFIX}/onboarding"),
            get(onboarding).post(submit_onboarding),
        )
        .route(&format!("{PREFIX}/notifications"), get(notifications))
        .route(
            &format!("{PREFIX}/account"),
            get(account).post(update_account),
        )
        .route(
            &format!("{PREFIX}/external_accounts"),
            post(add_external_account),
        )
        .route(&format!("{PREFIX}/payments"), get(list_payments))
        .route(&format!("{PREFIX}/payments/{{id}}"), get(payment))
        .route(&format!("{PREFIX}/payments/{{id}}/refunds"), post(refund))
        .route(
            &format!("{PREFIX}/disputes/{{id}}/accept"),
            post(accept_dispute),
        )
        .route(
            &format!("{PREFIX}/disputes/{{id}}/evidence"),
            post(dispute_evidence),
        )
        .route(&format!("{PREFIX}/balances"), get(balances))
        .route(
            &format!("{PREFIX}/payouts"),
            get(list_payouts).post(create_payout),
        )
        .route(&format!("{PREFIX}/payouts/{{id}}"), get(payout))
        .route(&format!("{PREFIX}/payout_schedule"), post(payout_schedule))
        .route(&format!("{PREFIX}/documents"), get(documents))
        .route("/_connectjs/{*rest}", any(unknown))
        // route_layer: only these routes need a client secret; other paths keep their own 404.
        .route_layer(axum::middleware::from_fn_with_state(app, layer));
    Router::new()
        .route("/v1.0/connect.js", get(script))
        .merge(api)
}

async fn unknown(method: Method, uri: axum::http::Uri) -> CjsError {
    CjsError::new(
        404,
        "invalid_request_error",
        None,
        format!("Unrecognized request URL ({method}: {})", uri.path()),
    )
}

fn body_object(bytes: &Bytes) -> CjsResult<Value> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(json!({}));
    }
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| CjsError::invalid(format!("Invalid JSON body: {e}")))?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(CjsError::invalid("The request body must be a JSON object."))
    }
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---- session ----

fn account_summary(s: &Store, a: &Account) -> Value {
    let r = render(s, a);
    json!({
        "id": a.id,
        "country": a.country,
        "default_currency": a.default_currency,
        "display_name": a.business_profile["name"].as_str()
            .map(str::to_string)
            .or_else(|| a.settings["dashboard"]["display_name"].as_str().map(str::to_string))
            .or_else(|| a.email.clone()),
        "charges_enabled": r["charges_enabled"],
        "payouts_enabled": r["payouts_enabled"],
        "details_submitted": r["details_submitted"],
    })
}

/// `GET /session`: the account and the enabled components with their features.
async fn session(State(app): State<SharedApp>, Extension(sess): Extension<Session>) -> CjsResult {
    app.read(|s| {
        let a = s.account(&sess.account)?;
        let expires_at = s.account_sessions.get(&sess.secret).map(|x| x.expires_at);
        Ok(Json(json!({
            "account": account_summary(s, a),
            "components": sess.components,
            "expires_at": expires_at,
            "livemode": false,
        })))
    })
}

/// `POST /logout`: ends the AccountSession; its secret is refused from now on.
async fn logout(State(app): State<SharedApp>, Extension(sess): Extension<Session>) -> CjsResult {
    app.write(move |s| {
        let now = s.now();
        if let Some(x) = s.account_sessions.get_mut(&sess.secret) {
            x.expires_at = now;
        }
        Ok(Json(json!({"logged_out": true})))
    })
    .await
    .map_err(Into::into)
}

// ---- onboarding (account-onboarding, and the forms opened by notification-banner and
// account-management) ----

const ONBOARDING_COMPONENTS: &[&str] = &[
    "account_onboarding",
    "notification_banner",
    "account_management",
];

fn collection(q: &HashMap<String, String>) -> CjsResult<(String, String)> {
    let fields = q
        .get("fields")
        .cloned()
        .unwrap_or_else(|| "currently_due".into());
    let future = q
        .get("future_requirements")
        .cloned()
        .unwrap_or_else(|| "omit".into());
    if !["currently_due", "eventually_due"].contains(&fields.as_str()) {
        return Err(CjsError::invalid(
            "fields must be currently_due or eventually_due.",
        ));
    }
    if !["omit", "include"].contains(&future.as_str()) {
        return Err(CjsError::invalid(
            "future_requirements must be omit or include.",
        ));
    }
    Ok((fields, future))
}

/// An in-memory Account Link describing what the embedded form collects, so the hosted form's
/// field selection and validation apply unchanged.
fn embedded_link(account: &str, fields: &str, future: &str) -> AccountLink {
    AccountLink {
        token: String::new(),
        account: account.to_string(),
        kind: "account_onboarding".into(),
        refresh_url: String::new(),
        return_url: String::new(),
        fields: fields.to_string(),
        future_requirements: future.to_string(),
        created: 0,
        expires_at: 0,
        visited: true,
        form_token: None,
        completed: false,
        v2: false,
    }
}

fn step_of(field: &str) -> &'static str {
    if field == "business_type" {
        "business_type"
    } else if field == "external_account" {
        "external_account"
    } else if field.starts_with("tos_acceptance.") {
        "summary"
    } else if field == "company.owners_provided" {
        "owners"
    } else if field.starts_with("representative.") {
        "representative"
    } else if field.starts_with("individual.") {
        "personal_details"
    } else {
        "business_details"
    }
}

fn option(value: &str, label: &str) -> Value {
    json!({"value": value, "label": label})
}

/// The inputs the embedded form shows for the due `fields` (the hosted form's inputs, as data).
fn inputs(a: &Account, fields: &[String], collect_bank: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let mut done_dob: Vec<String> = Vec::new();
    for f in fields {
        let step = step_of(f);
        let base = |name: &str, input: &str| json!({"requirement": f, "name": name, "input": input, "label": label(f), "step": step, "required": true});
        let v = if f.contains(".dob.") {
            let prefix = f.split(".dob.").next().unwrap_or_default().to_string();
            if done_dob.contains(&prefix) {
                continue;
            }
            done_dob.push(prefix.clone());
            let current = match (
                a.collected.get(&format!("{prefix}.dob.year")),
                a.collected.get(&format!("{prefix}.dob.month")),
                a.collected.get(&format!("{prefix}.dob.day")),
            ) {
                (Some(y), Some(m), Some(d)) => {
                    let (m, d) = (m.parse::<u32>().unwrap_or(1), d.parse::<u32>().unwrap_or(1));
                    format!("{y:0>4}-{m:02}-{d:02}")
                }
                _ => "1901-01-01".to_string(),
            };
            json!({"requirement": format!("{prefix}.dob"), "name": format!("dob:{prefix}"), "input": "date",
                "label": label(&format!("{prefix}.dob")), "step": step, "required": true, "value": current,
                "hint": "Test value 1901-01-01 verifies; 1900-01-01 fails verification."})
        } else {
            match f.as_str() {
                "external_account" => {
                    if !collect_bank {
                        continue;
                    }
                    let mut v = base("external_account", "select");
                    v["options"] = json!([
                        option(
                            "btok_us_verified",
                            "STRIPE TEST BANK ••••6789 (btok_us_verified)"
                        ),
                        option(
                            "btok_us_verified_noAccount",
                            "Test account whose payouts fail ••••1116"
                        ),
                        option(
                            "tok_visa_debit",
                            "Visa debit card ••••5556 (tok_visa_debit)"
                        ),
                    ]);
                    v
                }
                "tos_acceptance.date" => {
                    let mut v = base("tos", "tos");
                    v["label"] = json!("I agree to the Stripe Connected Account Agreement");
                    v["value"] = json!("accepted");
                    v
                }
                "tos_acceptance.ip" => continue,
                "business_type" => {
                    let mut v = base("business_type", "select");
                    v["options"] = json!([
                        option("individual", "Individual / sole proprietor"),
                        option("company", "Company"),
                        option("non_profit", "Non-profit"),
                    ]);
                    v
                }
                "business_profile.mcc" => {
                    let mut v = base("field:business_profile.mcc", "select");
                    v["options"] = json!([
                        option("5734", "Software (5734)"),
                        option("5812", "Restaurants (5812)"),
                        option("7299", "Other services (7299)"),
                        option("8299", "Education (8299)"),
                    ]);
                    v
                }
                f if f.ends_with("verification.document") => {
                    let mut v = base(&format!("field:{f}"), "select");
                    v["options"] = json!([
                        option(
                            "file_identity_document_success",
                            "Test document that verifies"
                        ),
                        option(
                            "file_identity_document_failure",
                            "Test document that fails verification"
                        ),
                    ]);
                    v
                }
                f if f.ends_with("_provided") => {
                    let mut v = base(&format!("field:{f}"), "checkbox");
                    v["value"] = json!("true");
                    v
                }
                f => {
                    let ty = if f.ends_with("email") {
                        "email"
                    } else if f.ends_with("phone") {
                        "tel"
                    } else {
                        "text"
                    };
                    let mut v = base(&format!("field:{f}"), ty);
                    v["value"] = json!(a
                        .collected
                        .get(f)
                        .map(String::as_str)
                        .unwrap_or_else(|| default_value(f)));
                    let hint = if f.ends_with("phone") {
                        Some("Test phone number 000-000-0000.")
                    } else if f.ends_with("id_number") {
                        Some("000000000 verifies; 111111111 fails identity verification.")
                    } else if f.ends_with("address.line1") {
                        Some("address_full_match verifies; address_no_match fails.")
                    } else {
                        None
                    };
                    if let Some(h) = hint {
                        v["hint"] = json!(h);
                    }
                    v
                }
            }
        };
        out.push(v);
    }
    out
}

fn onboarding_state(
    s: &Store,
    sess: &Session,
    component: &str,
    fields: &str,
    future: &str,
) -> CjsResult<Value> {
    let a = s.account(&sess.account)?;
    let link = embedded_link(&a.id, fields, future);
    let due = form_fields(s, &link).unwrap_or_default();
    let collect_bank = sess.feature(component, "external_account_collection");
    let reqs = requirements::compute(a, s.now());
    let r = render(s, a);
    let list = inputs(a, &due, collect_bank);
    let asks_phone = due.iter().any(|f| f.ends_with("phone"));
    let future_due: Vec<Value> = r["future_requirements"]["currently_due"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(json!({
        "account": account_summary(s, a),
        "collection_options": {"fields": fields, "future_requirements": future},
        "due": due,
        "inputs": list,
        "asks_sms_code": asks_phone,
        "errors": reqs.errors.iter().map(|e| {
            let mut e = e.clone();
            e["label"] = json!(label(e["requirement"].as_str().unwrap_or_default()));
            e
        }).collect::<Vec<_>>(),
        "requirements": r["requirements"],
        "future_requirements_due": future_due,
        "features": sess.features(component),
        "component": component,
    }))
}

/// `GET /onboarding?fields=&future_requirements=`: what the embedded onboarding form asks for.
async fn onboarding(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, ONBOARDING_COMPONENTS)?;
    let (fields, future) = collection(&q)?;
    app.read(|s| onboarding_state(s, &sess, &component, &fields, &future))
        .map(Json)
}

/// `POST /onboarding`: `{values: {"field:<requirement>": …, "dob:<prefix>": "YYYY-MM-DD",
/// business_type, tos, external_account, sms_code, simulate_failure}}` — the hosted form's fields,
/// validated the same way; updates the account and emits the same events.
async fn submit_onboarding(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    let component = sess.component(&q, ONBOARDING_COMPONENTS)?;
    let (fields, future) = collection(&q)?;
    let body = body_object(&body)?;
    let values = body.get("values").cloned().unwrap_or_else(|| json!({}));
    let Some(values) = values.as_object() else {
        return Err(CjsError::invalid("values must be an object."));
    };
    let mut form: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in values {
        let v = str_of(v).ok_or_else(|| CjsError::invalid(format!("{k} must be a string.")))?;
        form.insert(k.clone(), v);
    }
    if form.contains_key("external_account")
        && !sess.feature(&component, "external_account_collection")
    {
        return Err(CjsError::forbidden(
            "feature_not_enabled",
            "This AccountSession does not enable the `external_account_collection` feature for this component.",
        ));
    }
    let out = app
        .write(move |s| {
            let link = embedded_link(&sess.account, &fields, &future);
            let due = form_fields(s, &link).unwrap_or_default();
            for k in form.keys() {
                let known = if let Some(f) = k.strip_prefix("field:") {
                    due.iter().any(|d| d == f)
                } else if let Some(p) = k.strip_prefix("dob:") {
                    due.iter().any(|d| d.starts_with(&format!("{p}.dob.")))
                } else {
                    matches!(
                        k.as_str(),
                        "business_type"
                            | "tos"
                            | "external_account"
                            | "sms_code"
                            | "simulate_failure"
                    )
                };
                if !known {
                    return Ok(Err(format!("{k} is not being collected for this account.")));
                }
            }
            match apply_form(s, &link, &form, &RequestInfo::default())? {
                Ok(()) => Ok(Ok(onboarding_state(s, &sess, &component, &fields, &future)
                    .map_err(|e| ApiError::api_error(e.message))?)),
                Err(msg) => Ok(Err(msg)),
            }
        })
        .await?;
    match out {
        Ok(v) => Ok(Json(v)),
        Err(msg) => Err(CjsError::invalid(msg)),
    }
}

// ---- notification banner ----

/// `GET /notifications?fields=&future_requirements=`: what the account must act on.
async fn notifications(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, &["notification_banner"])?;
    let (fields, future) = collection(&q)?;
    app.read(|s| {
        let a = s.account(&sess.account)?;
        let r = render(s, a);
        let reqs = &r["requirements"];
        let labels = |v: &Value| -> Vec<Value> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|f| json!({"requirement": f, "label": label(f)}))
                .collect()
        };
        let mut items: Vec<Value> = Vec::new();
        if let Some(reason) = reqs["disabled_reason"].as_str().filter(|r| r.starts_with("rejected.")) {
            items.push(json!({"id": "account_rejected", "severity": "critical", "action_required": false,
                "title": "This account was rejected",
                "description": format!("Stripe rejected this account ({reason}); it cannot accept payments or receive payouts."),
                "requirements": []}));
        }
        for e in reqs["errors"].as_array().into_iter().flatten() {
            let f = e["requirement"].as_str().unwrap_or_default();
            items.push(json!({"id": format!("error:{f}"), "severity": "critical", "action_required": true,
                "title": format!("{} could not be verified", label(f)),
                "description": e["reason"], "requirements": [{"requirement": f, "label": label(f)}]}));
        }
        let past_due = labels(&reqs["past_due"]);
        if !past_due.is_empty() {
            items.push(json!({"id": "past_due", "severity": "critical", "action_required": true,
                "title": "Payments or payouts are paused",
                "description": format!("Provide {} item(s) of information to restore your account.", past_due.len()),
                "requirements": past_due}));
        }
        let currently: Vec<Value> = labels(&reqs["currently_due"])
            .into_iter()
            .filter(|x| !reqs["past_due"].as_array().is_some_and(|p| p.contains(&x["requirement"])))
            .collect();
        if !currently.is_empty() {
            let deadline = reqs["current_deadline"].as_i64();
            items.push(json!({"id": "currently_due", "severity": "warning", "action_required": true,
                "title": "More information is needed",
                "description": match deadline {
                    Some(_) => "Provide this information before the deadline to keep payments and payouts enabled.".to_string(),
                    None => "Provide this information to keep payments and payouts enabled.".to_string(),
                },
                "deadline": deadline, "requirements": currently}));
        }
        if fields == "eventually_due" {
            let eventually: Vec<Value> = labels(&reqs["eventually_due"])
                .into_iter()
                .filter(|x| !reqs["currently_due"].as_array().is_some_and(|c| c.contains(&x["requirement"])))
                .collect();
            if !eventually.is_empty() {
                items.push(json!({"id": "eventually_due", "severity": "info", "action_required": true,
                    "title": "Information will be needed later",
                    "description": "Provide this information now to avoid interruptions later.",
                    "requirements": eventually}));
            }
        }
        if future == "include" {
            let fut = labels(&r["future_requirements"]["currently_due"]);
            if !fut.is_empty() {
                items.push(json!({"id": "future_requirements", "severity": "info", "action_required": true,
                    "title": "Upcoming verification requirements",
                    "description": "Stripe will need this information soon.",
                    "deadline": r["future_requirements"]["current_deadline"], "requirements": fut}));
            }
        }
        let pending = labels(&reqs["pending_verification"]);
        if !pending.is_empty() {
            items.push(json!({"id": "pending_verification", "severity": "info", "action_required": false,
                "title": "Your information is being verified",
                "description": "Stripe is reviewing the information you provided.",
                "requirements": pending}));
        }
        let action = items.iter().filter(|i| i["action_required"] == json!(true)).count();
        Ok(Json(json!({
            "total": items.len(),
            "action_required": action,
            "notifications": items,
            "collection_options": {"fields": fields, "future_requirements": future},
            "features": sess.features(&component),
        })))
    })
}

// ---- account management ----

fn external_summary(e: &Value, default: bool) -> Value {
    json!({
        "id": e["id"],
        "object": e["object"],
        "bank_name": e["bank_name"],
        "brand": e["brand"],
        "last4": e["last4"],
        "currency": e["currency"],
        "country": e["country"],
        "status": e["status"],
        "default": default,
    })
}

fn masked(field: &str, value: &str) -> String {
    if field.ends_with("id_number") || field.ends_with("ssn_last_4") || field.ends_with("tax_id") {
        "•••• (provided)".to_string()
    } else {
        value.to_string()
    }
}

/// `GET /account`: business, contact and person details and payout accounts.
async fn account(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, &["account_management"])?;
    app.read(|s| {
        let a = s.account(&sess.account)?;
        let r = render(s, a);
        let details: Vec<Value> = a
            .collected
            .iter()
            .filter(|(k, _)| {
                (k.starts_with("individual.")
                    || k.starts_with("company.")
                    || k.starts_with("representative."))
                    && !k.contains(".dob.")
                    && !k.ends_with("verification.document")
            })
            .map(|(k, v)| json!({"field": k, "label": label(k), "value": masked(k, v)}))
            .collect();
        Ok(Json(json!({
            "account": account_summary(s, a),
            "email": a.email,
            "business_type": a.business_type,
            "business_profile": {
                "name": a.business_profile["name"],
                "url": a.business_profile["url"],
                "support_email": a.business_profile["support_email"],
                "support_phone": a.business_profile["support_phone"],
                "product_description": a.business_profile["product_description"],
                "mcc": a.business_profile["mcc"],
            },
            "details": details,
            "external_accounts": a.external_accounts.iter().enumerate()
                .map(|(i, e)| external_summary(e, i == 0)).collect::<Vec<_>>(),
            "requirements": r["requirements"],
            "features": sess.features(&component),
        })))
    })
}

const EDITABLE_PROFILE: &[&str] = &[
    "name",
    "url",
    "support_email",
    "support_phone",
    "product_description",
];

/// `POST /account`: `{email, business_profile: {name, url, support_email, support_phone,
/// product_description}}`.
async fn update_account(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    sess.component(&q, &["account_management"])?;
    let body = body_object(&body)?;
    for k in body.as_object().into_iter().flatten().map(|(k, _)| k) {
        if k != "email" && k != "business_profile" {
            return Err(CjsError::invalid(format!("{k} cannot be edited here.")));
        }
    }
    let email = match body.get("email") {
        None | Some(Value::Null) => None,
        Some(v) => Some(str_of(v).ok_or_else(|| CjsError::invalid("email must be a string."))?),
    };
    if let Some(e) = &email {
        if !e.is_empty() && !e.contains('@') {
            return Err(CjsError::invalid("Email must be an email address."));
        }
    }
    let mut profile: Vec<(String, String)> = Vec::new();
    if let Some(bp) = body.get("business_profile").filter(|v| !v.is_null()) {
        let Some(m) = bp.as_object() else {
            return Err(CjsError::invalid("business_profile must be an object."));
        };
        for (k, v) in m {
            if !EDITABLE_PROFILE.contains(&k.as_str()) {
                return Err(CjsError::invalid(format!(
                    "business_profile.{k} cannot be edited here."
                )));
            }
            let v = str_of(v)
                .ok_or_else(|| {
                    CjsError::invalid(format!("business_profile.{k} must be a string."))
                })?
                .trim()
                .to_string();
            let bad = match k.as_str() {
                "url" => !v.is_empty() && !v.contains('.'),
                "support_email" => !v.is_empty() && !v.contains('@'),
                "support_phone" => {
                    !v.is_empty() && v.chars().filter(|c| c.is_ascii_digit()).count() < 10
                }
                _ => false,
            };
            if bad {
                return Err(CjsError::invalid(format!(
                    "{} is not valid.",
                    label(&format!("business_profile.{k}"))
                )));
            }
            profile.push((k.clone(), v));
        }
    }
    let id = sess.account.clone();
    app.write(move |s| {
        let mut a = s.account(&id)?.clone();
        let before = render(s, &a);
        if let Some(e) = email {
            a.email = if e.is_empty() { None } else { Some(e) };
        }
        for (k, v) in profile {
            let field = format!("business_profile.{k}");
            if v.is_empty() {
                a.business_profile[&k] = Value::Null;
                a.collected.remove(&field);
            } else {
                a.business_profile[&k] = json!(v);
                a.collected.insert(field, v);
            }
        }
        s.accounts.insert(id.clone(), a);
        emit_changes(s, &id, &before, &RequestInfo::default());
        Ok(())
    })
    .await?;
    account(State(app), Extension(sess), Query(q)).await
}

/// `POST /external_accounts`: `{token}` (a Stripe test token such as `btok_us_verified`) becomes the
/// default payout account. Needs `external_account_collection`.
async fn add_external_account(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    sess.with_feature(
        &q,
        &[
            "account_management",
            "account_onboarding",
            "payouts",
            "balances",
        ],
        "external_account_collection",
    )?;
    let body = body_object(&body)?;
    let token = body
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| CjsError::invalid("Missing token."))?
        .to_string();
    let id = sess.account.clone();
    let ext = app
        .write(move |s| {
            let mut a = s.account(&id)?.clone();
            let before = render(s, &a);
            let ext = external_account_from_token(s, &a, &token, "token")?;
            a.external_accounts.insert(0, ext.clone());
            s.accounts.insert(id.clone(), a);
            let req = RequestInfo::default();
            s.emit(
                "account.external_account.created",
                Some(&id),
                ext.clone(),
                None,
                &req,
            );
            emit_changes(s, &id, &before, &req);
            Ok(ext)
        })
        .await?;
    Ok(Json(external_summary(&ext, true)))
}

// ---- payments ----

const PAYMENT_COMPONENTS: &[&str] = &["payments", "payment_details"];

fn disputes_of<'a>(s: &'a Store, account: &str, charge: &str) -> Vec<&'a Value> {
    s.objs("dispute", Some(account))
        .into_iter()
        .map(|o| &o.value)
        .filter(|d| d["charge"] == json!(charge))
        .collect()
}

/// The status the embedded payments list shows (the `Status` values of Connect.js filters).
fn payment_status(s: &Store, account: &str, ch: &Value) -> &'static str {
    let open = disputes_of(s, account, ch["id"].as_str().unwrap_or_default())
        .iter()
        .any(|d| {
            matches!(
                d["status"].as_str(),
                Some(
                    "needs_response"
                        | "under_review"
                        | "warning_needs_response"
                        | "warning_under_review"
                        | "lost"
                )
            )
        });
    let amount = ch["amount"].as_i64().unwrap_or(0);
    let refunded = ch["amount_refunded"].as_i64().unwrap_or(0);
    match ch["status"].as_str() {
        _ if open => "disputed",
        Some("failed") => "failed",
        Some("pending") => "pending",
        _ if ch["captured"] == json!(false) => "uncaptured",
        _ if refunded >= amount && amount > 0 => "refunded",
        _ if refunded > 0 => "partially_refunded",
        _ => "successful",
    }
}

fn payment_summary(s: &Store, account: &str, ch: &Value) -> Value {
    let card = &ch["payment_method_details"]["card"];
    json!({
        "id": ch["id"],
        "payment_intent": ch["payment_intent"],
        "amount": ch["amount"],
        "amount_refunded": ch["amount_refunded"],
        "currency": ch["currency"],
        "status": payment_status(s, account, ch),
        "created": ch["created"],
        "description": ch["description"],
        "customer": {"name": ch["billing_details"]["name"], "email": ch["billing_details"]["email"]},
        "payment_method": {"type": ch["payment_method_details"]["type"], "brand": card["brand"], "last4": card["last4"]},
        "application_fee_amount": ch["application_fee_amount"],
    })
}

fn q_int(q: &HashMap<String, String>, key: &str) -> CjsResult<Option<i64>> {
    q.get(key)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| CjsError::invalid(format!("{key} must be an integer.")))
        })
        .transpose()
}

fn page_params(q: &HashMap<String, String>) -> Value {
    let mut p = json!({"limit": q.get("limit").cloned().unwrap_or_else(|| "20".into())});
    if let Some(a) = q.get("starting_after").filter(|v| !v.is_empty()) {
        p["starting_after"] = json!(a);
    }
    p
}

/// `GET /payments?status=a,b&created_gte=&created_lte=&amount_gte=&amount_lte=&payment_method=
/// &limit=&starting_after=`: the account's charges, newest first.
async fn list_payments(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, &["payments"])?;
    let statuses: Vec<String> = q
        .get("status")
        .map(|s| {
            s.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let (cg, cl, ag, al) = (
        q_int(&q, "created_gte")?,
        q_int(&q, "created_lte")?,
        q_int(&q, "amount_gte")?,
        q_int(&q, "amount_lte")?,
    );
    let method = q.get("payment_method").filter(|m| !m.is_empty()).cloned();
    app.read(|s| {
        let items: Vec<Value> = s
            .objs("charge", Some(&sess.account))
            .into_iter()
            .map(|o| payment_summary(s, &sess.account, &o.value))
            .filter(|p| {
                let created = p["created"].as_i64().unwrap_or(0);
                let amount = p["amount"].as_i64().unwrap_or(0);
                (statuses.is_empty() || statuses.iter().any(|x| p["status"] == json!(x)))
                    && cg.is_none_or(|b| created >= b)
                    && cl.is_none_or(|b| created <= b)
                    && ag.is_none_or(|b| amount >= b)
                    && al.is_none_or(|b| amount <= b)
                    && method
                        .as_ref()
                        .is_none_or(|m| p["payment_method"]["type"] == json!(m))
            })
            .collect();
        let mut list = paginate(s, items, &page_params(&q), &format!("{PREFIX}/payments"))?;
        list["features"] = sess.features(&component);
        Ok(Json(list))
    })
}

fn find_charge<'a>(s: &'a Store, account: &str, id: &str) -> CjsResult<&'a Value> {
    if id.starts_with("pi_") {
        let pi = s
            .obj("payment_intent", id, Some(account))
            .map_err(CjsError::from)?;
        let ch = pi.value["latest_charge"].as_str().ok_or_else(|| {
            CjsError::new(
                404,
                "invalid_request_error",
                Some("resource_missing"),
                format!("The payment {id} has no charge yet."),
            )
        })?;
        return Ok(&s
            .obj("charge", ch, Some(account))
            .map_err(CjsError::from)?
            .value);
    }
    Ok(&s
        .obj("charge", id, Some(account))
        .map_err(CjsError::from)?
        .value)
}

fn payment_detail(s: &Store, sess: &Session, component: &str, id: &str) -> CjsResult<Value> {
    let ch = find_charge(s, &sess.account, id)?;
    let mut v = payment_summary(s, &sess.account, ch);
    let txn = ch["balance_transaction"]
        .as_str()
        .and_then(|t| s.objects.get(t))
        .map(|o| o.value.clone());
    let refunds: Vec<Value> = s
        .objs("refund", Some(&sess.account))
        .into_iter()
        .map(|o| &o.value)
        .filter(|r| r["charge"] == ch["id"])
        .map(|r| json!({"id": r["id"], "amount": r["amount"], "currency": r["currency"], "status": r["status"], "reason": r["reason"], "created": r["created"]}))
        .collect();
    let disputes: Vec<Value> = disputes_of(s, &sess.account, ch["id"].as_str().unwrap_or_default())
        .into_iter()
        .map(|d| json!({"id": d["id"], "amount": d["amount"], "currency": d["currency"], "status": d["status"],
            "reason": d["reason"], "created": d["created"], "evidence_due_by": d["evidence_details"]["due_by"],
            "has_evidence": d["evidence_details"]["has_evidence"]}))
        .collect();
    let amount = ch["amount"].as_i64().unwrap_or(0);
    let refunded = ch["amount_refunded"].as_i64().unwrap_or(0);
    let disputed = ch["disputed"] == json!(true);
    v["fee"] = txn
        .as_ref()
        .map(|t| t["fee"].clone())
        .unwrap_or(Value::Null);
    v["net"] = txn
        .as_ref()
        .map(|t| t["net"].clone())
        .unwrap_or(Value::Null);
    v["fee_details"] = txn
        .as_ref()
        .map(|t| t["fee_details"].clone())
        .unwrap_or(json!([]));
    v["refundable_amount"] = json!(if disputed { 0 } else { amount - refunded });
    v["billing_details"] = ch["billing_details"].clone();
    v["statement_descriptor"] = ch["calculated_statement_descriptor"].clone();
    v["metadata"] = ch["metadata"].clone();
    v["receipt_url"] = ch["receipt_url"].clone();
    v["refunds"] = json!(refunds);
    v["disputes"] = json!(disputes);
    v["features"] = sess.features(component);
    Ok(v)
}

/// `GET /payments/{id}` (a charge `ch_…` or PaymentIntent `pi_…`).
async fn payment(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, PAYMENT_COMPONENTS)?;
    app.read(|s| payment_detail(s, &sess, &component, &id))
        .map(Json)
}

/// `POST /payments/{id}/refunds` `{amount?, reason?}`: needs `refund_management`.
async fn refund(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    let component = sess.with_feature(&q, PAYMENT_COMPONENTS, "refund_management")?;
    let body = body_object(&body)?;
    let amount = match body.get("amount") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| CjsError::invalid("amount must be an integer in minor units."))?,
        ),
    };
    let reason = match body
        .get("reason")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
    {
        Some(r) if ["duplicate", "fraudulent", "requested_by_customer"].contains(&r) => {
            Some(r.to_string())
        }
        Some(_) => {
            return Err(CjsError::invalid(
                "reason must be duplicate, fraudulent or requested_by_customer.",
            ))
        }
        None => None,
    };
    let out = app
        .write(move |s| {
            let ch = find_charge(s, &sess.account, &id).map_err(to_api)?;
            let ch_id = ch["id"].as_str().unwrap_or_default().to_string();
            if ch["disputed"] == json!(true) {
                return Err(ApiError::invalid_code(
                    "charge_disputed",
                    format!("Charge {ch_id} has been charged back; refunds are not possible."),
                    Some("charge"),
                ));
            }
            crate::payments::create_refund(
                s,
                &sess.account,
                &ch_id,
                amount,
                reason,
                // The component's refund leaves the platform's fee alone (the parameter's
                // default, stripe-python's `RefundService.CreateParams`).
                false,
                json!({}),
                &RequestInfo::default(),
            )?;
            payment_detail(s, &sess, &component, &ch_id).map_err(to_api)
        })
        .await?;
    Ok(Json(out))
}

fn to_api(e: CjsError) -> ApiError {
    ApiError {
        status: e.status,
        kind: match e.kind.as_str() {
            "api_error" => "api_error",
            "authentication_error" => "authentication_error",
            _ => "invalid_request_error",
        },
        code: e.code,
        message: e.message,
        param: e.param,
        extra: Vec::new(),
    }
}

fn dispute_action(
    s: &mut Store,
    sess: &Session,
    id: &str,
    f: impl FnOnce(&mut Value) -> Result<&'static str, ApiError>,
) -> Result<String, ApiError> {
    let o = s
        .objects
        .get_mut(id)
        .filter(|o| o.kind == "dispute" && o.account.as_deref() == Some(sess.account.as_str()))
        .ok_or_else(|| ApiError::no_such("dispute", id, "dispute"))?;
    let status = o.value["status"].as_str().unwrap_or_default().to_string();
    if !matches!(status.as_str(), "needs_response" | "warning_needs_response") {
        return Err(ApiError::invalid(
            format!("This dispute is {status} and can no longer be changed."),
            None,
        ));
    }
    let event = f(&mut o.value)?;
    let value = o.value.clone();
    let charge = value["charge"].as_str().unwrap_or_default().to_string();
    s.emit(
        event,
        Some(&sess.account),
        value,
        Some(json!({"status": status})),
        &RequestInfo::default(),
    );
    Ok(charge)
}

/// `POST /disputes/{id}/accept`: concedes the dispute. Needs `dispute_management`.
async fn accept_dispute(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.with_feature(&q, PAYMENT_COMPONENTS, "dispute_management")?;
    let out = app
        .write(move |s| {
            let charge = dispute_action(s, &sess, &id, |d| {
                d["status"] = json!("lost");
                d["is_charge_refundable"] = json!(false);
                Ok("charge.dispute.closed")
            })?;
            payment_detail(s, &sess, &component, &charge).map_err(to_api)
        })
        .await?;
    Ok(Json(out))
}

/// `POST /disputes/{id}/evidence` `{text}`: submits evidence. Needs `dispute_management`.
async fn dispute_evidence(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    let component = sess.with_feature(&q, PAYMENT_COMPONENTS, "dispute_management")?;
    let body = body_object(&body)?;
    let text = body
        .get("text")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| CjsError::invalid("Describe your evidence."))?
        .to_string();
    let out = app
        .write(move |s| {
            let charge = dispute_action(s, &sess, &id, |d| {
                d["evidence"]["uncategorized_text"] = json!(text);
                d["evidence_details"]["has_evidence"] = json!(true);
                let n = d["evidence_details"]["submission_count"]
                    .as_i64()
                    .unwrap_or(0);
                d["evidence_details"]["submission_count"] = json!(n + 1);
                d["status"] = json!("under_review");
                Ok("charge.dispute.updated")
            })?;
            payment_detail(s, &sess, &component, &charge).map_err(to_api)
        })
        .await?;
    Ok(Json(out))
}

// ---- balances and payouts ----

const BALANCE_COMPONENTS: &[&str] = &["payouts", "balances"];

/// `GET /balances`: available and pending per currency, the payout schedule and payout accounts.
async fn balances(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, BALANCE_COMPONENTS)?;
    app.read(|s| {
        let a = s.account(&sess.account)?;
        let r = render(s, a);
        let bal = crate::payments::balance(s, Some(&a.id));
        let strip = |v: &Value| -> Vec<Value> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|b| json!({"amount": b["amount"], "currency": b["currency"]}))
                .collect()
        };
        Ok(Json(json!({
            "available": strip(&bal["available"]),
            "pending": strip(&bal["pending"]),
            "default_currency": a.default_currency,
            "payouts_enabled": r["payouts_enabled"],
            "schedule": a.settings["payouts"]["schedule"],
            "minimum_delay_days": crate::payout_schedule::minimum_delay(&a.country),
            "external_accounts": a.external_accounts.iter().enumerate()
                .map(|(i, e)| external_summary(e, i == 0)).collect::<Vec<_>>(),
            "features": sess.features(&component),
        })))
    })
}

fn payout_summary(s: &Store, account: &str, p: &Value) -> Value {
    let dest = s
        .accounts
        .get(account)
        .and_then(|a| {
            a.external_accounts
                .iter()
                .find(|e| e["id"] == p["destination"])
        })
        .map(|e| external_summary(e, false))
        .unwrap_or(Value::Null);
    json!({
        "id": p["id"],
        "amount": p["amount"],
        "currency": p["currency"],
        "status": p["status"],
        "arrival_date": p["arrival_date"],
        "created": p["created"],
        "method": p["method"],
        "automatic": p["automatic"],
        "type": p["type"],
        "description": p["description"],
        "destination": dest,
        "failure_message": p["failure_message"],
    })
}

/// `GET /payouts?limit=&starting_after=`
async fn list_payouts(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    let component = sess.component(&q, &["payouts", "payouts_list", "balances"])?;
    app.read(|s| {
        let items: Vec<Value> = s
            .objs("payout", Some(&sess.account))
            .into_iter()
            .map(|o| payout_summary(s, &sess.account, &o.value))
            .collect();
        let mut list = paginate(s, items, &page_params(&q), &format!("{PREFIX}/payouts"))?;
        list["features"] = sess.features(&component);
        Ok(Json(list))
    })
}

/// `GET /payouts/{id}`
async fn payout(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Q,
) -> CjsResult {
    sess.component(&q, &["payout_details", "payouts", "payouts_list"])?;
    app.read(|s| {
        let p = s.obj("payout", &id, Some(&sess.account))?;
        let mut v = payout_summary(s, &sess.account, &p.value);
        if let Some(t) = p.value["balance_transaction"].as_str().and_then(|t| s.objects.get(t)) {
            v["balance_transaction"] = json!({"id": t.id, "amount": t.value["amount"], "fee": t.value["fee"], "net": t.value["net"], "type": t.value["type"]});
        }
        Ok(Json(v))
    })
}

/// `POST /payouts` `{amount, currency, method: standard|instant}`: needs `standard_payouts` or
/// `instant_payouts`.
async fn create_payout(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    let body = body_object(&body)?;
    let method = body
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("standard")
        .to_string();
    let feature = match method.as_str() {
        "standard" => "standard_payouts",
        "instant" => "instant_payouts",
        _ => return Err(CjsError::invalid("method must be standard or instant.")),
    };
    sess.with_feature(&q, BALANCE_COMPONENTS, feature)?;
    let amount = body
        .get("amount")
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .ok_or_else(|| CjsError::invalid("amount must be an integer in minor units."))?;
    let id = sess.account.clone();
    let currency = body
        .get("currency")
        .and_then(Value::as_str)
        .map(str::to_lowercase);
    let out = app
        .write(move |s| {
            let currency = currency.unwrap_or_else(|| {
                s.accounts
                    .get(&id)
                    .map(|a| a.default_currency.clone())
                    .unwrap_or_else(|| "usd".into())
            });
            let p = crate::payments::create_payout(
                s,
                Some(&id),
                amount,
                &currency,
                false,
                &method,
                None,
                json!({}),
                &RequestInfo::default(),
            )?;
            Ok(payout_summary(s, &id, &p))
        })
        .await?;
    Ok(Json(out))
}

/// `POST /payout_schedule` `{interval, delay_days, weekly_anchor, monthly_anchor}`: Stripe's
/// validation; needs `edit_payout_schedule`.
async fn payout_schedule(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
    body: Bytes,
) -> CjsResult {
    sess.with_feature(&q, BALANCE_COMPONENTS, "edit_payout_schedule")?;
    let body = body_object(&body)?;
    let mut params = Map::new();
    for (k, v) in body.as_object().into_iter().flatten() {
        if v.is_null() || v == &json!("") {
            continue;
        }
        params.insert(
            k.clone(),
            str_of(v).map(Value::String).unwrap_or_else(|| v.clone()),
        );
    }
    let id = sess.account.clone();
    let schedule = app
        .write(move |s| {
            let mut a = s.account(&id)?.clone();
            let before = render(s, &a);
            let current = a.settings["payouts"]["schedule"].clone();
            // The component changes the schedule as `POST /v1/accounts/{id}` does.
            a.settings["payouts"]["schedule"] = crate::payout_schedule::apply(
                &current,
                &Value::Object(params),
                &a.country,
                &crate::spec::POST_ACCOUNT,
            )?;
            let schedule = a.settings["payouts"]["schedule"].clone();
            s.accounts.insert(id.clone(), a);
            emit_changes(s, &id, &before, &RequestInfo::default());
            Ok(schedule)
        })
        .await?;
    Ok(Json(json!({"schedule": schedule})))
}

// ---- documents ----

/// `GET /documents`: the account's documents. The emulator issues no tax forms or statements, so
/// the list holds none until it does.
async fn documents(
    State(app): State<SharedApp>,
    Extension(sess): Extension<Session>,
    Query(q): Q,
) -> CjsResult {
    sess.component(&q, &["documents"])?;
    app.read(|s| {
        let items: Vec<Value> = s
            .objs("document", Some(&sess.account))
            .into_iter()
            .map(|o| o.value.clone())
            .collect();
        Ok(Json(paginate(
            s,
            items,
            &page_params(&q),
            &format!("{PREFIX}/documents"),
        )?))
    })
}
