//! The emulator's state: every object it holds, id generation, the clock, events, and atomic persistence.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::Notify;

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::SandboxConfig;

pub const API_VERSION: &str = "2026-09-30.endive";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Controller {
    pub fees_payer: String,
    pub losses_payments: String,
    pub requirement_collection: String,
    pub dashboard: String,
    /// `application` when created with controller properties or by the platform, `account` otherwise.
    pub kind: String,
}

impl Controller {
    pub fn to_json(&self) -> Value {
        json!({
            "fees": {"payer": self.fees_payer},
            "is_controller": self.kind == "application",
            "losses": {"payments": self.losses_payments},
            "requirement_collection": self.requirement_collection,
            "stripe_dashboard": {"type": self.dashboard},
            "type": self.kind,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Capability {
    pub requested: bool,
    pub requested_at: Option<i64>,
    /// Disabled through the control API (Stripe disabling it on its own).
    pub disabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RequirementError {
    pub code: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct V2Info {
    pub applied_configurations: Vec<String>,
    pub display_name: Option<String>,
    pub contact_email: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub configuration: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub seq: u64,
    pub created: i64,
    pub country: String,
    pub default_currency: String,
    pub email: Option<String>,
    pub business_type: Option<String>,
    pub account_type: String,
    pub controller: Controller,
    pub business_profile: Value,
    pub metadata: BTreeMap<String, String>,
    pub settings: Value,
    pub tos_acceptance: Value,
    pub capabilities: BTreeMap<String, Capability>,
    pub external_accounts: Vec<Value>,
    /// Requirement name → value provided (through the API, hosted onboarding or the control API).
    pub collected: BTreeMap<String, String>,
    /// Requirement name → verification error.
    pub errors: BTreeMap<String, RequirementError>,
    /// Requirements added through the control API (Stripe asking for more).
    pub extra_due: BTreeSet<String>,
    /// Requirements escalated to past_due through the control API.
    pub escalated: bool,
    pub current_deadline: Option<i64>,
    pub pending_verification: BTreeSet<String>,
    /// When Stripe finishes verifying what is in `pending_verification` (cleared by the clock).
    #[serde(default)]
    pub pending_until: Option<i64>,
    pub future_due: BTreeSet<String>,
    pub future_deadline: Option<i64>,
    pub rejected: Option<String>,
    pub details_submitted: bool,
    pub v2: Option<V2Info>,
    /// Connected to the platform through OAuth (and not deauthorized).
    pub oauth_connected: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountLink {
    pub token: String,
    pub account: String,
    pub kind: String,
    pub refresh_url: String,
    pub return_url: String,
    pub fields: String,
    pub future_requirements: String,
    pub created: i64,
    pub expires_at: i64,
    pub visited: bool,
    /// Token of the form rendered on the first visit; the form may be submitted once.
    pub form_token: Option<String>,
    pub completed: bool,
    pub v2: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginLink {
    pub token: String,
    pub account: String,
    pub created: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountSession {
    pub client_secret: String,
    pub account: String,
    pub components: Value,
    pub created: i64,
    pub expires_at: i64,
    /// The Connect.js stand-in exchanged this secret for a component session.
    pub claimed: bool,
}

/// A stored Stripe object of one of the payment-side types (charge, payment_intent, refund, dispute,
/// application_fee, balance_transaction, payout), scoped to the account it lives on (`None`: the platform).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Obj {
    pub id: String,
    pub kind: String,
    pub account: Option<String>,
    pub seq: u64,
    pub value: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub id: String,
    pub seq: u64,
    pub url: String,
    pub secret: String,
    pub connect: bool,
    pub enabled_events: Vec<String>,
    pub description: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub created: i64,
    pub api_version: Option<String>,
    pub status: String,
}

impl WebhookEndpoint {
    pub fn to_json(&self, with_secret: bool) -> Value {
        let mut v = json!({
            "api_version": self.api_version,
            "application": if self.connect { Some("ca_offlineEmulatorPlatform") } else { None },
            "created": self.created,
            "description": self.description,
            "enabled_events": self.enabled_events,
            "id": self.id,
            "livemode": false,
            "metadata": self.metadata,
            "object": "webhook_endpoint",
            "status": self.status,
            "url": self.url,
        });
        if with_secret {
            v["secret"] = json!(self.secret);
        }
        v
    }

    pub fn wants(&self, event_type: &str) -> bool {
        self.status == "enabled"
            && self
                .enabled_events
                .iter()
                .any(|e| e == "*" || e == event_type)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventDestination {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub description: String,
    pub url: String,
    pub secret: String,
    pub enabled_events: Vec<String>,
    pub events_from: Vec<String>,
    pub created: i64,
    pub updated: i64,
    pub metadata: BTreeMap<String, String>,
    pub status: String,
}

impl EventDestination {
    pub fn to_json(&self, with_secret: bool) -> Value {
        let mut endpoint = json!({"url": self.url});
        if with_secret {
            endpoint["signing_secret"] = json!(self.secret);
        }
        json!({
            "created": clock::rfc3339(self.created),
            "description": self.description,
            "enabled_events": self.enabled_events,
            "event_payload": "thin",
            "events_from": self.events_from,
            "id": self.id,
            "livemode": false,
            "metadata": self.metadata,
            "name": self.name,
            "object": "v2.core.event_destination",
            "status": self.status,
            "type": "webhook_endpoint",
            "updated": clock::rfc3339(self.updated),
            "webhook_endpoint": endpoint,
        })
    }

    pub fn wants(&self, event_type: &str, account: Option<&str>) -> bool {
        let from_ok = match account {
            Some(_) => self.events_from.iter().any(|f| f == "@accounts"),
            None => self.events_from.is_empty() || self.events_from.iter().any(|f| f == "@self"),
        };
        self.status == "enabled"
            && from_ok
            && self
                .enabled_events
                .iter()
                .any(|e| e == "*" || e == event_type)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventRec {
    pub id: String,
    pub seq: u64,
    pub account: Option<String>,
    pub value: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum DeliveryTarget {
    Endpoint(String),
    Destination(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub id: u64,
    pub event_id: String,
    pub v2: bool,
    pub target: DeliveryTarget,
    pub attempts: u32,
    pub next_attempt_ms: i64,
    pub done: bool,
    pub last_status: Option<u16>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
    pub created: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OAuthCode {
    pub code: String,
    pub account: String,
    pub scope: String,
    pub used: bool,
    pub created: i64,
    pub suggested_capabilities: Vec<String>,
    /// `rt_…` issued with the access token of this code (the same across rolled access tokens).
    #[serde(default)]
    pub refresh_token: String,
    /// Revoked: the code was reused, the access token rolled, or the account deauthorized.
    #[serde(default)]
    pub revoked: bool,
    /// The client (`ca_…`) the code was issued to.
    #[serde(default)]
    pub client_id: String,
}

/// Fault injection, driven through the control API.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Faults {
    /// Share (0–1) of API requests answered with a 500.
    pub error_500_rate: f64,
    /// Share (0–1) of API requests answered with a 429.
    pub error_429_rate: f64,
    /// Added latency per API request, in milliseconds.
    pub latency_ms: u64,
    /// Share of webhook deliveries silently dropped.
    pub webhook_drop_rate: f64,
    /// Share of webhook deliveries sent twice.
    pub webhook_duplicate_rate: f64,
    /// Share of webhook deliveries held back by a random delay (so they arrive out of order).
    pub webhook_reorder_rate: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct State {
    pub seed: u64,
    pub counter: u64,
    pub seq: u64,
    pub clock_offset: i64,
    pub accounts: BTreeMap<String, Account>,
    pub account_links: BTreeMap<String, AccountLink>,
    pub login_links: BTreeMap<String, LoginLink>,
    pub account_sessions: BTreeMap<String, AccountSession>,
    pub objects: BTreeMap<String, Obj>,
    pub events: Vec<EventRec>,
    pub v2_events: Vec<EventRec>,
    pub webhook_endpoints: Vec<WebhookEndpoint>,
    pub event_destinations: Vec<EventDestination>,
    pub deliveries: Vec<Delivery>,
    pub delivery_counter: u64,
    pub idempotency: BTreeMap<String, IdempotencyRecord>,
    pub oauth_codes: BTreeMap<String, OAuthCode>,
    pub faults: Faults,
    /// The (emulated) time up to which time-driven changes (deadlines, verification, payouts) were applied.
    #[serde(default)]
    pub last_tick: i64,
    /// Seconds identity documents and ID numbers stay in `pending_verification` (from the configuration).
    #[serde(skip)]
    pub verification_secs: i64,
}

/// What the current request is: used to fill `event.request`.
#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    pub id: Option<String>,
    pub idempotency_key: Option<String>,
}

impl State {
    pub fn now(&self) -> i64 {
        clock::real_now() + self.clock_offset
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A new Stripe-looking id: `prefix_XXXX…`.
    pub fn new_id(&mut self, prefix: &str) -> String {
        format!("{prefix}_{}", self.token(ids::length_for(prefix)))
    }

    pub fn token(&mut self, len: usize) -> String {
        self.counter += 1;
        ids::token(self.seed, self.counter, len)
    }

    pub fn account(&self, id: &str) -> ApiResult<&Account> {
        self.accounts
            .get(id)
            .ok_or_else(|| ApiError::no_such("account", id, "account"))
    }

    pub fn account_mut(&mut self, id: &str) -> ApiResult<&mut Account> {
        self.accounts
            .get_mut(id)
            .ok_or_else(|| ApiError::no_such("account", id, "account"))
    }

    pub fn insert_obj(&mut self, kind: &str, account: Option<&str>, value: Value) {
        let id = value["id"].as_str().unwrap_or_default().to_string();
        let seq = self.next_seq();
        self.objects.insert(
            id.clone(),
            Obj {
                id,
                kind: kind.to_string(),
                account: account.map(str::to_string),
                seq,
                value,
            },
        );
    }

    pub fn obj(&self, kind: &str, id: &str, account: Option<&str>) -> ApiResult<&Obj> {
        self.objects
            .get(id)
            .filter(|o| o.kind == kind && o.account.as_deref() == account)
            .ok_or_else(|| ApiError::no_such(kind, id, "id"))
    }

    pub fn objs(&self, kind: &str, account: Option<&str>) -> Vec<&Obj> {
        let mut v: Vec<&Obj> = self
            .objects
            .values()
            .filter(|o| o.kind == kind && o.account.as_deref() == account)
            .collect();
        v.sort_by_key(|o| std::cmp::Reverse(o.seq));
        v
    }

    /// Creates a v1 event, stores it and queues its deliveries.
    pub fn emit(
        &mut self,
        event_type: &str,
        account: Option<&str>,
        object: Value,
        previous: Option<Value>,
        req: &RequestInfo,
    ) -> String {
        let id = self.new_id("evt");
        let created = self.now();
        let mut data = json!({ "object": object });
        if let Some(prev) = previous {
            data["previous_attributes"] = prev;
        }
        let mut value = json!({
            "api_version": API_VERSION,
            "created": created,
            "data": data,
            "id": id,
            "livemode": false,
            "object": "event",
            "pending_webhooks": 0,
            "request": {"id": req.id, "idempotency_key": req.idempotency_key},
            "type": event_type,
        });
        if let Some(acct) = account {
            value["account"] = json!(acct);
        }
        let seq = self.next_seq();
        self.events.push(EventRec {
            id: id.clone(),
            seq,
            account: account.map(str::to_string),
            value,
        });
        let targets: Vec<String> = self
            .webhook_endpoints
            .iter()
            .filter(|e| e.connect == account.is_some() && e.wants(event_type))
            .map(|e| e.id.clone())
            .collect();
        for t in targets {
            self.queue_delivery(&id, false, DeliveryTarget::Endpoint(t));
        }
        id
    }

    /// Creates a v2 thin event (`related_object` only) and queues its deliveries to event destinations.
    pub fn emit_thin(
        &mut self,
        event_type: &str,
        account: Option<&str>,
        related: Option<(&str, &str, &str)>,
        data: Option<Value>,
        req: &RequestInfo,
    ) -> String {
        let id = self.new_id("evt");
        let created = self.now();
        let mut value = json!({
            "created": clock::rfc3339(created),
            "id": id,
            "livemode": false,
            "object": "v2.core.event",
            "reason": {"type": "request", "request": {"id": req.id.clone().unwrap_or_default(), "idempotency_key": req.idempotency_key.clone().unwrap_or_default()}},
            "type": event_type,
        });
        if req.id.is_none() {
            value.as_object_mut().expect("object").remove("reason");
        }
        if let Some((kind, rid, url)) = related {
            value["related_object"] = json!({"id": rid, "type": kind, "url": url});
        }
        if let Some(d) = data {
            value["data"] = d;
        }
        if let Some(acct) = account {
            value["context"] = json!(acct);
        }
        let seq = self.next_seq();
        self.v2_events.push(EventRec {
            id: id.clone(),
            seq,
            account: account.map(str::to_string),
            value,
        });
        let targets: Vec<String> = self
            .event_destinations
            .iter()
            .filter(|d| d.wants(event_type, account))
            .map(|d| d.id.clone())
            .collect();
        for t in targets {
            self.queue_delivery(&id, true, DeliveryTarget::Destination(t));
        }
        id
    }

    fn queue_delivery(&mut self, event_id: &str, v2: bool, target: DeliveryTarget) {
        self.delivery_counter += 1;
        let now_ms = clock::real_now() * 1000;
        self.deliveries.push(Delivery {
            id: self.delivery_counter,
            event_id: event_id.to_string(),
            v2,
            target,
            attempts: 0,
            next_attempt_ms: now_ms,
            done: false,
            last_status: None,
        });
    }

    /// The event as the API shows it, with `pending_webhooks` counted from undelivered deliveries.
    pub fn event_json(&self, rec: &EventRec) -> Value {
        let pending = self
            .deliveries
            .iter()
            .filter(|d| !d.v2 && !d.done && d.event_id == rec.id)
            .count();
        let mut v = rec.value.clone();
        v["pending_webhooks"] = json!(pending);
        v
    }

    /// Keeps state bounded: finished deliveries and old idempotency keys are pruned.
    pub fn prune(&mut self) {
        if self.deliveries.len() > 2000 {
            self.deliveries.retain(|d| !d.done);
        }
        if self.idempotency.len() > 5000 {
            let cutoff = self.now() - 24 * 3600;
            self.idempotency.retain(|_, r| r.created >= cutoff);
        }
    }
}

/// Everything a request handler needs.
pub struct App {
    pub config: SandboxConfig,
    pub base_url: String,
    pub state: Mutex<State>,
    pub generation: Mutex<u64>,
    /// The generation on disk. Held (owned) by the blocking write itself, so a request whose
    /// future is dropped mid-write (a client that went away) cannot let a second write start on
    /// the same temporary file.
    pub persist_lock: Arc<tokio::sync::Mutex<u64>>,
    pub wake: Notify,
    pub http: reqwest::Client,
    pub in_flight_keys: Mutex<BTreeSet<String>>,
    /// The control page's form secret: random at each start and never derived from the (often
    /// published) secret key, so no other page can forge the forms.
    pub form_secret: String,
}

pub type SharedApp = Arc<App>;

pub fn state_file(dir: &std::path::Path) -> PathBuf {
    dir.join("sandbox-state.json")
}

impl App {
    /// Reads the state under the lock.
    pub fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        let guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    /// Runs a mutation; on success persists the new state (atomically) and wakes the delivery worker.
    /// On error the state is left exactly as it was.
    pub async fn write<T>(&self, f: impl FnOnce(&mut State) -> ApiResult<T>) -> ApiResult<T> {
        let (out, snapshot) = {
            let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let mut draft = guard.clone();
            let out = f(&mut draft)?;
            draft.prune();
            *guard = draft;
            let mut gen = self.generation.lock().unwrap_or_else(|p| p.into_inner());
            *gen += 1;
            let snapshot = match &self.config.data_dir {
                Some(_) => Some((
                    *gen,
                    serde_json::to_vec(&*guard).map_err(|e| ApiError::api_error(e.to_string()))?,
                )),
                None => None,
            };
            (out, snapshot)
        };
        if let Some((gen, bytes)) = snapshot {
            self.persist(gen, bytes).await?;
        }
        self.wake.notify_one();
        Ok(out)
    }

    async fn persist(&self, gen: u64, bytes: Vec<u8>) -> ApiResult<()> {
        let Some(dir) = self.config.data_dir.clone() else {
            return Ok(());
        };
        let mut written = self.persist_lock.clone().lock_owned().await;
        if gen <= *written {
            // A newer snapshot is already on disk.
            return Ok(());
        }
        let result = tokio::task::spawn_blocking(move || {
            let result = write_atomically(&dir, &bytes);
            if result.is_ok() {
                *written = gen;
            }
            result
        })
        .await
        .map_err(|e| ApiError::api_error(e.to_string()))?;
        result.map_err(|e| {
            tracing::error!(error = %e, "could not persist emulator state");
            ApiError::api_error("The emulator could not save its state.")
        })?;
        Ok(())
    }
}

/// Writes `<dir>/sandbox-state.json` through a temporary file and a rename, so readers never see a
/// half-written file.
pub fn write_atomically(dir: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join("sandbox-state.json.tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, state_file(dir))
}

/// Recursive difference: for each key whose value changed, the old value (objects compared key by key).
pub fn previous_attributes(old: &Value, new: &Value) -> Option<Value> {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let mut out = serde_json::Map::new();
            for (k, ov) in o {
                match n.get(k) {
                    Some(nv) if nv == ov => {}
                    Some(nv) if ov.is_object() && nv.is_object() => {
                        if let Some(d) = previous_attributes(ov, nv) {
                            out.insert(k.clone(), d);
                        }
                    }
                    _ => {
                        out.insert(k.clone(), ov.clone());
                    }
                }
            }
            for k in n.keys() {
                if !o.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            if out.is_empty() {
                None
            } else {
                Some(Value::Object(out))
            }
        }
        (o, n) if o == n => None,
        (o, _) => Some(o.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_attributes_keeps_only_changed_old_values() {
        let old = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]});
        let new = json!({"a": 1, "b": {"c": 5, "d": 3}, "e": [1, 2]});
        assert_eq!(
            previous_attributes(&old, &new),
            Some(json!({"b": {"c": 2}, "e": [1]}))
        );
        assert_eq!(previous_attributes(&old, &old), None);
    }

    #[test]
    fn atomic_write_replaces_file() {
        let dir = std::env::temp_dir().join(format!("sandbox-aw-{}", std::process::id()));
        write_atomically(&dir, b"{\"a\":1}").unwrap();
        write_atomically(&dir, b"{\"a\":2}").unwrap();
        assert_eq!(std::fs::read(state_file(&dir)).unwrap(), b"{\"a\":2}");
        assert!(!dir.join("sandbox-state.json.tmp").exists());
        std::fs::remove_dir_all(dir).ok();
    }
}
