//! Events (`/v1/events`), webhook endpoints (`/v1/webhook_endpoints`), Stripe's signature scheme and the
//! background delivery worker (retries with exponential backoff, injected drops/duplicates/reordering).

use std::time::Duration;

use axum::extract::{Path, State};
use axum::Json;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tracing::Instrument;

use crate::api::{paginate, Ctx};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::params::{self, opt_bool, opt_nonempty, opt_str};
use crate::spec;
use crate::state::{DeliveryTarget, RequestInfo, SharedApp, WebhookEndpoint};

/// `Stripe-Signature` header value: `t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>`.
pub fn signature_header(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

// ---- events ----

pub async fn list_events(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_EVENTS)?;
    let ty = opt_str(&ctx.params, "type", &[])?;
    let types: Vec<String> = match ctx.params.get("types") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        None => Vec::new(),
        Some(_) => return Err(ApiError::invalid("Invalid array", Some("types"))),
    };
    if ty.is_some() && !types.is_empty() {
        return Err(ApiError::invalid_code(
            "parameters_exclusive",
            "You may only specify one of these parameters: type, types.",
            Some("types"),
        ));
    }
    let matches = |t: &str| -> bool {
        let one = |pat: &str| match pat.strip_suffix('*') {
            Some(prefix) => t.starts_with(prefix),
            None => t == pat,
        };
        ty.as_deref().map(one).unwrap_or(true) && (types.is_empty() || types.iter().any(|p| one(p)))
    };
    let mut p = ctx.params.clone();
    if let Some(m) = p.as_object_mut() {
        m.remove("type");
        m.remove("types");
        m.remove("delivery_success");
    }
    app.read(|s| {
        let items: Vec<Value> = s
            .events
            .iter()
            .rev()
            .filter(|e| ctx.account.is_none() || e.account == ctx.account)
            .filter(|e| matches(e.value["type"].as_str().unwrap_or_default()))
            .map(|e| s.event_json(e))
            .collect();
        Ok(Json(paginate(s, items, &p, "/v1/events")?))
    })
}

pub async fn retrieve_event(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_EVENT)?;
    app.read(|s| {
        s.events
            .iter()
            .find(|e| e.id == id && (ctx.account.is_none() || e.account == ctx.account))
            .map(|e| Json(s.event_json(e)))
            .ok_or_else(|| ApiError::no_such("event", &id, "id"))
    })
}

// ---- webhook endpoints ----

fn enabled_events(p: &Value) -> ApiResult<Option<Vec<String>>> {
    match p.get("enabled_events") {
        None => Ok(None),
        Some(Value::Array(items)) if !items.is_empty() => Ok(Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        )),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(vec![s.clone()])),
        Some(_) => Err(ApiError::empty("enabled_events")),
    }
}

fn check_url(url: &str) -> ApiResult<()> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(ApiError::invalid_code(
            "url_invalid",
            "Invalid URL: URL must be publicly accessible over http or https.",
            Some("url"),
        ))
    }
}

pub async fn create_endpoint(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_WEBHOOK_ENDPOINTS)?;
    let url = opt_nonempty(&p, "url", &[])?.ok_or_else(|| ApiError::missing("url"))?;
    check_url(&url)?;
    let events = enabled_events(&p)?.ok_or_else(|| ApiError::missing("enabled_events"))?;
    let connect = opt_bool(&p, "connect", &[])?.unwrap_or(false);
    let description = opt_str(&p, "description", &[])?.filter(|s| !s.is_empty());
    let api_version = opt_nonempty(&p, "api_version", &[])?;
    let mut metadata = Default::default();
    params::apply_metadata(&mut metadata, &p)?;
    app.write(move |s| {
        let id = s.new_id("we");
        let secret = format!("whsec_{}", s.token(32));
        let seq = s.next_seq();
        let ep = WebhookEndpoint {
            id,
            seq,
            url,
            secret,
            connect,
            enabled_events: events,
            description,
            metadata,
            created: s.now(),
            api_version,
            status: "enabled".into(),
        };
        let out = ep.to_json(true);
        s.webhook_endpoints.push(ep);
        Ok(Json(out))
    })
    .await
}

pub async fn list_endpoints(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_WEBHOOK_ENDPOINTS)?;
    app.read(|s| {
        let items: Vec<Value> = s
            .webhook_endpoints
            .iter()
            .rev()
            .map(|e| e.to_json(false))
            .collect();
        Ok(Json(paginate(
            s,
            items,
            &ctx.params,
            "/v1/webhook_endpoints",
        )?))
    })
}

pub async fn retrieve_endpoint(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_WEBHOOK_ENDPOINT)?;
    app.read(|s| {
        s.webhook_endpoints
            .iter()
            .find(|e| e.id == id)
            .map(|e| Json(e.to_json(false)))
            .ok_or_else(|| ApiError::no_such("webhook_endpoint", &id, "id"))
    })
}

pub async fn update_endpoint(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_WEBHOOK_ENDPOINT)?;
    let url = opt_nonempty(&p, "url", &[])?;
    if let Some(u) = &url {
        check_url(u)?;
    }
    let events = enabled_events(&p)?;
    let disabled = opt_bool(&p, "disabled", &[])?;
    let description = opt_str(&p, "description", &[])?;
    app.write(move |s| {
        let ep = s
            .webhook_endpoints
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| ApiError::no_such("webhook_endpoint", &id, "id"))?;
        if let Some(u) = url {
            ep.url = u;
        }
        if let Some(e) = events {
            ep.enabled_events = e;
        }
        if let Some(d) = disabled {
            ep.status = if d {
                "disabled".into()
            } else {
                "enabled".into()
            };
        }
        if let Some(d) = description {
            ep.description = if d.is_empty() { None } else { Some(d) };
        }
        params::apply_metadata(&mut ep.metadata, &p)?;
        Ok(Json(ep.to_json(false)))
    })
    .await
}

pub async fn delete_endpoint(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::DELETE_WEBHOOK_ENDPOINT)?;
    app.write(move |s| {
        let before = s.webhook_endpoints.len();
        s.webhook_endpoints.retain(|e| e.id != id);
        if s.webhook_endpoints.len() == before {
            return Err(ApiError::no_such("webhook_endpoint", &id, "id"));
        }
        s.deliveries
            .retain(|d| d.target != DeliveryTarget::Endpoint(id.clone()));
        Ok(Json(
            json!({"deleted": true, "id": id, "object": "webhook_endpoint"}),
        ))
    })
    .await
}

// ---- delivery worker ----

struct Attempt {
    delivery_id: u64,
    url: String,
    secret: String,
    body: String,
    attempts: u32,
}

/// Runs forever: delivers due webhook deliveries and applies what the passing of time changes (payouts
/// arrive, verifications finish, deadlines pass).
pub async fn run_worker(app: SharedApp) {
    loop {
        if app.read(crate::control::time_work_due) {
            let _ = app
                .write(|s| {
                    crate::control::apply_time(s, &RequestInfo::default());
                    Ok(())
                })
                .await;
        }
        let now_ms = clock::real_now() * 1000
            + (std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_millis() as i64)
                .unwrap_or(0));
        let attempts: Vec<Attempt> = app.read(|s| {
            s.deliveries
                .iter()
                .filter(|d| !d.done && d.next_attempt_ms <= now_ms)
                .take(32)
                .filter_map(|d| {
                    let (url, secret) = match &d.target {
                        DeliveryTarget::Endpoint(id) => s
                            .webhook_endpoints
                            .iter()
                            .find(|e| &e.id == id)
                            .map(|e| (e.url.clone(), e.secret.clone()))?,
                        DeliveryTarget::Destination(id) => s
                            .event_destinations
                            .iter()
                            .find(|e| &e.id == id)
                            .map(|e| (e.url.clone(), e.secret.clone()))?,
                    };
                    let body = if d.v2 {
                        let e = s.v2_events.iter().find(|e| e.id == d.event_id)?;
                        let mut thin = json!({
                            "id": e.value["id"], "object": "v2.core.event", "type": e.value["type"],
                            "created": e.value["created"], "livemode": false,
                        });
                        for k in ["related_object", "context", "reason"] {
                            if let Some(v) = e.value.get(k) {
                                thin[k] = v.clone();
                            }
                        }
                        thin.to_string()
                    } else {
                        let e = s.events.iter().find(|e| e.id == d.event_id)?;
                        serde_json::to_string_pretty(&s.event_json(e)).ok()?
                    };
                    Some(Attempt {
                        delivery_id: d.id,
                        url,
                        secret,
                        body,
                        attempts: d.attempts,
                    })
                })
                .collect()
        });
        let faults = app.read(|s| s.faults.clone());
        for a in attempts {
            let roll: f64 = rand::random();
            if a.attempts == 0 && roll < faults.webhook_reorder_rate {
                let delay = 500 + (rand::random::<u64>() % 2500) as i64;
                let _ = app
                    .write(move |s| {
                        if let Some(d) = s.deliveries.iter_mut().find(|d| d.id == a.delivery_id) {
                            d.attempts = 1;
                            d.next_attempt_ms = now_ms + delay;
                        }
                        Ok(())
                    })
                    .await;
                continue;
            }
            let roll: f64 = rand::random();
            let (status, ok) = if roll < faults.webhook_drop_rate {
                tracing::info!(
                    delivery = a.delivery_id,
                    "webhook delivery dropped (fault injection)"
                );
                (None, true)
            } else {
                let copies = if rand::random::<f64>() < faults.webhook_duplicate_rate {
                    2
                } else {
                    1
                };
                let mut last = (None, false);
                for _ in 0..copies {
                    last = send(&app, &a).await;
                }
                last
            };
            let base = app.config.webhook_retry_base_ms as i64;
            let max = app.config.webhook_max_attempts;
            let _ = app
                .write(move |s| {
                    if let Some(d) = s.deliveries.iter_mut().find(|d| d.id == a.delivery_id) {
                        d.attempts += 1;
                        d.last_status = status;
                        if ok || d.attempts >= max {
                            d.done = true;
                        } else {
                            d.next_attempt_ms = now_ms + base * (1i64 << d.attempts.min(16));
                        }
                    }
                    Ok(())
                })
                .await;
        }
        let next_due = app.read(|s| {
            s.deliveries
                .iter()
                .filter(|d| !d.done)
                .map(|d| d.next_attempt_ms)
                .min()
        });
        let wait = match next_due {
            Some(t) => Duration::from_millis((t - now_ms).clamp(10, 1000) as u64),
            None => Duration::from_millis(1000),
        };
        tokio::select! {
            _ = app.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn send(app: &SharedApp, a: &Attempt) -> (Option<u16>, bool) {
    let span = tracing::info_span!("webhook", delivery = a.delivery_id, url = %a.url);
    // Instrumented, not entered: an entered span must not live across an `.await`.
    send_in_span(app, a).instrument(span).await
}

async fn send_in_span(app: &SharedApp, a: &Attempt) -> (Option<u16>, bool) {
    let ts = clock::real_now();
    let result = app
        .http
        .post(&a.url)
        .header("Content-Type", "application/json; charset=utf-8")
        .header(
            "User-Agent",
            "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        )
        .header("Stripe-Signature", signature_header(&a.secret, ts, &a.body))
        .body(a.body.clone())
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    match result {
        Ok(resp) => {
            let code = resp.status().as_u16();
            tracing::info!(status = code, "webhook delivered");
            (Some(code), resp.status().is_success())
        }
        Err(e) => {
            tracing::warn!(error = %e, "webhook delivery failed");
            (None, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_stripe_scheme() {
        // Stripe's own documented computation: HMAC-SHA256 over "<t>.<payload>" keyed by the endpoint secret.
        let header = signature_header("whsec_test", 1_700_000_000, "{\"id\":\"evt_1\"}");
        assert!(header.starts_with("t=1700000000,v1="));
        let hex_part = header.split("v1=").nth(1).unwrap();
        assert_eq!(hex_part.len(), 64);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"whsec_test").unwrap();
        mac.update(b"1700000000.{\"id\":\"evt_1\"}");
        assert_eq!(hex_part, hex::encode(mac.finalize().into_bytes()));
    }
}
