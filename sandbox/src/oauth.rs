//! OAuth for Express and Standard platforms: the consent pages (`GET /express/oauth/authorize`,
//! `GET /oauth/authorize`), which create or connect an account and redirect back with a `code`, and
//! `POST /oauth/token` (authorization code and refresh token grants) and `POST /oauth/deauthorize`.
//! Access tokens are `sk_test_oauth_<code>`: the API layer maps them to the connected account.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::accounts::{
    controller_for_type, external_account_from_token, new_account, set_requested,
};
use crate::api::{keys_match, presented_key};
use crate::html::{esc, page};
use crate::requirements::{self, CAPABILITIES};
use crate::state::{OAuthCode, RequestInfo, SharedApp, State as Store};

const COUNTRIES: &[(&str, &str)] = &[
    ("US", "United States"),
    ("CA", "Canada"),
    ("GB", "United Kingdom"),
    ("AU", "Australia"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("IE", "Ireland"),
    ("NL", "Netherlands"),
];

/// An OAuth error: `{"error": …, "error_description": …}`.
#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            error,
            description: description.into(),
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response()
    }
}

/// Which flow a consent page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Express,
    Standard,
}

impl Flow {
    fn path(self) -> &'static str {
        match self {
            Flow::Express => "/express/oauth/authorize",
            Flow::Standard => "/oauth/authorize",
        }
    }
    fn account_type(self) -> &'static str {
        match self {
            Flow::Express => "express",
            Flow::Standard => "standard",
        }
    }
    fn dashboard(self) -> &'static str {
        match self {
            Flow::Express => "express",
            Flow::Standard => "full",
        }
    }
}

/// The validated parameters of an authorize request.
#[derive(Debug, Clone)]
struct AuthorizeParams {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    scope: String,
    email: String,
    business_type: String,
    country: String,
    suggested: Vec<String>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn list(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The v1 capabilities a suggested (or asserted) capability stands for.
fn capabilities_for(name: &str) -> Option<Vec<&'static str>> {
    match name {
        "platform_payments" | "transfers" => Some(vec!["transfers"]),
        "card_payments" => Some(vec!["card_payments", "transfers"]),
        other => CAPABILITIES.iter().find(|c| **c == other).map(|c| vec![*c]),
    }
}

fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{q}")
}

fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    (
        status,
        page(
            title,
            &format!(
                "<h1>{}</h1><p class=\"error\" role=\"alert\">{}</p>",
                esc(title),
                esc(message)
            ),
        ),
    )
        .into_response()
}

/// Validates what Stripe validates before showing the page. The error is either a redirect back to the
/// platform with an OAuth error or an error page (when there is no trustworthy redirect URI).
fn validate(flow: Flow, p: &Value) -> Result<AuthorizeParams, Box<Response>> {
    let client_id = text(p, "client_id").ok_or_else(|| {
        Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            "No client_id provided: the link must carry your platform's client_id (ca_…).",
        ))
    })?;
    if !client_id.starts_with("ca_") {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            &format!("No such application: '{client_id}'. A client_id starts with ca_."),
        )));
    }
    let redirect_uri = text(p, "redirect_uri").ok_or_else(|| {
        Box::new(error_page(StatusCode::BAD_REQUEST, "Invalid request", "No redirect_uri provided: the offline Stripe emulator has no platform settings to default to, so pass redirect_uri."))
    })?;
    if !(redirect_uri.starts_with("http://") || redirect_uri.starts_with("https://")) {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            "Invalid redirect_uri: it must be an http or https URL.",
        )));
    }
    let state = text(p, "state");
    let back = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(s) = &state {
            pairs.push(("state", s.as_str()));
        }
        Box::new(Redirect::to(&with_query(&redirect_uri, &pairs)).into_response())
    };
    if let Some(rt) = text(p, "response_type") {
        if rt != "code" {
            return Err(back(
                "unsupported_response_type",
                &format!("Unsupported response_type: {rt}. Only 'code' is supported."),
            ));
        }
    }
    let scope = match flow {
        Flow::Express => "express".to_string(),
        Flow::Standard => {
            let s = text(p, "scope").unwrap_or_else(|| "read_only".into());
            if s != "read_only" && s != "read_write" {
                return Err(back(
                    "invalid_scope",
                    &format!("Invalid scope: {s}. Use read_only or read_write."),
                ));
            }
            s
        }
    };
    let user = p.get("stripe_user").cloned().unwrap_or(json!({}));
    let business_type = text(&user, "business_type")
        .filter(|b| ["individual", "company", "non_profit"].contains(&b.as_str()))
        .unwrap_or_else(|| "individual".into());
    let country = text(&user, "country")
        .map(|c| c.to_uppercase())
        .filter(|c| COUNTRIES.iter().any(|(k, _)| k == c))
        .unwrap_or_else(|| "US".into());
    let mut suggested = Vec::new();
    for s in list(p, "suggested_capabilities") {
        if capabilities_for(&s).is_none() {
            return Err(back(
                "invalid_request",
                &format!("Invalid suggested_capabilities: {s}."),
            ));
        }
        suggested.push(s);
    }
    Ok(AuthorizeParams {
        client_id,
        redirect_uri,
        state,
        scope,
        email: text(&user, "email").unwrap_or_default(),
        business_type,
        country,
        suggested,
    })
}

/// Signs the parameters carried by the consent form, so a decision can only be posted from the page.
fn form_sig(app: &SharedApp, flow: Flow, a: &AuthorizeParams) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app.config.secret_key.as_bytes())
        .expect("HMAC accepts any key length");
    for part in [
        flow.path(),
        &a.client_id,
        &a.redirect_uri,
        a.state.as_deref().unwrap_or(""),
        &a.scope,
        &a.suggested.join(","),
    ] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    hex::encode(mac.finalize().into_bytes())
}

fn consent_page(app: &SharedApp, flow: Flow, a: &AuthorizeParams) -> Response {
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(name),
            esc(value)
        )
    };
    let mut body = format!(
        "<h1>Connect to <code>{}</code></h1><p>The platform asks to connect {} Stripe account ({}).</p>",
        esc(&a.client_id),
        if flow == Flow::Express { "an Express" } else { "a Standard" },
        match a.scope.as_str() {
            "read_write" => "it will be able to act on your account",
            "read_only" => "it will be able to read your account",
            _ => "it will manage your Express account",
        }
    );
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\">",
        flow.path()
    ));
    body.push_str(&hidden("client_id", &a.client_id));
    body.push_str(&hidden("redirect_uri", &a.redirect_uri));
    body.push_str(&hidden("state", a.state.as_deref().unwrap_or("")));
    body.push_str(&hidden("scope", &a.scope));
    body.push_str(&hidden("suggested_capabilities", &a.suggested.join(",")));
    body.push_str(&hidden("sig", &form_sig(app, flow, a)));
    let existing: Vec<(String, String)> = app.read(|s| {
        let mut v: Vec<&crate::state::Account> = s
            .accounts
            .values()
            .filter(|x| x.controller.dashboard == flow.dashboard() && x.rejected.is_none())
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.seq));
        v.into_iter()
            .take(50)
            .map(|x| (x.id.clone(), x.email.clone().unwrap_or_default()))
            .collect()
    });
    body.push_str("<fieldset><legend>Account</legend><p><label><input type=\"radio\" name=\"mode\" value=\"new\" checked style=\"width:auto\"> Create a new account</label></p>");
    body.push_str(&format!(
        "<label for=\"o-email\">Email</label><input id=\"o-email\" name=\"email\" type=\"email\" value=\"{}\">",
        esc(&a.email)
    ));
    body.push_str(
        "<label for=\"o-country\">Country</label><select id=\"o-country\" name=\"country\">",
    );
    for (code, name) in COUNTRIES {
        body.push_str(&format!(
            "<option value=\"{code}\"{}>{}</option>",
            if *code == a.country { " selected" } else { "" },
            esc(name)
        ));
    }
    body.push_str("</select><label for=\"o-bt\">Type of business</label><select id=\"o-bt\" name=\"business_type\">");
    for (v, l) in [
        ("individual", "Individual / sole proprietor"),
        ("company", "Company"),
        ("non_profit", "Non-profit"),
    ] {
        body.push_str(&format!(
            "<option value=\"{v}\"{}>{l}</option>",
            if v == a.business_type {
                " selected"
            } else {
                ""
            }
        ));
    }
    body.push_str("</select><p><label><input type=\"checkbox\" name=\"complete_onboarding\" value=\"1\" checked style=\"width:auto\"> \
Fill in Stripe's test data (test ID numbers, address_full_match, bank account btok_us_verified) so the account can take payments</label></p>");
    if !existing.is_empty() {
        body.push_str("<p><label><input type=\"radio\" name=\"mode\" value=\"existing\" style=\"width:auto\"> Connect an existing account</label></p>\
<label for=\"o-existing\">Existing account</label><select id=\"o-existing\" name=\"account\">");
        for (id, email) in &existing {
            body.push_str(&format!(
                "<option value=\"{}\">{}{}</option>",
                esc(id),
                esc(id),
                if email.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", esc(email))
                }
            ));
        }
        body.push_str("</select>");
    }
    body.push_str("</fieldset><button type=\"submit\" name=\"decision\" value=\"allow\">Connect</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\" formnovalidate>Deny access</button></form>");
    page("Connect with Stripe", &body).into_response()
}

async fn form_params(req: Request) -> Result<(HeaderMap, Value), OAuthError> {
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, 256 * 1024).await.map_err(|_| {
        OAuthError::new(
            400,
            "invalid_request",
            "Request body too large or unreadable",
        )
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let mut params = crate::form::parse(&text)
        .map_err(|e| OAuthError::new(400, "invalid_request", e.message))?;
    if let Some(q) = parts.uri.query() {
        let extra = crate::form::parse(q)
            .map_err(|e| OAuthError::new(400, "invalid_request", e.message))?;
        crate::form::merge(&mut params, extra);
    }
    Ok((parts.headers, params))
}

async fn show(app: SharedApp, flow: Flow, req: Request) -> Response {
    let params = match crate::form::parse(req.uri().query().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, "Invalid request", &e.message),
    };
    match validate(flow, &params) {
        Ok(a) => consent_page(&app, flow, &a),
        Err(r) => *r,
    }
}

/// `GET /express/oauth/authorize`.
pub async fn express_authorize(State(app): State<SharedApp>, req: Request) -> Response {
    show(app, Flow::Express, req).await
}

/// `GET /oauth/authorize`.
pub async fn standard_authorize(State(app): State<SharedApp>, req: Request) -> Response {
    show(app, Flow::Standard, req).await
}

/// Fills every requirement with Stripe's test values (what a person completing Stripe's flow provides).
pub fn fill_test_data(s: &mut Store, a: &mut crate::state::Account) -> crate::error::ApiResult<()> {
    let before = a.collected.clone();
    let external_before = a.external_accounts.len();
    let now = s.now();
    for (field, _) in requirements::needed_fields(a) {
        match field.as_str() {
            "external_account" => {
                if a.external_accounts.is_empty() {
                    let ext =
                        external_account_from_token(s, a, "btok_us_verified", "external_account")?;
                    a.external_accounts.push(ext);
                }
            }
            "business_type" => {}
            "tos_acceptance.date" => {
                a.tos_acceptance["date"] = json!(now);
                a.collected.insert(field, now.to_string());
            }
            "tos_acceptance.ip" => {
                a.tos_acceptance["ip"] = json!("127.0.0.1");
                a.collected.insert(field, "127.0.0.1".into());
            }
            f => {
                let value = if f.ends_with(".dob.year") {
                    "1901"
                } else if f.ends_with(".dob.day") || f.ends_with(".dob.month") {
                    "1"
                } else if f.ends_with("verification.document") {
                    "file_identity_document_success"
                } else if f.ends_with("_provided") {
                    "true"
                } else if f == "business_profile.mcc" {
                    "5734"
                } else {
                    match crate::account_links::default_value(f) {
                        "" => "Test",
                        v => v,
                    }
                };
                if let Some(k) = f.strip_prefix("business_profile.") {
                    a.business_profile[k] = json!(value);
                }
                a.collected.insert(f.to_string(), value.to_string());
            }
        }
    }
    a.details_submitted = true;
    requirements::after_submission(a, &before, external_before, now, s.verification_secs);
    Ok(())
}

fn application(client_id: &str) -> Value {
    json!({"id": client_id, "name": null, "object": "application"})
}

async fn decide(app: SharedApp, flow: Flow, req: Request) -> Response {
    let params = match form_params(req).await {
        Ok((_, p)) => p,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, "Invalid request", &e.description),
    };
    let a = match validate(flow, &params) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let sig_ok = text(&params, "sig")
        .map(|s| keys_match(&s, &form_sig(&app, flow, &a)))
        .unwrap_or(false);
    if !sig_ok {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            "This form was not issued by the consent page. Start again from the platform's link.",
        );
    }
    let with_state = |mut pairs: Vec<(&'static str, String)>| {
        if let Some(s) = &a.state {
            pairs.push(("state", s.clone()));
        }
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Redirect::to(&with_query(&a.redirect_uri, &borrowed)).into_response()
    };
    if text(&params, "decision").as_deref() != Some("allow") {
        return with_state(vec![
            ("error", "access_denied".into()),
            ("error_description", "The user denied your request".into()),
        ]);
    }
    let mode = text(&params, "mode").unwrap_or_else(|| "new".into());
    let email = text(&params, "email").unwrap_or_else(|| a.email.clone());
    let country = text(&params, "country")
        .filter(|c| COUNTRIES.iter().any(|(k, _)| k == c))
        .unwrap_or_else(|| a.country.clone());
    let business_type = text(&params, "business_type")
        .filter(|b| ["individual", "company", "non_profit"].contains(&b.as_str()))
        .unwrap_or_else(|| a.business_type.clone());
    let complete = params.get("complete_onboarding").is_some();
    let existing = text(&params, "account");
    let auth = a.clone();
    let outcome = app
        .write(move |s| {
            let req = RequestInfo::default();
            let account_id = if mode == "existing" {
                let id = existing.ok_or_else(|| crate::error::ApiError::missing("account"))?;
                let acct = s.account(&id)?;
                if acct.controller.dashboard != flow.dashboard() {
                    return Err(crate::error::ApiError::invalid(
                        format!("{id} is not a {} account.", flow.account_type()),
                        Some("account"),
                    ));
                }
                let before = crate::accounts::render(s, acct);
                s.account_mut(&id)?.oauth_connected = true;
                crate::accounts::emit_changes(s, &id, &before, &req);
                id
            } else {
                let ty = flow.account_type();
                let mut acct = new_account(s, &country, controller_for_type(ty), ty);
                acct.email = (!email.is_empty()).then_some(email);
                acct.business_type = Some(business_type);
                acct.oauth_connected = true;
                let now = s.now();
                let mut caps: Vec<&str> = Vec::new();
                for sc in &auth.suggested {
                    caps.extend(capabilities_for(sc).unwrap_or_default());
                }
                if caps.is_empty() {
                    caps = vec!["card_payments", "transfers"];
                }
                for c in caps {
                    set_requested(now, &mut acct, c, true);
                }
                if complete {
                    fill_test_data(s, &mut acct)?;
                }
                let id = acct.id.clone();
                s.accounts.insert(id.clone(), acct);
                id
            };
            let code = format!("ac_{}", s.token(24));
            let now = s.now();
            s.oauth_codes.insert(
                code.clone(),
                OAuthCode {
                    code: code.clone(),
                    account: account_id.clone(),
                    scope: auth.scope.clone(),
                    used: false,
                    created: now,
                    suggested_capabilities: auth.suggested.clone(),
                    refresh_token: String::new(),
                    revoked: false,
                    client_id: auth.client_id.clone(),
                },
            );
            s.emit(
                "account.application.authorized",
                Some(&account_id),
                application(&auth.client_id),
                None,
                &req,
            );
            Ok(code)
        })
        .await;
    match outcome {
        Ok(code) => with_state(vec![("code", code), ("scope", a.scope.clone())]),
        Err(e) => error_page(StatusCode::BAD_REQUEST, "Could not connect", &e.message),
    }
}

/// `POST /express/oauth/authorize` (the consent form).
pub async fn express_decide(State(app): State<SharedApp>, req: Request) -> Response {
    decide(app, Flow::Express, req).await
}

/// `POST /oauth/authorize` (the consent form).
pub async fn standard_decide(State(app): State<SharedApp>, req: Request) -> Response {
    decide(app, Flow::Standard, req).await
}

/// The platform's secret key, from `client_secret` or the Authorization header.
fn check_secret(app: &SharedApp, headers: &HeaderMap, p: &Value) -> Result<(), OAuthError> {
    let key = text(p, "client_secret").or_else(|| presented_key(headers));
    match key {
        Some(k) if keys_match(&k, &app.config.secret_key) => Ok(()),
        Some(k) => Err(OAuthError::new(
            401,
            "invalid_client",
            format!(
                "Invalid API Key provided: {}****",
                k.chars().take(8).collect::<String>()
            ),
        )),
        None => Err(OAuthError::new(
            401,
            "invalid_client",
            "No API key provided: pass your secret key as client_secret or with Bearer authorization.",
        )),
    }
}

fn token_response(c: &OAuthCode) -> Value {
    let stripe_publishable_key = format!("pk_test_oauth_{}", c.account.trim_start_matches("acct_"));
    json!({
        "access_token": format!("sk_test_oauth_{}", c.code),
        "livemode": false,
        "refresh_token": c.refresh_token,
        "scope": c.scope,
        "stripe_publishable_key": stripe_publishable_key,
        "stripe_user_id": c.account,
        "token_type": "bearer",
    })
}

/// `POST /oauth/token`.
pub async fn token(State(app): State<SharedApp>, req: Request) -> Response {
    match token_inner(app, req).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn token_inner(app: SharedApp, req: Request) -> Result<Value, OAuthError> {
    let (headers, p) = form_params(req).await?;
    check_secret(&app, &headers, &p)?;
    let grant = text(&p, "grant_type")
        .ok_or_else(|| OAuthError::new(400, "invalid_request", "No grant type specified"))?;
    match grant.as_str() {
        "authorization_code" => {
            let code = text(&p, "code").ok_or_else(|| {
                OAuthError::new(400, "invalid_request", "No authorization code provided")
            })?;
            let asserted = list(&p, "assert_capabilities");
            let outcome = app
                .write(move |s| {
                    let Some(entry) = s.oauth_codes.get(&code).cloned() else {
                        return Ok(Err(OAuthError::new(400, "invalid_grant", format!("Authorization code does not exist: {code}"))));
                    };
                    if entry.used || entry.revoked {
                        // A replayed code revokes what was issued with it.
                        if let Some(e) = s.oauth_codes.get_mut(&code) {
                            e.revoked = true;
                        }
                        return Ok(Err(OAuthError::new(400, "invalid_grant", format!("Authorization code has already been used: {code}. The access token issued with it has been revoked."))));
                    }
                    let Some(acct) = s.accounts.get(&entry.account).cloned() else {
                        return Ok(Err(OAuthError::new(400, "invalid_grant", format!("The account of authorization code {code} no longer exists."))));
                    };
                    for cap in &asserted {
                        let wanted = capabilities_for(cap).unwrap_or_default();
                        let first = wanted.first().copied().unwrap_or("");
                        let has = !wanted.is_empty()
                            && acct.capabilities.get(first).map(|c| c.requested).unwrap_or(false);
                        if !has {
                            return Ok(Err(OAuthError::new(400, "invalid_request", format!("The account {} does not have the asserted capability {cap}.", acct.id))));
                        }
                    }
                    let refresh = format!("rt_{}", s.token(24));
                    let e = s.oauth_codes.get_mut(&code).expect("code");
                    e.used = true;
                    e.refresh_token = refresh;
                    let e = e.clone();
                    Ok(Ok(token_response(&e)))
                })
                .await
                .map_err(|e| OAuthError::new(500, "api_error", e.message))?;
            outcome
        }
        "refresh_token" => {
            let rt = text(&p, "refresh_token").ok_or_else(|| {
                OAuthError::new(400, "invalid_request", "No refresh token provided")
            })?;
            let outcome = app
                .write(move |s| {
                    let current = s
                        .oauth_codes
                        .values()
                        .find(|c| {
                            c.used
                                && !c.revoked
                                && !rt.is_empty()
                                && keys_match(&c.refresh_token, &rt)
                        })
                        .cloned();
                    let Some(old) = current else {
                        return Ok(Err(OAuthError::new(
                            400,
                            "invalid_grant",
                            format!("Refresh token does not exist: {rt}"),
                        )));
                    };
                    if !s
                        .accounts
                        .get(&old.account)
                        .map(|a| a.oauth_connected)
                        .unwrap_or(false)
                    {
                        return Ok(Err(OAuthError::new(
                            400,
                            "invalid_grant",
                            "The account is no longer connected to your platform.",
                        )));
                    }
                    // Rolling: a new access token, the old one stops working, the refresh token stays.
                    for c in s.oauth_codes.values_mut() {
                        if c.refresh_token == old.refresh_token {
                            c.revoked = true;
                        }
                    }
                    let code = format!("ac_{}", s.token(24));
                    let now = s.now();
                    let new = OAuthCode {
                        code: code.clone(),
                        used: true,
                        revoked: false,
                        created: now,
                        ..old
                    };
                    s.oauth_codes.insert(code, new.clone());
                    Ok(Ok(token_response(&new)))
                })
                .await
                .map_err(|e| OAuthError::new(500, "api_error", e.message))?;
            outcome
        }
        other => Err(OAuthError::new(
            400,
            "unsupported_grant_type",
            format!("Unsupported grant type: {other}"),
        )),
    }
}

/// `POST /oauth/deauthorize {client_id, stripe_user_id}` → `{stripe_user_id}`.
pub async fn deauthorize(State(app): State<SharedApp>, req: Request) -> Response {
    let inner = async {
        let (headers, p) = form_params(req).await?;
        check_secret(&app, &headers, &p)?;
        let client_id = text(&p, "client_id")
            .ok_or_else(|| OAuthError::new(400, "invalid_request", "No client_id provided"))?;
        let user = text(&p, "stripe_user_id")
            .ok_or_else(|| OAuthError::new(400, "invalid_request", "No stripe_user_id provided"))?;
        app.write(move |s| {
            let connected = s
                .accounts
                .get(&user)
                .map(|a| a.oauth_connected)
                .unwrap_or(false)
                && s.oauth_codes
                    .values()
                    .any(|c| c.account == user && c.client_id == client_id);
            if !connected {
                return Ok(Err(OAuthError::new(
                    401,
                    "invalid_client",
                    format!("Stripe user {user} is not connected to {client_id}"),
                )));
            }
            let req = RequestInfo::default();
            let before = crate::accounts::render(s, &s.accounts[&user]);
            s.account_mut(&user)?.oauth_connected = false;
            for c in s.oauth_codes.values_mut() {
                if c.account == user {
                    c.revoked = true;
                }
            }
            s.emit(
                "account.application.deauthorized",
                Some(&user),
                application(&client_id),
                None,
                &req,
            );
            crate::accounts::emit_changes(s, &user, &before, &req);
            Ok(Ok(json!({"stripe_user_id": user})))
        })
        .await
        .map_err(|e| OAuthError::new(500, "api_error", e.message))?
    };
    match inner.await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The OAuth routes.
pub fn router() -> Router<SharedApp> {
    Router::new()
        .route(
            "/express/oauth/authorize",
            get(express_authorize).post(express_decide),
        )
        .route(
            "/oauth/authorize",
            get(standard_authorize).post(standard_decide),
        )
        .route("/oauth/token", post(token))
        .route("/oauth/deauthorize", post(deauthorize))
}
