//! The API layer shared by every `/v1` and `/v2` route: authentication, `Request-Id`, `Stripe-Version`,
//! `Stripe-Account` / `Stripe-Context`, idempotency, fault injection, request parsing, pagination, expansion.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tracing::Instrument;

use crate::error::{ApiError, ApiResult, RenderedError};
use crate::form;
use crate::params::{expand_list, opt_int, opt_nonempty};
use crate::state::{IdempotencyRecord, RequestInfo, SharedApp, State as Store, API_VERSION};

/// What the API layer learned about the request, handed to handlers.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub params: Value,
    /// The connected account named by `Stripe-Account` / `Stripe-Context` (or an OAuth access token).
    pub account: Option<String>,
    pub req: RequestInfo,
    pub version: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| ApiError::api_error("request context missing"))
    }
}

static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(0);

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn decode_base64(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in input.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        } as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The key presented with Bearer or basic auth.
pub fn presented_key(headers: &HeaderMap) -> Option<String> {
    let auth = header(headers, "authorization")?;
    if let Some(rest) = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("bearer "))
    {
        return Some(rest.trim().to_string());
    }
    if let Some(rest) = auth
        .strip_prefix("Basic ")
        .or_else(|| auth.strip_prefix("basic "))
    {
        let decoded = String::from_utf8(decode_base64(rest.trim())?).ok()?;
        return Some(decoded.split(':').next().unwrap_or_default().to_string());
    }
    None
}

pub fn keys_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn redact(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let head: String = key.chars().take(8).collect();
    format!("{head}*********{tail}")
}

fn finish(
    mut resp: Response,
    request_id: &str,
    version: &str,
    v2: bool,
    idem_key: Option<&str>,
) -> Response {
    if v2 {
        if let Some(RenderedError(err)) = resp.extensions().get::<RenderedError>().cloned() {
            let status = resp.status();
            let extra = resp.headers().get("Stripe-Should-Retry").cloned();
            resp = (status, axum::Json(err.v2_body())).into_response();
            if let Some(h) = extra {
                resp.headers_mut().insert("Stripe-Should-Retry", h);
            }
        }
    }
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("Request-Id", v);
    }
    if let Ok(v) = HeaderValue::from_str(version) {
        h.insert("Stripe-Version", v);
    }
    if let Some(k) = idem_key.and_then(|k| HeaderValue::from_str(k).ok()) {
        h.insert("Idempotency-Key", k);
    }
    h.insert(
        "Cache-Control",
        HeaderValue::from_static("no-cache, no-store"),
    );
    resp
}

/// Middleware for every API route.
pub async fn layer(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let n = REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed);
    let request_id = format!(
        "req_{}",
        crate::ids::token(app.read(|s| s.seed) ^ 0x5eed, n, 14)
    );
    let path = req.uri().path().to_string();
    let v2 = path.starts_with("/v2/");
    let version = header(req.headers(), "stripe-version")
        .map(str::to_string)
        .unwrap_or_else(|| API_VERSION.to_string());
    let idem_key = header(req.headers(), "idempotency-key").map(str::to_string);
    let span =
        tracing::info_span!("api", method = %req.method(), path = %path, request_id = %request_id);
    // Instrumented, never entered: a span entered across an `.await` is left "current" on the
    // worker thread for whatever task runs next there (tracing-subscriber then panics).
    let out = handle(&app, req, next, &request_id, &version, v2, idem_key.clone())
        .instrument(span.clone())
        .await;
    let resp = match out {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    span.in_scope(|| tracing::info!(status = resp.status().as_u16(), "answered"));
    finish(resp, &request_id, &version, v2, idem_key.as_deref())
}

/// Stripe answers with an HTTP `Date` (RFC 9110 §6.6.1) from Stripe's clock, which callers may
/// order their reads against events by: here the emulated clock (moved by
/// `/_sandbox/api/clock/advance`), on every answer (API, OAuth, pages); hyper does not replace
/// the header once it is set.
pub async fn stripe_date(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let now = app.read(|s| s.now()).max(0) as u64;
    let date = httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(now));
    if let Ok(v) = HeaderValue::from_str(&date) {
        resp.headers_mut().insert(axum::http::header::DATE, v);
    }
    resp
}

async fn handle(
    app: &SharedApp,
    req: Request,
    next: Next,
    request_id: &str,
    version: &str,
    v2: bool,
    idem_key: Option<String>,
) -> Result<Response, ApiError> {
    // Fault injection first: a flaky network does not care who you are.
    let faults = app.read(|s| s.faults.clone());
    if faults.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(faults.latency_ms)).await;
    }
    let roll: f64 = rand::random();
    if roll < faults.error_500_rate {
        return Err(ApiError::api_error(
            "An unknown error occurred (injected by the offline Stripe emulator).",
        ));
    }
    if roll < faults.error_500_rate + faults.error_429_rate {
        return Err(ApiError::rate_limited());
    }

    let (mut parts, body) = req.into_parts();
    let key = presented_key(&parts.headers).ok_or_else(|| {
        ApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        )
    })?;
    let mut account = header(&parts.headers, "stripe-account")
        .or_else(|| header(&parts.headers, "stripe-context"))
        .map(|s| s.split('/').next().unwrap_or(s).to_string());
    if !keys_match(&key, &app.config.secret_key) {
        let oauth_account = app.read(|s| {
            s.oauth_codes
                .values()
                .find(|c| {
                    c.used && !c.revoked && keys_match(&format!("sk_test_oauth_{}", c.code), &key)
                })
                .map(|c| c.account.clone())
        });
        match oauth_account {
            Some(a)
                if app.read(|s| {
                    s.accounts
                        .get(&a)
                        .map(|x| x.oauth_connected)
                        .unwrap_or(false)
                }) =>
            {
                account = Some(a)
            }
            _ => {
                return Err(ApiError::unauthorized(format!(
                    "Invalid API Key provided: {}",
                    redact(&key)
                )));
            }
        }
    }
    if let Some(acct) = &account {
        if !app.read(|s| s.accounts.contains_key(acct)) {
            return Err(ApiError::permission(format!(
                "The provided key '{}' does not have access to account '{acct}' (or that account does not exist). Application access may have been revoked.",
                redact(&key)
            )));
        }
    }

    let bytes = to_bytes(body, 4 * 1024 * 1024)
        .await
        .map_err(|_| ApiError::invalid("Request body too large or unreadable", None))?;
    let body_text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::invalid("Request body is not UTF-8", None))?;
    let query = parts.uri.query().unwrap_or("").to_string();
    let mut params = if v2 && parts.method == Method::POST {
        if body_text.trim().is_empty() {
            json!({})
        } else {
            let v: Value = serde_json::from_str(body_text)
                .map_err(|e| ApiError::invalid(format!("Invalid JSON body: {e}"), None))?;
            if !v.is_object() {
                return Err(ApiError::invalid(
                    "The request body must be a JSON object.",
                    None,
                ));
            }
            v
        }
    } else {
        form::parse(body_text)?
    };
    if !query.is_empty() {
        form::merge(&mut params, form::parse(&query)?);
    }

    // Idempotent requests (Stripe API reference, "Idempotent requests",
    // https://docs.stripe.com/api/idempotent_requests): a POST's `Idempotency-Key` is kept (per
    // API key and account) with the first result, and a request with the same key gets that
    // result back; "The idempotency layer compares incoming parameters to those of the original
    // request and errors if they're not the same to prevent accidental misuse" — an
    // `idempotency_error` (the `type` enum of the OpenAPI `error` schema in
    // ../shared/stripe-openapi/stripe-connect-subset.json; 400, code `idempotency_key_in_use`).
    // Parameters, not bytes, are compared: the same fields sent in another order (a form or a
    // JSON object) are the same request.
    let is_post = parts.method == Method::POST;
    let scope_key = idem_key
        .as_ref()
        .filter(|_| is_post)
        .map(|k| format!("{}|{}|{}", key, account.clone().unwrap_or_default(), k));
    let fingerprint = {
        let mut h = Sha256::new();
        h.update(parts.method.as_str());
        h.update(b"|");
        h.update(parts.uri.path());
        h.update(b"|");
        // `Value`'s objects are ordered maps: equal parameters serialise alike.
        h.update(params.to_string().as_bytes());
        hex::encode(h.finalize())
    };
    if let Some(scope) = &scope_key {
        let existing = app.read(|s| s.idempotency.get(scope).cloned());
        if let Some(rec) = existing {
            if rec.fingerprint != fingerprint {
                return Err(ApiError::idempotency(
                    idem_key.as_deref().unwrap_or_default(),
                ));
            }
            let mut resp = Response::new(Body::from(rec.body));
            *resp.status_mut() = StatusCode::from_u16(rec.status).unwrap_or(StatusCode::OK);
            resp.headers_mut()
                .insert("Content-Type", HeaderValue::from_static("application/json"));
            resp.headers_mut()
                .insert("Idempotent-Replayed", HeaderValue::from_static("true"));
            return Ok(resp);
        }
        let mut in_flight = app.in_flight_keys.lock().unwrap_or_else(|p| p.into_inner());
        if !in_flight.insert(scope.clone()) {
            return Err(ApiError::new(
                409,
                "idempotency_error",
                Some("idempotency_key_in_use"),
                "There is currently another in-progress request using this Idempotency-Key. Please try again later.",
                None,
            ));
        }
    }

    parts.extensions.insert(Ctx {
        params,
        account,
        req: RequestInfo {
            id: Some(request_id.to_string()),
            idempotency_key: idem_key.clone(),
        },
        version: version.to_string(),
    });
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;

    let Some(scope) = scope_key else {
        return Ok(resp);
    };
    let result = store_idempotent(app, &scope, &fingerprint, resp).await;
    app.in_flight_keys
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&scope);
    result
}

async fn store_idempotent(
    app: &SharedApp,
    scope: &str,
    fingerprint: &str,
    resp: Response,
) -> Result<Response, ApiError> {
    let status = resp.status().as_u16();
    let err_code = resp
        .extensions()
        .get::<RenderedError>()
        .and_then(|e| e.0.code.clone());
    let validation_failure = err_code
        .as_deref()
        .map(|c| c.starts_with("parameter_"))
        .unwrap_or(false);
    if status == 401 || status == 409 || status == 429 || status >= 500 || validation_failure {
        return Ok(resp);
    }
    let (parts, body) = resp.into_parts();
    let bytes = to_bytes(body, 16 * 1024 * 1024)
        .await
        .map_err(|e| ApiError::api_error(e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes).to_string();
    let (scope, fingerprint, stored) = (scope.to_string(), fingerprint.to_string(), text.clone());
    app.write(move |s| {
        let created = s.now();
        s.idempotency.insert(
            scope,
            IdempotencyRecord {
                fingerprint,
                status,
                body: stored,
                created,
            },
        );
        Ok(())
    })
    .await?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// Fallback for unknown API paths.
pub async fn unknown_route(req: Request) -> Response {
    ApiError::not_found_path(req.method().as_str(), req.uri().path()).into_response()
}

/// Stripe list pagination: newest first, `limit` (1–100, default 10), `starting_after`, `ending_before`,
/// `created` filters, and `expand[]=data.…`.
pub fn paginate(s: &Store, items: Vec<Value>, p: &Value, url: &str) -> ApiResult<Value> {
    let limit = opt_int(p, "limit", &[])?.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid(
            format!("Invalid limit: must be between 1 and 100 (got {limit})"),
            Some("limit"),
        ));
    }
    let limit = limit as usize;
    let mut items = items;
    if let Some(created) = p.get("created") {
        let cmp = |v: &Value, op: &str, bound: i64| {
            let c = v["created"].as_i64().unwrap_or(0);
            match op {
                "gt" => c > bound,
                "gte" => c >= bound,
                "lt" => c < bound,
                "lte" => c <= bound,
                _ => c == bound,
            }
        };
        let filters: Vec<(String, i64)> = match created {
            Value::String(s) => vec![(
                "eq".into(),
                s.parse()
                    .map_err(|_| ApiError::invalid_integer("created", s))?,
            )],
            Value::Object(m) => m
                .iter()
                .map(|(op, v)| {
                    let raw = v.as_str().unwrap_or_default();
                    if !["gt", "gte", "lt", "lte"].contains(&op.as_str()) {
                        return Err(ApiError::unknown(&format!("created[{op}]")));
                    }
                    raw.parse::<i64>()
                        .map(|n| (op.clone(), n))
                        .map_err(|_| ApiError::invalid_integer(&format!("created[{op}]"), raw))
                })
                .collect::<ApiResult<_>>()?,
            _ => Vec::new(),
        };
        items.retain(|v| filters.iter().all(|(op, b)| cmp(v, op, *b)));
    }
    let find = |id: &str, param: &str| -> ApiResult<usize> {
        items
            .iter()
            .position(|v| v["id"].as_str() == Some(id))
            .ok_or_else(|| ApiError::no_such("object", id, param))
    };
    let starting_after = opt_nonempty(p, "starting_after", &[])?;
    let ending_before = opt_nonempty(p, "ending_before", &[])?;
    let (page, has_more) = match (starting_after, ending_before) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_code(
                "parameters_exclusive",
                "You may only specify one of these parameters: ending_before, starting_after.",
                Some("ending_before"),
            ))
        }
        (Some(after), None) => {
            let i = find(&after, "starting_after")?;
            let rest: Vec<Value> = items[i + 1..].to_vec();
            let more = rest.len() > limit;
            (rest.into_iter().take(limit).collect::<Vec<_>>(), more)
        }
        (None, Some(before)) => {
            let i = find(&before, "ending_before")?;
            let start = i.saturating_sub(limit);
            (items[start..i].to_vec(), start > 0)
        }
        (None, None) => {
            let more = items.len() > limit;
            (items.into_iter().take(limit).collect(), more)
        }
    };
    let list = json!({"object": "list", "data": page, "has_more": has_more, "url": url});
    Ok(expand(s, list, &expand_list(p)?, None))
}

fn lookup(s: &Store, id: &str) -> Option<Value> {
    if id.starts_with("acct_") {
        return s.accounts.get(id).map(|a| crate::accounts::render(s, a));
    }
    if id.starts_with("evt_") {
        return s
            .events
            .iter()
            .find(|e| e.id == id)
            .map(|e| s.event_json(e));
    }
    if id.starts_with("ba_") || id.starts_with("card_") {
        return s
            .accounts
            .values()
            .flat_map(|a| a.external_accounts.iter())
            .find(|e| e["id"] == json!(id))
            .cloned();
    }
    s.objects.get(id).map(|o| o.value.clone())
}

fn expand_at(s: &Store, v: &mut Value, parts: &[&str]) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    if *first == "data" && v["object"] == json!("list") {
        if let Some(items) = v["data"].as_array_mut() {
            for item in items {
                expand_at(s, item, rest);
            }
        }
        return;
    }
    let Some(child) = v.get_mut(*first) else {
        return;
    };
    if let Some(id) = child.as_str() {
        if let Some(obj) = lookup(s, id) {
            *child = obj;
        }
    }
    if !rest.is_empty() {
        expand_at(s, child, rest);
    }
}

/// Replaces ids at the given dotted paths with the objects they name.
pub fn expand(s: &Store, mut v: Value, paths: &[String], _scope: Option<&str>) -> Value {
    for p in paths {
        let parts: Vec<&str> = p.split('.').collect();
        expand_at(s, &mut v, &parts);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bearer_and_basic_keys() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Bearer sk_test_x".parse().unwrap());
        assert_eq!(presented_key(&h).as_deref(), Some("sk_test_x"));
        // base64("sk_test_x:")
        h.insert("authorization", "Basic c2tfdGVzdF94Og==".parse().unwrap());
        assert_eq!(presented_key(&h).as_deref(), Some("sk_test_x"));
        assert!(keys_match("abc", "abc") && !keys_match("abc", "abd") && !keys_match("abc", "ab"));
    }

    #[test]
    fn paginates_forwards_and_backwards() {
        let s = Store::default();
        let items: Vec<Value> = (0..5)
            .rev()
            .map(|i| json!({"id": format!("x_{i}"), "created": i}))
            .collect();
        let page = paginate(&s, items.clone(), &json!({"limit": "2"}), "/v1/x").unwrap();
        assert_eq!(page["data"][0]["id"], "x_4");
        assert_eq!(page["has_more"], true);
        let page = paginate(
            &s,
            items.clone(),
            &json!({"limit": "2", "starting_after": "x_2"}),
            "/v1/x",
        )
        .unwrap();
        assert_eq!(page["data"].as_array().unwrap().len(), 2);
        assert_eq!(page["data"][1]["id"], "x_0");
        assert_eq!(page["has_more"], false);
        let page = paginate(
            &s,
            items.clone(),
            &json!({"limit": "1", "ending_before": "x_2"}),
            "/v1/x",
        )
        .unwrap();
        assert_eq!(page["data"][0]["id"], "x_3");
        assert_eq!(page["has_more"], true);
        assert!(paginate(&s, items.clone(), &json!({"limit": "0"}), "/v1/x").is_err());
        let page = paginate(&s, items, &json!({"created": {"gte": "3"}}), "/v1/x").unwrap();
        assert_eq!(page["data"].as_array().unwrap().len(), 2);
    }
}
