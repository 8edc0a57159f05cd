//! The control API and page under `/_sandbox/` (a prefix Stripe does not use): drive what Stripe would
//! do on its own — ask for more information, escalate deadlines, fail verifications, disable
//! capabilities, reject accounts, take payments, pay out, move the clock — and inject faults.
//!
//! The JSON API (`/_sandbox/api/…`) is authenticated with the secret key (Bearer or basic auth) and takes
//! form-encoded or JSON bodies. The page (`/_sandbox/`) is open to browsers on loopback; its forms post
//! to the same API with the page's form secret (random at each start) and are answered with a
//! redirect back to the page. A POST whose `Origin` is another site's is refused, key or not.

use std::net::SocketAddr;

use axum::body::to_bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::accounts::{emit_changes, render};
use crate::api::{keys_match, presented_key};
use crate::error::{ApiError, ApiResult};
use crate::html::{esc, page};
use crate::params::{allow, opt_bool, opt_enum, opt_int, opt_nonempty, opt_str};
use crate::requirements::{self, label};
use crate::state::{Faults, RequestInfo, RequirementError, SharedApp, State as Store};
use crate::{clock, payments};

const DAY: i64 = 86_400;

/// Verification error codes the control API can set (valid in both the v1 and the v2 schemas).
pub const ERROR_CODES: &[(&str, &str)] = &[
    ("verification_failed_keyed_identity", "The identity information you entered cannot be verified. Please correct any errors or upload a document that matches the identity fields (e.g., name and date of birth) that you entered."),
    ("verification_document_expired", "The provided identity document has expired."),
    ("verification_document_fraudulent", "The document might have been altered so it could not be verified."),
    ("verification_document_name_mismatch", "The name on the document does not match the name on the account."),
    ("verification_failed_address_match", "The address could not be verified. Please correct any errors or upload a document that matches the address."),
    ("verification_failed_id_number_match", "The ID number provided does not match the ID number on the document."),
    ("verification_failed_tax_id_match", "The tax ID could not be verified against the company name."),
    ("verification_failed_other", "Verification failed for another reason; provide the information again."),
    ("invalid_street_address", "The street address could not be found."),
    ("invalid_tax_id", "The tax ID is not valid."),
    ("invalid_dob_age_over_maximum", "Date of birth must be within the past 120 years."),
    ("invalid_url_website_inaccessible", "The business website could not be reached."),
    ("invalid_value_other", "The value provided is not valid."),
];

/// Fields the page offers when asking for more information (any requirement name is accepted).
const SUGGESTED_FIELDS: &[&str] = &[
    "individual.verification.document",
    "individual.verification.additional_document",
    "individual.id_number",
    "representative.verification.document",
    "company.verification.document",
    "company.tax_id",
    "business_profile.url",
    "business_profile.product_description",
    "external_account",
];

const REJECT_REASONS: &[&str] = &["fraud", "terms_of_service", "listed", "other"];

/// The secret the page's forms carry: random at each start (see `App::form_secret`). It used to
/// be derived from the secret key, which for the in-process emulator is a published constant, so
/// any web page could compute it and post to the control API from the developer's browser.
pub fn page_token(app: &SharedApp) -> String {
    app.form_secret.clone()
}

/// `(scheme, host, port)` of an origin or base URL (`http://127.0.0.1:12111/…`); the host is
/// lowercase, without IPv6 brackets; the port is the scheme's default when not written.
fn origin_parts(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (host, after) = inner.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) => p.parse().ok()?,
        None if scheme == "https" => 443,
        None if scheme == "http" => 80,
        None => return None,
    };
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// Whether a request's `Origin` is the emulator's own: its base URL's, or the same port on a
/// loopback name (the page opened as `localhost` rather than `127.0.0.1`).
fn own_origin(app: &SharedApp, origin: &str) -> bool {
    let (Some(own), Some(given)) = (origin_parts(&app.base_url), origin_parts(origin)) else {
        return false;
    };
    if given == own {
        return true;
    }
    let loopback = ["localhost", "127.0.0.1", "::1"];
    given.0 == own.0
        && given.2 == own.2
        && loopback.contains(&given.1.as_str())
        && loopback.contains(&own.1.as_str())
}

/// A state-changing request from another origin's page (a browser names it in `Origin`).
fn cross_origin(app: &SharedApp, headers: &HeaderMap) -> bool {
    match headers.get(header::ORIGIN) {
        None => false,
        Some(origin) => !origin.to_str().is_ok_and(|o| own_origin(app, o)),
    }
}

fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    host.split(':').next().unwrap_or_default()
}

/// A browser on this machine: loopback peer, and a `Host` that names this machine or the emulator
/// (so a web page rebinding its own name to 127.0.0.1 cannot read the page).
fn local_browser(app: &SharedApp, headers: &HeaderMap, peer: Option<SocketAddr>) -> bool {
    if !peer.map(|p| p.ip().is_loopback()).unwrap_or(false) {
        return false;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = host_name(host).to_ascii_lowercase();
    let own = app
        .base_url
        .split("://")
        .nth(1)
        .map(|r| host_name(r.split('/').next().unwrap_or_default()).to_ascii_lowercase())
        .unwrap_or_default();
    ["localhost", "127.0.0.1", "::1"].contains(&name.as_str()) || name == own
}

fn key_ok(app: &SharedApp, headers: &HeaderMap) -> bool {
    presented_key(headers)
        .map(|k| keys_match(&k, &app.config.secret_key))
        .unwrap_or(false)
}

/// A parsed control request.
pub struct ControlReq {
    params: Value,
    /// Posted by the page: answer with a redirect to `back`.
    from_page: bool,
    back: String,
}

async fn parse(app: &SharedApp, req: Request) -> Result<ControlReq, Response> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let (parts, body) = req.into_parts();
    // Refused before the body is read: whatever else it carries, another site's page may not
    // change the emulator (a form posted from there would arrive with the browser's loopback
    // address and Host).
    if parts.method == axum::http::Method::POST && cross_origin(app, &parts.headers) {
        return Err(forbidden(
            "Cross-origin request refused: the control API accepts changes only from the control page itself.",
        ));
    }
    let bytes = to_bytes(body, 1024 * 1024).await.map_err(|_| {
        ApiError::invalid("Request body too large or unreadable", None).into_response()
    })?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::invalid("Request body is not UTF-8", None).into_response())?;
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with("application/json"))
        .unwrap_or(false);
    let mut params = if is_json && !text.trim().is_empty() {
        let v: Value = serde_json::from_str(text).map_err(|e| {
            ApiError::invalid(format!("Invalid JSON body: {e}"), None).into_response()
        })?;
        if !v.is_object() {
            return Err(
                ApiError::invalid("The request body must be a JSON object.", None).into_response(),
            );
        }
        v
    } else {
        crate::form::parse(text).map_err(IntoResponse::into_response)?
    };
    if let Some(q) = parts.uri.query() {
        crate::form::merge(
            &mut params,
            crate::form::parse(q).map_err(IntoResponse::into_response)?,
        );
    }
    let token = params
        .get("_token")
        .and_then(Value::as_str)
        .map(str::to_string);
    if presented_key(&parts.headers).is_some() {
        if !key_ok(app, &parts.headers) {
            return Err(ApiError::unauthorized(
                "The control API of the offline Stripe emulator needs the emulator's secret key (Authorization: Bearer sk_test_…).",
            )
            .into_response());
        }
    } else {
        // No key: only the page's own forms, from a browser on this machine. `keys_match`
        // compares in constant time (`subtle`).
        let page_ok = token
            .as_deref()
            .is_some_and(|t| keys_match(t, &page_token(app)))
            && local_browser(app, &parts.headers, peer);
        if !page_ok {
            return Err(forbidden(
                "Refused: the control page's forms carry its form secret (open /_sandbox/ again), and API calls the emulator's secret key (Authorization: Bearer sk_test_…).",
            ));
        }
    }
    let back = params
        .get("_return")
        .and_then(Value::as_str)
        .filter(|r| r.starts_with("/_sandbox/") && !r.contains("//") && !r.contains('\\'))
        .unwrap_or("/_sandbox/")
        .to_string();
    if let Some(m) = params.as_object_mut() {
        m.remove("_token");
        m.remove("_return");
        if token.is_some() {
            // Empty form inputs mean "not given".
            m.retain(|_, v| v.as_str() != Some(""));
        }
    }
    Ok(ControlReq {
        params,
        from_page: token.is_some(),
        back,
    })
}

fn forbidden(message: &str) -> Response {
    ApiError::new(403, "invalid_request_error", None, message, None).into_response()
}

fn respond(c: &ControlReq, result: ApiResult<(Value, String)>) -> Response {
    if c.from_page {
        let (key, msg) = match result {
            Ok((_, notice)) => ("notice", notice),
            Err(e) => ("error", e.message),
        };
        let q = serde_urlencoded::to_string([(key, msg)]).unwrap_or_default();
        let sep = if c.back.contains('?') { '&' } else { '?' };
        return Redirect::to(&format!("{}{sep}{q}", c.back)).into_response();
    }
    match result {
        Ok((v, _)) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

macro_rules! control_handler {
    ($(#[$doc:meta])* $name:ident, $path:ty, |$s:ident, $p:ident, $arg:ident| $body:block) => {
        $(#[$doc])*
        pub async fn $name(
            State(app): State<SharedApp>,
            Path($arg): Path<$path>,
            req: Request,
        ) -> Response {
            let c = match parse(&app, req).await {
                Ok(c) => c,
                Err(r) => return r,
            };
            let $p = c.params.clone();
            let result = app.write(move |$s| $body).await;
            respond(&c, result)
        }
    };
}

/// Stripe's own actions carry no request.
fn stripe_itself() -> RequestInfo {
    RequestInfo::default()
}

fn field_param(p: &Value, key: &str) -> ApiResult<String> {
    let f = opt_nonempty(p, key, &[])?.ok_or_else(|| ApiError::missing(key))?;
    if f.len() > 100
        || !f
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Err(ApiError::invalid(
            format!(
                "'{f}' is not a requirement name (for example individual.verification.document)."
            ),
            Some(key),
        ));
    }
    Ok(f)
}

fn days_param(p: &Value, key: &str, default: i64) -> ApiResult<i64> {
    let d = opt_int(p, key, &[])?.unwrap_or(default);
    if !(0..=3650).contains(&d) {
        return Err(ApiError::invalid(
            format!("{key} must be between 0 and 3650."),
            Some(key),
        ));
    }
    Ok(d)
}

/// Applies `change` to account `id` and emits what Stripe emits; answers with the v1 account.
fn change_account(
    s: &mut Store,
    id: &str,
    change: impl FnOnce(&mut crate::state::Account, i64) -> ApiResult<()>,
) -> ApiResult<Value> {
    let mut a = s.account(id)?.clone();
    let before = render(s, &a);
    let now = s.now();
    change(&mut a, now)?;
    s.accounts.insert(id.to_string(), a);
    emit_changes(s, id, &before, &stripe_itself());
    let a = s.accounts[id].clone();
    Ok(render(s, &a))
}

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/requirements/add {field, deadline_days=7}`: Stripe asks for a new
    /// piece of information (a new `currently_due` entry with a deadline).
    add_requirement, String, |s, p, id| {
        allow(&p, &["deadline_days", "field"], &[])?;
        let field = field_param(&p, "field")?;
        let days = days_param(&p, "deadline_days", 7)?;
        let v = change_account(s, &id, |a, now| {
            a.collected.remove(&field);
            a.extra_due.insert(field.clone());
            let deadline = now + days * DAY;
            a.current_deadline = Some(a.current_deadline.map_or(deadline, |d| d.min(deadline)));
            Ok(())
        })?;
        Ok((v, format!("{} is now currently due.", label(&field))))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/requirements/escalate`: the deadline passes — what Stripe asked for
    /// moves from `currently_due` to `past_due` and the affected capabilities stop.
    escalate_requirements, String, |s, p, id| {
        allow(&p, &[], &[])?;
        let v = change_account(s, &id, |a, now| {
            if a.extra_due.is_empty() {
                return Err(ApiError::invalid(
                    "Nothing added through the control API is due on this account; add a requirement first.",
                    None,
                ));
            }
            a.escalated = true;
            a.current_deadline = Some(a.current_deadline.map_or(now, |d| d.min(now)));
            Ok(())
        })?;
        Ok((v, "Requirements escalated to past_due.".to_string()))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/requirements/error {requirement, code, reason?}`: verification of
    /// a provided field fails.
    set_verification_error, String, |s, p, id| {
        allow(&p, &["code", "reason", "requirement"], &[])?;
        let field = field_param(&p, "requirement")?;
        let codes: Vec<&str> = ERROR_CODES.iter().map(|(c, _)| *c).collect();
        let code = opt_enum(&p, "code", &[], &codes)?.unwrap_or_else(|| "verification_failed_other".into());
        let reason = opt_nonempty(&p, "reason", &[])?.unwrap_or_else(|| {
            ERROR_CODES.iter().find(|(c, _)| *c == code).map(|(_, r)| r.to_string()).unwrap_or_default()
        });
        let v = change_account(s, &id, |a, _| {
            a.pending_verification.remove(&field);
            a.errors.insert(field.clone(), RequirementError { code: code.clone(), reason });
            Ok(())
        })?;
        Ok((v, format!("Verification of {} failed ({code}).", label(&field))))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/requirements/future {fields[], deadline_days=30}`: upcoming
    /// requirements (`future_requirements`); when the deadline passes they become past due.
    set_future_requirements, String, |s, p, id| {
        allow(&p, &["deadline_days", "field", "fields"], &[])?;
        let mut fields = Vec::new();
        match p.get("fields") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let key = format!("fields[{i}]");
                    fields.push(field_param(&json!({ &key: item }), &key)?);
                }
            }
            Some(Value::String(_)) => fields.push(field_param(&p, "fields")?),
            Some(_) => return Err(ApiError::invalid("fields must be an array", Some("fields"))),
            None => {}
        }
        if p.get("field").is_some() {
            fields.push(field_param(&p, "field")?);
        }
        if fields.is_empty() {
            return Err(ApiError::missing("fields"));
        }
        let days = days_param(&p, "deadline_days", 30)?;
        let v = change_account(s, &id, |a, now| {
            for f in &fields {
                a.collected.remove(f);
                a.future_due.insert(f.clone());
            }
            a.future_deadline = Some(now + days * DAY);
            Ok(())
        })?;
        Ok((v, format!("{} future requirement(s) set.", fields.len())))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/requirements/clear`: drops everything the control API added
    /// (requirements, deadlines, verification errors, future requirements, pending verification).
    clear_requirements, String, |s, p, id| {
        allow(&p, &[], &[])?;
        let v = change_account(s, &id, |a, _| {
            a.extra_due.clear();
            a.escalated = false;
            a.current_deadline = None;
            a.errors.clear();
            a.future_due.clear();
            a.future_deadline = None;
            a.pending_verification.clear();
            a.pending_until = None;
            Ok(())
        })?;
        Ok((v, "Requirements added through the control API cleared.".to_string()))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/capabilities/{capability} {disabled: true|false}`.
    set_capability, (String, String), |s, p, ids| {
        let (id, cap) = ids;
        allow(&p, &["disabled"], &[])?;
        let disabled = opt_bool(&p, "disabled", &[])?.ok_or_else(|| ApiError::missing("disabled"))?;
        let v = change_account(s, &id, |a, _| {
            let c = a
                .capabilities
                .get_mut(&cap)
                .ok_or_else(|| ApiError::no_such("capability", &cap, "capability"))?;
            c.disabled = disabled;
            Ok(())
        })?;
        Ok((v, format!("Capability {cap} {}.", if disabled { "disabled" } else { "enabled" })))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/reject {reason}`: Stripe rejects the account (any account, unlike
    /// the platform's `POST /v1/accounts/{id}/reject`); `reason=none` lifts the rejection.
    reject, String, |s, p, id| {
        allow(&p, &["reason"], &[])?;
        let mut reasons = REJECT_REASONS.to_vec();
        reasons.push("none");
        let reason = opt_enum(&p, "reason", &[], &reasons)?.unwrap_or_else(|| "fraud".into());
        let v = change_account(s, &id, |a, _| {
            a.rejected = if reason == "none" { None } else { Some(reason.clone()) };
            Ok(())
        })?;
        let msg = if reason == "none" { "Rejection lifted.".to_string() } else { format!("Account rejected ({reason}).") };
        Ok((v, msg))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/payments {amount=2000, currency, application_fee_amount, count=1,
    /// payment_method=pm_card_visa|pm_card_createDispute|…, description}`: customers pay the account
    /// (direct charges; funds become available after 2 days).
    create_payments, String, |s, p, id| {
        allow(&p, &["amount", "application_fee_amount", "count", "currency", "description", "payment_method"], &[])?;
        let amount = opt_int(&p, "amount", &[])?.unwrap_or(2000);
        if amount < 50 {
            return Err(ApiError::invalid_code("amount_too_small", "Amount must be at least 50 (minor units).", Some("amount")));
        }
        let fee = opt_int(&p, "application_fee_amount", &[])?;
        if fee.is_some_and(|f| f < 0 || f > amount) {
            return Err(ApiError::invalid("application_fee_amount must be between 0 and the amount.", Some("application_fee_amount")));
        }
        let count = opt_int(&p, "count", &[])?.unwrap_or(1);
        if !(1..=100).contains(&count) {
            return Err(ApiError::invalid("count must be between 1 and 100.", Some("count")));
        }
        let pm = opt_nonempty(&p, "payment_method", &[])?.unwrap_or_else(|| "pm_card_visa".into());
        if !pm.starts_with("pm_") {
            return Err(ApiError::no_such("PaymentMethod", &pm, "payment_method"));
        }
        let description = opt_str(&p, "description", &[])?.filter(|d| !d.is_empty());
        let a = s.account(&id)?.clone();
        let currency = opt_nonempty(&p, "currency", &[])?.map(|c| c.to_lowercase()).unwrap_or(a.default_currency.clone());
        if render(s, &a)["charges_enabled"] != json!(true) {
            return Err(ApiError::invalid_code(
                "account_invalid",
                "This account cannot take payments: charges_enabled is false. Complete its requirements first.",
                None,
            ));
        }
        let req = stripe_itself();
        let mut out = Vec::new();
        for _ in 0..count {
            let r = payments::create_payment(s, &id, amount, &currency, fee, description.as_deref(), &pm, json!({}), &req)?;
            out.push(r.payment_intent);
        }
        let n = out.len();
        Ok((json!({"object": "list", "data": out}), format!("{n} payment(s) of {} {} created.", crate::html_money(amount), currency.to_uppercase())))
    }
);

control_handler!(
    /// `POST /_sandbox/api/accounts/{id}/payouts {amount?, currency?, method=standard|instant}`: an automatic
    /// payout of `amount` (default: the whole available balance).
    create_payout, String, |s, p, id| {
        allow(&p, &["amount", "currency", "method"], &[])?;
        let a = s.account(&id)?.clone();
        let currency = opt_nonempty(&p, "currency", &[])?.map(|c| c.to_lowercase()).unwrap_or(a.default_currency.clone());
        let method = opt_enum(&p, "method", &[], &["instant", "standard"])?.unwrap_or_else(|| "standard".into());
        let amount = match opt_int(&p, "amount", &[])? {
            Some(n) => n,
            None => payments::available(s, Some(&id), &currency),
        };
        let payout = payments::create_payout(s, Some(&id), amount, &currency, true, &method, None, json!({}), &stripe_itself())?;
        let msg = format!("Payout {} of {} {} created.", payout["id"].as_str().unwrap_or_default(), crate::html_money(amount), currency.to_uppercase());
        Ok((payout, msg))
    }
);

/// What moving time changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeEffects {
    pub payouts_settled: usize,
    pub events: usize,
}

/// Whether time-driven work is due: payouts to settle, verifications to finish, future requirements
/// taking effect, or a deadline passed since the last tick.
pub fn time_work_due(s: &Store) -> bool {
    let now = s.now();
    s.last_tick == 0
        || s.objects.values().any(|o| {
            o.kind == "payout"
                && o.value["status"] == json!("pending")
                && o.value["arrival_date"].as_i64().unwrap_or(i64::MAX) <= now
        })
        || s.accounts.values().any(|a| {
            a.pending_until.is_some_and(|t| t <= now)
                || (!a.future_due.is_empty() && a.future_deadline.is_some_and(|t| t <= now))
                || a.current_deadline
                    .is_some_and(|t| t > s.last_tick && t <= now)
        })
        || payments::funds_became_available(s, s.last_tick, now)
}

/// Applies what happened between the last tick and now: verifications finish, future requirements take
/// effect (past due when their deadline passed), payouts arrive, and each account whose view changed
/// gets `account.updated` / `capability.updated` (and v2 thin events).
pub fn apply_time(s: &mut Store, req: &RequestInfo) -> TimeEffects {
    let now = s.now();
    let from = if s.last_tick == 0 {
        now
    } else {
        s.last_tick.min(now)
    };
    let saved = s.clock_offset;
    s.clock_offset -= now - from;
    let befores: Vec<(String, Value)> = s
        .accounts
        .values()
        .map(|a| (a.id.clone(), render(s, a)))
        .collect();
    s.clock_offset = saved;
    for a in s.accounts.values_mut() {
        if a.pending_until.is_some_and(|t| t <= now) {
            a.pending_verification.clear();
            a.pending_until = None;
        }
        if let Some(deadline) = a.future_deadline.filter(|t| *t <= now) {
            if !a.future_due.is_empty() {
                for f in std::mem::take(&mut a.future_due) {
                    if !a.collected.contains_key(&f) {
                        a.extra_due.insert(f);
                    }
                }
                a.current_deadline = Some(a.current_deadline.map_or(deadline, |d| d.min(deadline)));
            }
            a.future_deadline = None;
        }
    }
    let payouts_settled = payments::settle_payouts(s, req);
    let events_before = s.events.len() + s.v2_events.len();
    payments::emit_balance_available(s, from, now, req);
    for (id, before) in befores {
        emit_changes(s, &id, &before, req);
    }
    s.last_tick = now;
    TimeEffects {
        payouts_settled,
        events: s.events.len() + s.v2_events.len() - events_before,
    }
}

/// `POST /_sandbox/api/clock/advance {days, seconds}`: moves the emulated clock forward, then settles
/// payouts, finishes verifications and passes deadlines.
pub async fn advance_clock(State(app): State<SharedApp>, req: Request) -> Response {
    let c = match parse(&app, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = c.params.clone();
    let result = app
        .write(move |s| {
            allow(&p, &["days", "seconds"], &[])?;
            let days = opt_int(&p, "days", &[])?.unwrap_or(0);
            let secs = opt_int(&p, "seconds", &[])?.unwrap_or(0);
            let total = days
                .checked_mul(DAY)
                .and_then(|d| d.checked_add(secs))
                .filter(|t| (1..=3650 * DAY).contains(t))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "Advance the clock by a positive number of days and/or seconds (at most 10 years).",
                        Some("seconds"),
                    )
                })?;
            // Changes due before the jump belong to the old time.
            apply_time(s, &stripe_itself());
            s.clock_offset += total;
            let fx = apply_time(s, &stripe_itself());
            let now = s.now();
            Ok((
                json!({
                    "clock_offset": s.clock_offset,
                    "events_emitted": fx.events,
                    "now": now,
                    "now_rfc3339": clock::rfc3339(now),
                    "payouts_settled": fx.payouts_settled,
                }),
                format!(
                    "Clock advanced by {total} s to {}; {} payout(s) settled, {} event(s) emitted.",
                    clock::rfc3339(now),
                    fx.payouts_settled,
                    fx.events
                ),
            ))
        })
        .await;
    respond(&c, result)
}

fn faults_json(f: &Faults) -> Value {
    json!({
        "error_429_rate": f.error_429_rate,
        "error_500_rate": f.error_500_rate,
        "latency_ms": f.latency_ms,
        "webhook_drop_rate": f.webhook_drop_rate,
        "webhook_duplicate_rate": f.webhook_duplicate_rate,
        "webhook_reorder_rate": f.webhook_reorder_rate,
    })
}

fn rate(p: &Value, key: &str) -> ApiResult<Option<f64>> {
    let v = match p.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => None,
    };
    match v {
        Some(r) if (0.0..=1.0).contains(&r) => Ok(Some(r)),
        _ => Err(ApiError::invalid(
            format!("{key} must be a number between 0 and 1."),
            Some(key),
        )),
    }
}

/// `GET /_sandbox/api/faults`.
pub async fn get_faults(State(app): State<SharedApp>, req: Request) -> Response {
    let c = match parse(&app, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = app.read(|s| s.faults.clone());
    respond(&c, Ok((faults_json(&f), String::new())))
}

/// `POST /_sandbox/api/faults {error_500_rate, error_429_rate, latency_ms, webhook_drop_rate,
/// webhook_duplicate_rate, webhook_reorder_rate}` (rates 0–1; omitted values are kept).
pub async fn set_faults(State(app): State<SharedApp>, req: Request) -> Response {
    let c = match parse(&app, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = c.params.clone();
    let result = app
        .write(move |s| {
            allow(
                &p,
                &[
                    "error_429_rate",
                    "error_500_rate",
                    "latency_ms",
                    "webhook_drop_rate",
                    "webhook_duplicate_rate",
                    "webhook_reorder_rate",
                ],
                &[],
            )?;
            let mut f = s.faults.clone();
            for (key, slot) in [
                ("error_500_rate", &mut f.error_500_rate),
                ("error_429_rate", &mut f.error_429_rate),
                ("webhook_drop_rate", &mut f.webhook_drop_rate),
                ("webhook_duplicate_rate", &mut f.webhook_duplicate_rate),
                ("webhook_reorder_rate", &mut f.webhook_reorder_rate),
            ] {
                if let Some(r) = rate(&p, key)? {
                    *slot = r;
                }
            }
            if f.error_500_rate + f.error_429_rate > 1.0 {
                return Err(ApiError::invalid(
                    "error_500_rate and error_429_rate together must not exceed 1.",
                    Some("error_429_rate"),
                ));
            }
            if let Some(ms) = opt_int(&p, "latency_ms", &[])? {
                if !(0..=60_000).contains(&ms) {
                    return Err(ApiError::invalid(
                        "latency_ms must be between 0 and 60000.",
                        Some("latency_ms"),
                    ));
                }
                f.latency_ms = ms as u64;
            }
            s.faults = f.clone();
            Ok((faults_json(&f), "Faults updated.".to_string()))
        })
        .await;
    respond(&c, result)
}

/// `POST /_sandbox/api/faults/reset`: no injected faults.
pub async fn reset_faults(State(app): State<SharedApp>, req: Request) -> Response {
    let c = match parse(&app, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let result = app
        .write(|s| {
            s.faults = Faults::default();
            Ok((faults_json(&s.faults), "Faults cleared.".to_string()))
        })
        .await;
    respond(&c, result)
}

fn account_summary(s: &Store, a: &crate::state::Account) -> Value {
    let r = render(s, a);
    json!({
        "capabilities": r["capabilities"],
        "charges_enabled": r["charges_enabled"],
        "details_submitted": r["details_submitted"],
        "email": r["email"],
        "future_requirements": r["future_requirements"],
        "id": a.id,
        "oauth_connected": a.oauth_connected,
        "payouts_enabled": r["payouts_enabled"],
        "rejected": a.rejected,
        "requirements": r["requirements"],
        "type": r["type"],
        "v2": a.v2.is_some(),
    })
}

fn deliveries_json(s: &Store) -> Value {
    let pending = s.deliveries.iter().filter(|d| !d.done).count();
    let failed = s
        .deliveries
        .iter()
        .filter(|d| d.done && d.last_status.is_some_and(|c| !(200..300).contains(&c)))
        .count();
    json!({"pending": pending, "finished_with_error": failed})
}

/// `GET /_sandbox/api/state`: the clock, faults, deliveries and every account's status.
pub async fn get_state(State(app): State<SharedApp>, req: Request) -> Response {
    let c = match parse(&app, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let v = app.read(|s| {
        let mut accts: Vec<&crate::state::Account> = s.accounts.values().collect();
        accts.sort_by_key(|a| std::cmp::Reverse(a.seq));
        json!({
            "accounts": accts.into_iter().map(|a| account_summary(s, a)).collect::<Vec<_>>(),
            "clock_offset": s.clock_offset,
            "deliveries": deliveries_json(s),
            "faults": faults_json(&s.faults),
            "now": s.now(),
            "now_rfc3339": clock::rfc3339(s.now()),
        })
    });
    respond(&c, Ok((v, String::new())))
}

// ---- the page ----

fn page_allowed(app: &SharedApp, req: &Request) -> bool {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    key_ok(app, req.headers()) || local_browser(app, req.headers(), peer)
}

fn unauthorized_page() -> Response {
    let mut r = (
        StatusCode::UNAUTHORIZED,
        page(
            "Control page",
            "<h1>Sign in</h1><p>Open this page from the machine the emulator runs on, or sign in with the emulator's secret key as the user name.</p>",
        ),
    )
        .into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"offline Stripe emulator\""),
    );
    r
}

fn flash(query: Option<&str>) -> String {
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let mut out = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "notice" => out.push_str(&format!(
                "<p class=\"notice\" role=\"status\">{}</p>",
                esc(&v)
            )),
            "error" => out.push_str(&format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                esc(&v)
            )),
            _ => {}
        }
    }
    out
}

fn hidden(token: &str, back: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"_token\" value=\"{}\"><input type=\"hidden\" name=\"_return\" value=\"{}\">",
        esc(token),
        esc(back)
    )
}

fn form(action: &str, token: &str, back: &str, inner: &str, button: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}\">{}{inner}<button type=\"submit\">{}</button></form>",
        esc(action),
        hidden(token, back),
        esc(button)
    )
}

fn yes_no(v: &Value) -> &'static str {
    if v == &json!(true) {
        "yes"
    } else {
        "no"
    }
}

fn list_or_none(v: &Value) -> String {
    let items: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .map(|x| format!("<code>{}</code>", esc(x)))
                .collect()
        })
        .unwrap_or_default();
    if items.is_empty() {
        "—".to_string()
    } else {
        items.join(", ")
    }
}

/// `GET /_sandbox/`: clock, faults and the accounts.
pub async fn overview_page(State(app): State<SharedApp>, req: Request) -> Response {
    if !page_allowed(&app, &req) {
        return unauthorized_page();
    }
    let token = page_token(&app);
    let back = "/_sandbox/";
    let mut body = String::from("<h1>Offline Stripe emulator — control</h1>");
    body.push_str(&flash(req.uri().query()));
    app.read(|s| {
        let now = s.now();
        body.push_str(&format!(
            "<h2>Clock</h2><p>Emulated time <strong>{}</strong> (offset {} s from real time).</p>",
            esc(&clock::rfc3339(now)),
            s.clock_offset
        ));
        body.push_str(&form(
            "/_sandbox/api/clock/advance",
            &token,
            back,
            "<label for=\"adv-days\">Days</label><input id=\"adv-days\" name=\"days\" type=\"number\" min=\"0\" value=\"1\">\
<label for=\"adv-secs\">Seconds</label><input id=\"adv-secs\" name=\"seconds\" type=\"number\" min=\"0\" value=\"0\">\
<p class=\"hint\">Settles payouts, finishes pending verifications and passes requirement deadlines.</p>",
            "Advance the clock",
        ));
        let f = &s.faults;
        body.push_str("<h2>Faults</h2>");
        let field = |id: &str, name: &str, l: &str, v: String, step: &str| {
            format!("<label for=\"{id}\">{l}</label><input id=\"{id}\" name=\"{name}\" type=\"number\" min=\"0\" step=\"{step}\" value=\"{}\">", esc(&v))
        };
        let mut inner = String::new();
        inner.push_str(&field("f-500", "error_500_rate", "Share of API requests answered 500 (0–1)", f.error_500_rate.to_string(), "0.01"));
        inner.push_str(&field("f-429", "error_429_rate", "Share of API requests answered 429 (0–1)", f.error_429_rate.to_string(), "0.01"));
        inner.push_str(&field("f-lat", "latency_ms", "Added latency per API request (ms)", f.latency_ms.to_string(), "1"));
        inner.push_str(&field("f-drop", "webhook_drop_rate", "Share of webhook deliveries dropped (0–1)", f.webhook_drop_rate.to_string(), "0.01"));
        inner.push_str(&field("f-dup", "webhook_duplicate_rate", "Share of webhook deliveries sent twice (0–1)", f.webhook_duplicate_rate.to_string(), "0.01"));
        inner.push_str(&field("f-reo", "webhook_reorder_rate", "Share of webhook deliveries delayed so they arrive out of order (0–1)", f.webhook_reorder_rate.to_string(), "0.01"));
        body.push_str(&form("/_sandbox/api/faults", &token, back, &inner, "Save faults"));
        body.push_str(&form("/_sandbox/api/faults/reset", &token, back, "", "Clear all faults"));
        let d = deliveries_json(s);
        body.push_str(&format!(
            "<h2>Webhooks</h2><p>{} endpoint(s), {} event destination(s); {} delivery(ies) pending, {} given up.</p>",
            s.webhook_endpoints.len(),
            s.event_destinations.len(),
            d["pending"],
            d["finished_with_error"]
        ));
        body.push_str("<h2>Accounts</h2>");
        if s.accounts.is_empty() {
            body.push_str("<p>No connected accounts yet.</p>");
        } else {
            body.push_str("<table><thead><tr><th>Account</th><th>Type</th><th>Email</th><th>Charges</th><th>Payouts</th><th>Currently due</th><th>Past due</th></tr></thead><tbody>");
            let mut accts: Vec<&crate::state::Account> = s.accounts.values().collect();
            accts.sort_by_key(|a| std::cmp::Reverse(a.seq));
            for a in accts {
                let r = render(s, a);
                body.push_str(&format!(
                    "<tr><td><a href=\"/_sandbox/accounts/{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(r["type"].as_str().unwrap_or_default()),
                    esc(a.email.as_deref().unwrap_or("")),
                    yes_no(&r["charges_enabled"]),
                    yes_no(&r["payouts_enabled"]),
                    r["requirements"]["currently_due"].as_array().map_or(0, Vec::len),
                    r["requirements"]["past_due"].as_array().map_or(0, Vec::len),
                    id = esc(&a.id),
                ));
            }
            body.push_str("</tbody></table>");
        }
    });
    page("Emulator control", &body).into_response()
}

fn options(items: &[&str], labels: impl Fn(&str) -> String) -> String {
    items
        .iter()
        .map(|i| format!("<option value=\"{}\">{}</option>", esc(i), esc(&labels(i))))
        .collect()
}

/// `GET /_sandbox/accounts/{id}`: one account, with a form for every action.
pub async fn account_page(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if !page_allowed(&app, &req) {
        return unauthorized_page();
    }
    let token = page_token(&app);
    let flash = flash(req.uri().query());
    app.read(|s| {
        let Some(a) = s.accounts.get(&id) else {
            return (StatusCode::NOT_FOUND, page("No such account", "<h1>No such account</h1><p><a href=\"/_sandbox/\">Back to the control page</a></p>")).into_response();
        };
        let back = format!("/_sandbox/accounts/{}", a.id);
        let api = format!("/_sandbox/api/accounts/{}", a.id);
        let r = render(s, a);
        let reqs = &r["requirements"];
        let mut body = format!(
            "<p><a href=\"/_sandbox/\">← Control page</a></p><h1>Account <code>{}</code></h1>{flash}",
            esc(&a.id)
        );
        body.push_str(&format!(
            "<table><tbody><tr><th scope=\"row\">Type</th><td>{}</td></tr><tr><th scope=\"row\">Email</th><td>{}</td></tr>\
<tr><th scope=\"row\">Charges enabled</th><td>{}</td></tr><tr><th scope=\"row\">Payouts enabled</th><td>{}</td></tr>\
<tr><th scope=\"row\">Disabled reason</th><td>{}</td></tr><tr><th scope=\"row\">Currently due</th><td>{}</td></tr>\
<tr><th scope=\"row\">Past due</th><td>{}</td></tr><tr><th scope=\"row\">Eventually due</th><td>{}</td></tr>\
<tr><th scope=\"row\">Pending verification</th><td>{}</td></tr><tr><th scope=\"row\">Deadline</th><td>{}</td></tr>\
<tr><th scope=\"row\">Future requirements</th><td>{}</td></tr></tbody></table>",
            esc(r["type"].as_str().unwrap_or_default()),
            esc(a.email.as_deref().unwrap_or("—")),
            yes_no(&r["charges_enabled"]),
            yes_no(&r["payouts_enabled"]),
            esc(reqs["disabled_reason"].as_str().unwrap_or("—")),
            list_or_none(&reqs["currently_due"]),
            list_or_none(&reqs["past_due"]),
            list_or_none(&reqs["eventually_due"]),
            list_or_none(&reqs["pending_verification"]),
            reqs["current_deadline"].as_i64().map(|d| esc(&clock::rfc3339(d))).unwrap_or_else(|| "—".into()),
            list_or_none(&r["future_requirements"]["currently_due"]),
        ));
        if let Some(errs) = reqs["errors"].as_array().filter(|e| !e.is_empty()) {
            body.push_str("<h2>Verification errors</h2><ul>");
            for e in errs {
                body.push_str(&format!(
                    "<li><code>{}</code>: {} (<code>{}</code>)</li>",
                    esc(e["requirement"].as_str().unwrap_or_default()),
                    esc(e["reason"].as_str().unwrap_or_default()),
                    esc(e["code"].as_str().unwrap_or_default())
                ));
            }
            body.push_str("</ul>");
        }

        body.push_str("<h2>Ask for more information</h2>");
        body.push_str(&form(
            &format!("{api}/requirements/add"),
            &token,
            &back,
            &format!(
                "<label for=\"add-field\">Requirement</label><input id=\"add-field\" name=\"field\" list=\"fields\" value=\"individual.verification.document\" required>\
<datalist id=\"fields\">{}</datalist><label for=\"add-days\">Deadline in days</label><input id=\"add-days\" name=\"deadline_days\" type=\"number\" min=\"0\" value=\"7\">",
                options(SUGGESTED_FIELDS, label)
            ),
            "Add currently due requirement",
        ));
        body.push_str(&form(&format!("{api}/requirements/escalate"), &token, &back, "<p class=\"hint\">Moves what was added above to past_due, as if the deadline passed.</p>", "Escalate to past due"));
        let mut fields: Vec<String> = requirements::needed_fields(a).into_iter().map(|(f, _)| f).collect();
        for f in SUGGESTED_FIELDS {
            if !fields.iter().any(|x| x == f) {
                fields.push(f.to_string());
            }
        }
        let field_refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let codes: Vec<&str> = ERROR_CODES.iter().map(|(c, _)| *c).collect();
        body.push_str(&form(
            &format!("{api}/requirements/error"),
            &token,
            &back,
            &format!(
                "<label for=\"err-field\">Requirement</label><select id=\"err-field\" name=\"requirement\">{}</select>\
<label for=\"err-code\">Error code</label><select id=\"err-code\" name=\"code\">{}</select>",
                options(&field_refs, |f| format!("{} ({f})", label(f))),
                options(&codes, str::to_string)
            ),
            "Fail verification",
        ));
        body.push_str(&form(
            &format!("{api}/requirements/future"),
            &token,
            &back,
            "<label for=\"fut-field\">Future requirement</label><input id=\"fut-field\" name=\"field\" list=\"fields\" value=\"individual.verification.additional_document\" required>\
<label for=\"fut-days\">Takes effect in days</label><input id=\"fut-days\" name=\"deadline_days\" type=\"number\" min=\"0\" value=\"30\">",
            "Set future requirement",
        ));
        body.push_str(&form(&format!("{api}/requirements/clear"), &token, &back, "", "Clear what the control page added"));

        body.push_str("<h2>Capabilities</h2>");
        if a.capabilities.is_empty() {
            body.push_str("<p>No capabilities requested.</p>");
        } else {
            body.push_str("<table><thead><tr><th>Capability</th><th>Status</th><th>Action</th></tr></thead><tbody>");
            for (name, cap) in &a.capabilities {
                let (value, button) = if cap.disabled { ("false", "Enable") } else { ("true", "Disable") };
                body.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    esc(name),
                    esc(r["capabilities"][name].as_str().unwrap_or_default()),
                    form(
                        &format!("{api}/capabilities/{name}"),
                        &token,
                        &back,
                        &format!("<input type=\"hidden\" name=\"disabled\" value=\"{value}\">"),
                        button
                    )
                ));
            }
            body.push_str("</tbody></table>");
        }

        body.push_str("<h2>Reject</h2>");
        let mut reasons = REJECT_REASONS.to_vec();
        reasons.push("none");
        body.push_str(&form(
            &format!("{api}/reject"),
            &token,
            &back,
            &format!("<label for=\"rej\">Reason</label><select id=\"rej\" name=\"reason\">{}</select>", options(&reasons, |r| if r == "none" { "none (lift the rejection)".into() } else { r.to_string() })),
            "Apply",
        ));

        let bal = payments::balance(s, Some(&a.id));
        body.push_str("<h2>Money</h2><table><tbody>");
        for (kind, list) in [("Available", &bal["available"]), ("Pending", &bal["pending"])] {
            for b in list.as_array().into_iter().flatten() {
                body.push_str(&format!(
                    "<tr><th scope=\"row\">{kind}</th><td>{} {}</td></tr>",
                    esc(&crate::html_money(b["amount"].as_i64().unwrap_or(0))),
                    esc(&b["currency"].as_str().unwrap_or("").to_uppercase())
                ));
            }
        }
        body.push_str("</tbody></table>");
        body.push_str(&form(
            &format!("{api}/payments"),
            &token,
            &back,
            &format!(
                "<label for=\"pay-amount\">Amount (minor units)</label><input id=\"pay-amount\" name=\"amount\" type=\"number\" min=\"50\" value=\"2000\">\
<label for=\"pay-fee\">Application fee (minor units)</label><input id=\"pay-fee\" name=\"application_fee_amount\" type=\"number\" min=\"0\" value=\"200\">\
<label for=\"pay-count\">How many</label><input id=\"pay-count\" name=\"count\" type=\"number\" min=\"1\" max=\"100\" value=\"1\">\
<label for=\"pay-pm\">Payment method</label><select id=\"pay-pm\" name=\"payment_method\">{}</select>\
<p class=\"hint\">Funds become available after 2 days: advance the clock to pay them out.</p>",
                options(&["pm_card_visa", "pm_card_mastercard", "pm_card_amex", "pm_card_createDispute"], |p| if p == "pm_card_createDispute" { "pm_card_createDispute (disputed)".into() } else { p.to_string() })
            ),
            "Create payments",
        ));
        body.push_str(&form(
            &format!("{api}/payouts"),
            &token,
            &back,
            "<label for=\"po-amount\">Amount (minor units, empty: the whole available balance)</label><input id=\"po-amount\" name=\"amount\" type=\"number\" min=\"1\">",
            "Pay out",
        ));
        page(&format!("Account {}", a.id), &body).into_response()
    })
}

/// The control page and API routes.
pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/_sandbox", get(overview_page))
        .route("/_sandbox/", get(overview_page))
        .route("/_sandbox/accounts/{account}", get(account_page))
        .route("/_sandbox/api/state", get(get_state))
        .route("/_sandbox/api/faults", get(get_faults).post(set_faults))
        .route("/_sandbox/api/faults/reset", post(reset_faults))
        .route("/_sandbox/api/clock/advance", post(advance_clock))
        .route(
            "/_sandbox/api/accounts/{account}/requirements/add",
            post(add_requirement),
        )
        .route(
            "/_sandbox/api/accounts/{account}/requirements/escalate",
            post(escalate_requirements),
        )
        .route(
            "/_sandbox/api/accounts/{account}/requirements/error",
            post(set_verification_error),
        )
        .route(
            "/_sandbox/api/accounts/{account}/requirements/future",
            post(set_future_requirements),
        )
        .route(
            "/_sandbox/api/accounts/{account}/requirements/clear",
            post(clear_requirements),
        )
        .route(
            "/_sandbox/api/accounts/{account}/capabilities/{capability}",
            post(set_capability),
        )
        .route("/_sandbox/api/accounts/{account}/reject", post(reject))
        .route(
            "/_sandbox/api/accounts/{account}/payments",
            post(create_payments),
        )
        .route(
            "/_sandbox/api/accounts/{account}/payouts",
            post(create_payout),
        )
}
