//! The v2 API (public preview; JSON bodies; `Stripe-Context`): `/v2/core/accounts` (create, retrieve
//! with `include`, update, list), `/v2/core/account_links`, `/v2/core/events/{id}` and
//! `/v2/core/event_destinations`.
//!
//! A v2 account is the same account the v1 API sees: configurations map to v1 capabilities
//! (`configuration.merchant.capabilities.card_payments` is `card_payments`,
//! `configuration.recipient.capabilities.stripe_balance.stripe_transfers` is `transfers`), identity to
//! the v1 person/company fields, `defaults.responsibilities` to the v1 controller, and v1 requirements
//! become `requirements.entries[]`.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::account_links::{check_url, create_link, link_url};
use crate::accounts::{
    account_type_for, default_currency, emit_changes, new_account, render, set_requested,
};
use crate::api::Ctx;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::params::{hash, opt_bool, opt_enum, opt_int, opt_nonempty, opt_str};
use crate::requirements::{self, v1_capability, v2_capability, V2_MERCHANT_CAPABILITIES};
use crate::spec::{self, Operation};
use crate::state::{Account, Controller, EventDestination, SharedApp, State as Store, V2Info};

const CONFIGURATIONS: &[&str] = &["customer", "merchant", "recipient"];
fn is_rfc3339_like(s: &str) -> bool {
    s.len() >= 20 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T'
}

/// Unix seconds of an RFC 3339 UTC timestamp (`2024-05-01T12:00:00.000Z`).
fn parse_rfc3339(s: &str) -> Option<i64> {
    if !is_rfc3339_like(s) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = if y2 >= 0 { y2 } else { y2 - 399 } / 400;
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// `include` values from a JSON body (`["requirements"]`) or a query string (`include=a&include=b`,
/// `include[]=a`, `include[0]=a`).
fn includes(body: &Value, query: Option<&str>) -> ApiResult<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    match body.get("include") {
        Some(Value::Array(items)) => {
            for i in items {
                out.insert(i.as_str().unwrap_or_default().to_string());
            }
        }
        Some(Value::String(s)) => {
            out.insert(s.clone());
        }
        _ => {}
    }
    if let Some(q) = query {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q)
            .map_err(|_| ApiError::invalid("Invalid query string", None))?;
        for (k, v) in pairs {
            if k == "include" || k.starts_with("include[") {
                out.insert(v);
            }
        }
    }
    for i in &out {
        // The values of `include` (OpenAPI `GetV2CoreAccountsId`, the same for create and update).
        let values = spec::GET_V2_ACCOUNT.one_of(&["include"]);
        if !values.contains(&i.as_str()) {
            return Err(ApiError::invalid(
                format!(
                    "Invalid include value '{i}': must be one of {}.",
                    values.join(", ")
                ),
                Some("include"),
            ));
        }
    }
    Ok(out)
}

// ---- rendering ----

fn applied_configurations(a: &Account) -> Vec<String> {
    if let Some(v2) = &a.v2 {
        return v2.applied_configurations.clone();
    }
    let mut out = Vec::new();
    if a.capabilities
        .iter()
        .any(|(k, c)| c.requested && k.ends_with("_payments"))
    {
        out.push("merchant".to_string());
    }
    if a.capabilities.get("transfers").is_some_and(|c| c.requested) {
        out.push("recipient".to_string());
    }
    out
}

fn raw_config(a: &Account, config: &str) -> Value {
    a.v2.as_ref()
        .map(|v| v.configuration[config].clone())
        .filter(|v| v.is_object())
        .unwrap_or_else(|| json!({}))
}

fn requested_flag(raw: &Value, path: &[&str]) -> bool {
    let mut v = &raw["capabilities"];
    for p in path {
        v = &v[*p];
    }
    v["requested"] == json!(true)
}

/// A v2 capability status `{status, status_details}` from the v1 view.
fn v2_status(
    a: &Account,
    v1_status: &str,
    v1_name: &str,
    reqs: &requirements::Requirements,
) -> Value {
    let detail = |code: &str, resolution: &str| json!([{"code": code, "resolution": resolution}]);
    match v1_status {
        "active" => json!({"status": "active", "status_details": []}),
        "pending" => {
            json!({"status": "pending", "status_details": detail("requirements_pending_verification", "no_resolution")})
        }
        _ => {
            if let Some(r) = &a.rejected {
                let code = match r.as_str() {
                    "fraud" => "rejected_fraud",
                    "terms_of_service" => "rejected_terms_of_service",
                    "listed" => "rejected_listed",
                    _ => "rejected_other",
                };
                json!({"status": "rejected", "status_details": detail(code, "contact_stripe")})
            } else if a.capabilities.get(v1_name).is_some_and(|c| c.disabled) {
                json!({"status": "restricted", "status_details": detail("restricted_other", "contact_stripe")})
            } else if !reqs.past_due.is_empty() {
                json!({"status": "restricted", "status_details": detail("requirements_past_due", "provide_info")})
            } else {
                json!({"status": "restricted", "status_details": detail("restricted_other", "provide_info")})
            }
        }
    }
}

fn payouts_status(v1: &Value) -> Value {
    if v1["payouts_enabled"] == json!(true) {
        json!({"status": "active", "status_details": []})
    } else {
        json!({"status": "restricted", "status_details": [{"code": "requirements_past_due", "resolution": "provide_info"}]})
    }
}

fn configuration_json(
    s: &Store,
    a: &Account,
    include: &BTreeSet<String>,
    v1: &Value,
) -> Option<Value> {
    let reqs = requirements::compute(a, s.now());
    let applied = applied_configurations(a);
    let mut out = Map::new();
    for config in CONFIGURATIONS {
        if !include.contains(&format!("configuration.{config}"))
            || !applied.iter().any(|c| c == config)
        {
            continue;
        }
        let raw = raw_config(a, config);
        let mut section: Map<String, Value> = raw
            .as_object()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != "capabilities" && k != "applied")
            .collect();
        section.insert("applied".into(), json!(true));
        let mut caps = Map::new();
        for (name, cap) in &a.capabilities {
            if !cap.requested {
                continue;
            }
            if let Some((c, v2_name)) = v2_capability(name) {
                if c == *config {
                    let st = v2_status(
                        a,
                        requirements::capability_status(a, name, &reqs),
                        name,
                        &reqs,
                    );
                    if let Some((outer, inner)) = v2_name.split_once('.') {
                        let e = caps.entry(outer.to_string()).or_insert_with(|| json!({}));
                        e[inner] = st;
                    } else {
                        caps.insert(v2_name.to_string(), st);
                    }
                }
            }
        }
        match *config {
            "merchant" | "recipient" if requested_flag(&raw, &["stripe_balance", "payouts"]) => {
                let e = caps
                    .entry("stripe_balance".to_string())
                    .or_insert_with(|| json!({}));
                e["payouts"] = payouts_status(v1);
            }
            "customer" if requested_flag(&raw, &["automatic_indirect_tax"]) => {
                caps.insert(
                    "automatic_indirect_tax".into(),
                    json!({"status": "active", "status_details": []}),
                );
            }
            _ => {}
        }
        if *config != "customer" || !caps.is_empty() {
            section.insert("capabilities".into(), Value::Object(caps));
        }
        if *config == "merchant" {
            if let Some(mcc) = a.business_profile["mcc"].as_str() {
                section.insert("mcc".into(), json!(mcc));
            }
            if let Some(d) = a.settings["payments"]["statement_descriptor"].as_str() {
                let mut sd = section
                    .get("statement_descriptor")
                    .cloned()
                    .unwrap_or(json!({}));
                sd["descriptor"] = json!(d);
                section.insert("statement_descriptor".into(), sd);
            }
        }
        out.insert(config.to_string(), Value::Object(section));
    }
    if out.is_empty() && !include.iter().any(|i| i.starts_with("configuration.")) {
        return None;
    }
    Some(Value::Object(out))
}

fn fees_collector(c: &Controller) -> &str {
    match c.fees_payer.as_str() {
        "account" => "stripe",
        other => other,
    }
}

fn defaults_json(a: &Account) -> Value {
    let mut profile = Map::new();
    for (k, v1) in [
        ("business_url", "url"),
        ("doing_business_as", "name"),
        ("product_description", "product_description"),
    ] {
        if let Some(v) = a.business_profile[v1].as_str() {
            profile.insert(k.into(), json!(v));
        }
    }
    json!({
        "currency": a.default_currency,
        "locales": ["en-US"],
        "profile": profile,
        "responsibilities": {
            "fees_collector": fees_collector(&a.controller),
            "losses_collector": a.controller.losses_payments,
            "requirements_collector": a.controller.requirement_collection,
        },
    })
}

fn address_json(a: &Account, prefix: &str) -> Option<Value> {
    let mut m = Map::new();
    for k in ["city", "country", "line1", "line2", "postal_code", "state"] {
        if let Some(v) = a.collected.get(&format!("{prefix}.address.{k}")) {
            m.insert(k.into(), json!(v));
        }
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

fn identity_json(a: &Account) -> Value {
    let mut id = Map::new();
    id.insert("country".into(), json!(a.country));
    if let Some(bt) = &a.business_type {
        id.insert("entity_type".into(), json!(bt));
    }
    let mut ind = Map::new();
    for (k, v1) in [
        ("given_name", "first_name"),
        ("surname", "last_name"),
        ("email", "email"),
        ("phone", "phone"),
    ] {
        if let Some(v) = a.collected.get(&format!("individual.{v1}")) {
            ind.insert(k.into(), json!(v));
        }
    }
    if let Some(addr) = address_json(a, "individual") {
        ind.insert("address".into(), addr);
    }
    let dob: Vec<Option<i64>> = ["day", "month", "year"]
        .iter()
        .map(|p| {
            a.collected
                .get(&format!("individual.dob.{p}"))
                .and_then(|v| v.parse().ok())
        })
        .collect();
    if let [Some(d), Some(m), Some(y)] = dob[..] {
        ind.insert(
            "date_of_birth".into(),
            json!({"day": d, "month": m, "year": y}),
        );
    }
    let mut ids = Vec::new();
    if a.collected.contains_key("individual.id_number") {
        ids.push(json!({"type": if a.country == "US" { "us_ssn" } else { "ae_eid" }}));
    }
    if a.collected.contains_key("individual.ssn_last_4") {
        ids.push(json!({"type": "us_ssn_last_4"}));
    }
    if !ids.is_empty() && a.country == "US" {
        ind.insert("id_numbers".into(), json!(ids));
    }
    if !ind.is_empty() {
        let created = rfc3339(a.created);
        ind.insert("account".into(), json!(a.id));
        ind.insert("created".into(), json!(created));
        ind.insert(
            "id".into(),
            json!(format!("person_{}", a.id.trim_start_matches("acct_"))),
        );
        ind.insert("object".into(), json!("v2.core.account_person"));
        ind.insert("updated".into(), json!(created));
        id.insert("individual".into(), Value::Object(ind));
    }
    let mut biz = Map::new();
    if let Some(v) = a.collected.get("company.name") {
        biz.insert("registered_name".into(), json!(v));
    }
    if let Some(v) = a.collected.get("company.phone") {
        biz.insert("phone".into(), json!(v));
    }
    if let Some(addr) = address_json(a, "company") {
        biz.insert("address".into(), addr);
    }
    if a.collected.contains_key("company.tax_id") && a.country == "US" {
        biz.insert("id_numbers".into(), json!([{"type": "us_ein"}]));
    }
    if !biz.is_empty() {
        id.insert("business_details".into(), Value::Object(biz));
    }
    if let (Some(date), Some(ip)) = (
        a.tos_acceptance["date"].as_i64(),
        a.tos_acceptance["ip"].as_str(),
    ) {
        let mut acc = json!({"date": rfc3339(date), "ip": ip});
        if let Some(ua) = a.tos_acceptance["user_agent"].as_str() {
            acc["user_agent"] = json!(ua);
        }
        id.insert(
            "attestations".into(),
            json!({"terms_of_service": {"account": acc}}),
        );
    }
    Value::Object(id)
}

/// The v2 name of a v1 requirement (what `requirements.entries[].description` carries).
pub fn v2_requirement(field: &str) -> String {
    let person = |prefix: &str, rest: &str| -> String {
        let mapped = match rest {
            "first_name" => "given_name".to_string(),
            "last_name" => "surname".to_string(),
            "id_number" | "ssn_last_4" => "id_numbers".to_string(),
            "verification.document" => "documents.primary_verification".to_string(),
            "verification.additional_document" => "documents.secondary_verification".to_string(),
            r if r.starts_with("dob.") => "date_of_birth".to_string(),
            r => r.to_string(),
        };
        format!("{prefix}.{mapped}")
    };
    match field {
        "business_profile.mcc" => "configuration.merchant.mcc".into(),
        "business_profile.url" => "defaults.profile.business_url".into(),
        "business_profile.product_description" => "defaults.profile.product_description".into(),
        "business_type" => "identity.entity_type".into(),
        "external_account" => "configuration.recipient.default_outbound_destination".into(),
        "tos_acceptance.date" | "tos_acceptance.ip" => {
            "identity.attestations.terms_of_service.account".into()
        }
        "company.name" => "identity.business_details.registered_name".into(),
        "company.tax_id" => "identity.business_details.id_numbers".into(),
        "company.owners_provided" => "identity.attestations.persons_provided.owners".into(),
        f => {
            if let Some(rest) = f.strip_prefix("individual.") {
                person("identity.individual", rest)
            } else if let Some(rest) = f.strip_prefix("representative.") {
                person("identity.persons.representative", rest)
            } else if let Some(rest) = f.strip_prefix("company.") {
                format!("identity.business_details.{rest}")
            } else {
                f.to_string()
            }
        }
    }
}

fn severity(status: &str) -> u8 {
    match status {
        "past_due" => 3,
        "currently_due" => 2,
        _ => 1,
    }
}

struct Entry {
    status: &'static str,
    awaiting: &'static str,
    errors: Vec<Value>,
}

fn restricts(a: &Account, status: &str) -> Vec<Value> {
    a.capabilities
        .iter()
        .filter(|(_, c)| c.requested)
        .filter_map(|(n, _)| v2_capability(n))
        .map(|(config, cap)| json!({"capability": cap, "configuration": config, "deadline": {"status": status}}))
        .collect()
}

fn entries_json(
    a: &Account,
    entries: BTreeMap<String, Entry>,
    reason: &str,
) -> (Vec<Value>, Option<&'static str>) {
    let mut worst: Option<&'static str> = None;
    let out = entries
        .into_iter()
        .map(|(desc, e)| {
            if worst
                .map(|w| severity(e.status) > severity(w))
                .unwrap_or(true)
            {
                worst = Some(e.status);
            }
            json!({
                "awaiting_action_from": e.awaiting,
                "description": desc,
                "errors": e.errors,
                "impact": {"restricts_capabilities": restricts(a, e.status)},
                "minimum_deadline": {"status": e.status},
                "requested_reasons": [{"code": reason}],
            })
        })
        .collect();
    (out, worst)
}

fn requirements_json(s: &Store, a: &Account) -> Value {
    let reqs = requirements::compute(a, s.now());
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut add = |field: &str, status: &'static str, awaiting: &'static str| {
        let e = entries.entry(v2_requirement(field)).or_insert(Entry {
            status,
            awaiting,
            errors: Vec::new(),
        });
        if severity(status) > severity(e.status) {
            e.status = status;
        }
        if awaiting == "user" {
            e.awaiting = "user";
        }
    };
    for f in &reqs.eventually_due {
        let status = if reqs.past_due.contains(f) {
            "past_due"
        } else if reqs.currently_due.contains(f) {
            "currently_due"
        } else {
            "eventually_due"
        };
        add(f, status, "user");
    }
    for f in &reqs.pending_verification {
        add(f, "currently_due", "stripe");
    }
    for err in &reqs.errors {
        let field = err["requirement"].as_str().unwrap_or_default();
        if let Some(e) = entries.get_mut(&v2_requirement(field)) {
            let item = json!({"code": err["code"], "description": err["reason"]});
            if !e.errors.contains(&item) {
                e.errors.push(item);
            }
        }
    }
    let (list, worst) = entries_json(a, entries, "routine_onboarding");
    let mut summary = json!({});
    if let Some(w) = worst {
        summary["minimum_deadline"] = json!({"status": w});
        if let Some(d) = reqs.current_deadline {
            summary["minimum_deadline"]["time"] = json!(rfc3339(d));
        }
    }
    json!({"entries": list, "summary": summary})
}

fn future_requirements_json(a: &Account) -> Value {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for f in a
        .future_due
        .iter()
        .filter(|f| !requirements::satisfied(a, f, &Default::default()))
    {
        entries.entry(v2_requirement(f)).or_insert(Entry {
            status: "eventually_due",
            awaiting: "user",
            errors: Vec::new(),
        });
    }
    let (list, worst) = entries_json(a, entries, "routine_verification");
    let mut out = json!({"entries": list, "summary": {}});
    if let Some(w) = worst {
        out["summary"]["minimum_deadline"] = json!({"status": w});
        if let Some(d) = a.future_deadline {
            out["summary"]["minimum_deadline"]["time"] = json!(rfc3339(d));
            out["minimum_transition_date"] = json!(rfc3339(d));
        }
    }
    out
}

/// The account as `/v2/core/accounts` shows it; optional parts only when included.
pub fn account_json(s: &Store, a: &Account, include: &BTreeSet<String>) -> Value {
    let v1 = render(s, a);
    let mut out = json!({
        "applied_configurations": applied_configurations(a),
        "closed": false,
        "created": rfc3339(a.created),
        "dashboard": a.controller.dashboard,
        "id": a.id,
        "livemode": false,
        "metadata": a.metadata,
        "object": "v2.core.account",
    });
    let contact =
        a.v2.as_ref()
            .and_then(|v| v.contact_email.clone())
            .or_else(|| a.email.clone());
    if let Some(e) = contact {
        out["contact_email"] = json!(e);
    }
    if let Some(n) = a.v2.as_ref().and_then(|v| v.display_name.clone()) {
        out["display_name"] = json!(n);
    }
    if let Some(c) = configuration_json(s, a, include, &v1) {
        out["configuration"] = c;
    }
    if include.contains("defaults") {
        out["defaults"] = defaults_json(a);
    }
    if include.contains("identity") {
        out["identity"] = identity_json(a);
    }
    if include.contains("requirements") {
        out["requirements"] = requirements_json(s, a);
    }
    if include.contains("future_requirements") {
        out["future_requirements"] = future_requirements_json(a);
    }
    out
}

// ---- parameters ----

fn bool_req(v: &Value, path: &[&str]) -> ApiResult<Option<bool>> {
    opt_bool(v, "requested", path)
}

fn string_map(v: &Value, keys: &[&str], path: &[&str]) -> ApiResult<Map<String, Value>> {
    let mut m = Map::new();
    for k in keys {
        if let Some(s) = opt_str(v, k, path)? {
            m.insert(k.to_string(), json!(s));
        }
    }
    Ok(m)
}

/// Applies a create/update body to the account (v1 fields underneath and the v2 extras); `p` was
/// checked against `op`'s table.
fn apply(
    s: &mut Store,
    a: &mut Account,
    p: &Value,
    op: &Operation,
    creating: bool,
) -> ApiResult<()> {
    let before_collected = a.collected.clone();
    let ext_before = a.external_accounts.len();
    let now = s.now();
    let mut v2 = a.v2.clone().unwrap_or_else(|| V2Info {
        applied_configurations: applied_configurations(a),
        configuration: json!({}),
        ..V2Info::default()
    });
    if !v2.configuration.is_object() {
        v2.configuration = json!({});
    }
    if let Some(e) = opt_str(p, "contact_email", &[])? {
        if !e.is_empty() && !e.contains('@') {
            return Err(ApiError::invalid(
                "contact_email must be an email address.",
                Some("contact_email"),
            ));
        }
        v2.contact_email = (!e.is_empty()).then(|| e.clone());
        a.email = (!e.is_empty()).then_some(e);
    }
    if let Some(n) = opt_str(p, "display_name", &[])? {
        v2.display_name = (!n.is_empty()).then_some(n);
    }
    if let Some(ph) = opt_str(p, "contact_phone", &[])? {
        a.business_profile["support_phone"] = if ph.is_empty() {
            Value::Null
        } else {
            json!(ph)
        };
    }
    if let Some(meta) = hash(p, "metadata", &[])? {
        for (k, v) in meta.as_object().into_iter().flatten() {
            match v {
                Value::Null => {
                    a.metadata.remove(k);
                }
                Value::String(s) if s.is_empty() => {
                    a.metadata.remove(k);
                }
                Value::String(s) => {
                    a.metadata.insert(k.clone(), s.clone());
                }
                _ => {
                    return Err(ApiError::invalid(
                        format!("metadata.{k} must be a string."),
                        Some("metadata"),
                    ))
                }
            }
        }
    }
    if let Some(defaults) = hash(p, "defaults", &[])? {
        if let Some(c) = opt_nonempty(defaults, "currency", &["defaults"])? {
            a.default_currency = c.to_lowercase();
        }
        if let Some(profile) = hash(defaults, "profile", &["defaults"])? {
            let m = string_map(
                profile,
                &["business_url", "doing_business_as", "product_description"],
                &["defaults", "profile"],
            )?;
            for (k, v) in m {
                let v1 = match k.as_str() {
                    "business_url" => "url",
                    "doing_business_as" => "name",
                    _ => "product_description",
                };
                let v = v.as_str().unwrap_or_default().to_string();
                a.business_profile[v1] = json!(v);
                a.collected.insert(format!("business_profile.{v1}"), v);
            }
        }
        if let Some(r) = hash(defaults, "responsibilities", &["defaults"])? {
            if !creating {
                return Err(ApiError::invalid(
                    "defaults.responsibilities cannot be changed after the account is created.",
                    Some("defaults"),
                ));
            }
            let path = ["defaults", "responsibilities"];
            let fees = opt_enum(
                r,
                "fees_collector",
                &path,
                op.one_of(&["defaults", "responsibilities", "fees_collector"]),
            )?
            .ok_or_else(|| ApiError::missing("defaults.responsibilities.fees_collector"))?;
            let losses = opt_enum(
                r,
                "losses_collector",
                &path,
                op.one_of(&["defaults", "responsibilities", "losses_collector"]),
            )?
            .ok_or_else(|| ApiError::missing("defaults.responsibilities.losses_collector"))?;
            a.controller.fees_payer = if fees == "stripe" {
                "account".into()
            } else {
                fees
            };
            a.controller.losses_payments = losses;
        }
    }
    if let Some(identity) = hash(p, "identity", &[])? {
        apply_identity(a, identity, op, creating, now)?;
    }
    if let Some(config) = hash(p, "configuration", &[])? {
        for name in CONFIGURATIONS {
            let Some(section) = hash(config, name, &["configuration"])? else {
                continue;
            };
            apply_configuration(a, &mut v2, name, section, now)?;
        }
    }
    a.v2 = Some(v2);
    requirements::after_submission(a, &before_collected, ext_before, now, s.verification_secs);
    Ok(())
}

fn apply_identity(
    a: &mut Account,
    identity: &Value,
    op: &Operation,
    creating: bool,
    now: i64,
) -> ApiResult<()> {
    if let Some(c) = opt_nonempty(identity, "country", &["identity"])? {
        let c = c.to_uppercase();
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ApiError::invalid(
                format!("Country '{c}' is unknown or not supported."),
                Some("identity.country"),
            ));
        }
        if !creating && c != a.country {
            return Err(ApiError::invalid(
                "identity.country cannot be changed after the account is created.",
                Some("identity.country"),
            ));
        }
        a.country = c.clone();
        a.default_currency = default_currency(&c).to_string();
    }
    if let Some(t) = opt_enum(
        identity,
        "entity_type",
        &["identity"],
        op.one_of(&["identity", "entity_type"]),
    )? {
        a.business_type = Some(t);
    }
    let address = |a: &mut Account, v: &Value, prefix: &str, path: &[&str]| -> ApiResult<()> {
        let m = string_map(
            v,
            &[
                "city",
                "country",
                "line1",
                "line2",
                "postal_code",
                "state",
                "town",
            ],
            path,
        )?;
        for (k, v) in m {
            if k != "town" {
                a.collected.insert(
                    format!("{prefix}.address.{k}"),
                    v.as_str().unwrap_or_default().to_string(),
                );
            }
        }
        Ok(())
    };
    if let Some(ind) = hash(identity, "individual", &["identity"])? {
        let path = ["identity", "individual"];
        for (k, v1) in [
            ("given_name", "first_name"),
            ("surname", "last_name"),
            ("email", "email"),
            ("phone", "phone"),
        ] {
            if let Some(v) = opt_nonempty(ind, k, &path)? {
                a.collected.insert(format!("individual.{v1}"), v);
            }
        }
        if let Some(addr) = hash(ind, "address", &path)? {
            address(
                a,
                addr,
                "individual",
                &["identity", "individual", "address"],
            )?;
        }
        if let Some(dob) = hash(ind, "date_of_birth", &path)? {
            let dpath = ["identity", "individual", "date_of_birth"];
            for part in ["day", "month", "year"] {
                let n = opt_int(dob, part, &dpath)?.ok_or_else(|| {
                    ApiError::missing(&format!("identity.individual.date_of_birth.{part}"))
                })?;
                a.collected
                    .insert(format!("individual.dob.{part}"), n.to_string());
            }
        }
        if let Some(ids) = ind.get("id_numbers") {
            let items = ids.as_array().ok_or_else(|| {
                ApiError::invalid(
                    "id_numbers must be an array",
                    Some("identity.individual.id_numbers"),
                )
            })?;
            for item in items {
                let ipath = ["identity", "individual", "id_numbers"];
                let ty = opt_nonempty(item, "type", &ipath)?
                    .ok_or_else(|| ApiError::missing("identity.individual.id_numbers.type"))?;
                let value = opt_nonempty(item, "value", &ipath)?
                    .ok_or_else(|| ApiError::missing("identity.individual.id_numbers.value"))?;
                let field = if ty.ends_with("_last_4") {
                    "individual.ssn_last_4"
                } else {
                    "individual.id_number"
                };
                a.collected.insert(field.into(), value);
            }
        }
    }
    if let Some(biz) = hash(identity, "business_details", &["identity"])? {
        let path = ["identity", "business_details"];
        if let Some(v) = opt_nonempty(biz, "registered_name", &path)? {
            a.collected.insert("company.name".into(), v);
        }
        if let Some(v) = opt_nonempty(biz, "phone", &path)? {
            a.collected.insert("company.phone".into(), v);
        }
        if let Some(addr) = hash(biz, "address", &path)? {
            address(
                a,
                addr,
                "company",
                &["identity", "business_details", "address"],
            )?;
        }
        if let Some(ids) = biz.get("id_numbers").and_then(Value::as_array) {
            for item in ids {
                let ipath = ["identity", "business_details", "id_numbers"];
                if let Some(v) = opt_nonempty(item, "value", &ipath)? {
                    a.collected.insert("company.tax_id".into(), v);
                }
            }
        }
    }
    if let Some(att) = hash(identity, "attestations", &["identity"])? {
        if let Some(tos) = hash(att, "terms_of_service", &["identity", "attestations"])? {
            if let Some(acc) = hash(
                tos,
                "account",
                &["identity", "attestations", "terms_of_service"],
            )? {
                let path = ["identity", "attestations", "terms_of_service", "account"];
                let date = match opt_nonempty(acc, "date", &path)? {
                    Some(d) => parse_rfc3339(&d).ok_or_else(|| {
                        ApiError::invalid(
                            "date must be an RFC 3339 timestamp.",
                            Some("identity.attestations.terms_of_service.account.date"),
                        )
                    })?,
                    None => now,
                };
                let ip = opt_nonempty(acc, "ip", &path)?.ok_or_else(|| {
                    ApiError::missing("identity.attestations.terms_of_service.account.ip")
                })?;
                a.tos_acceptance["date"] = json!(date);
                a.tos_acceptance["ip"] = json!(ip);
                if let Some(ua) = opt_nonempty(acc, "user_agent", &path)? {
                    a.tos_acceptance["user_agent"] = json!(ua);
                }
                a.collected
                    .insert("tos_acceptance.date".into(), date.to_string());
                a.collected.insert("tos_acceptance.ip".into(), ip);
            }
        }
    }
    Ok(())
}

fn apply_configuration(
    a: &mut Account,
    v2: &mut V2Info,
    name: &str,
    section: &Value,
    now: i64,
) -> ApiResult<()> {
    let path = ["configuration", name];
    let applied = opt_bool(section, "applied", &path)?.unwrap_or(true);
    let mut raw = v2.configuration[name].clone();
    if !raw.is_object() {
        raw = json!({});
    }
    if let Some(caps) = hash(section, "capabilities", &path)? {
        let cpath = ["configuration", name, "capabilities"];
        for (cap, v) in caps.as_object().into_iter().flatten() {
            match (name, cap.as_str()) {
                // `configuration.recipient.capabilities.stripe_balance.stripe_transfers` is the one
                // `stripe_balance` capability Stripe's schema has (OpenAPI `PostV2CoreAccounts`).
                ("recipient", "stripe_balance") => {
                    let spath = ["configuration", name, "capabilities", "stripe_balance"];
                    let Some(inner) = hash(v, "stripe_transfers", &spath)? else {
                        continue;
                    };
                    let full = [spath.as_slice(), &["stripe_transfers"]].concat();
                    if let (Some(req), Some(v1)) = (
                        bool_req(inner, &full)?,
                        v1_capability(name, "stripe_balance.stripe_transfers"),
                    ) {
                        set_requested(now, a, v1, req);
                    }
                }
                ("customer", "automatic_indirect_tax") => {
                    let full = [cpath.as_slice(), &["automatic_indirect_tax"]].concat();
                    if let Some(req) = bool_req(v, &full)? {
                        raw["capabilities"]["automatic_indirect_tax"] = json!({"requested": req});
                    }
                }
                ("merchant", c) if V2_MERCHANT_CAPABILITIES.contains(&c) => {
                    let full = [cpath.as_slice(), &[c]].concat();
                    if let (Some(req), Some(v1)) =
                        (bool_req(v, &full)?, v1_capability("merchant", c))
                    {
                        set_requested(now, a, v1, req);
                    }
                }
                _ => {
                    return Err(ApiError::unknown(&format!(
                        "configuration.{name}.capabilities.{cap}"
                    )));
                }
            }
        }
    }
    if name == "merchant" {
        if let Some(mcc) = opt_str(section, "mcc", &path)? {
            if !mcc.is_empty() && (mcc.len() != 4 || !mcc.bytes().all(|b| b.is_ascii_digit())) {
                return Err(ApiError::invalid(
                    format!("Invalid mcc: {mcc}"),
                    Some("configuration.merchant.mcc"),
                ));
            }
            a.business_profile["mcc"] = json!(mcc);
            a.collected.insert("business_profile.mcc".into(), mcc);
        }
        if let Some(sd) = hash(section, "statement_descriptor", &path)? {
            let m = string_map(
                sd,
                &["descriptor", "prefix"],
                &["configuration", "merchant", "statement_descriptor"],
            )?;
            if let Some(d) = m.get("descriptor").and_then(Value::as_str) {
                if d.len() > 22 {
                    return Err(ApiError::invalid(
                        "The statement descriptor must be at most 22 characters.",
                        Some("configuration.merchant.statement_descriptor.descriptor"),
                    ));
                }
                a.settings["payments"]["statement_descriptor"] = json!(d);
            }
            raw["statement_descriptor"] = Value::Object(m);
        }
        if let Some(b) = hash(section, "branding", &path)? {
            raw["branding"] = Value::Object(string_map(
                b,
                &["icon", "logo", "primary_color", "secondary_color"],
                &["configuration", "merchant", "branding"],
            )?);
        }
        if let Some(sup) = hash(section, "support", &path)? {
            let spath = ["configuration", "merchant", "support"];
            let mut m = string_map(
                &json!(sup
                    .as_object()
                    .map(|o| o
                        .iter()
                        .filter(|(k, _)| *k != "address")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect::<Map<_, _>>())
                    .unwrap_or_default()),
                &["email", "phone", "url"],
                &spath,
            )?;
            if let Some(addr) = hash(sup, "address", &spath)? {
                m.insert(
                    "address".into(),
                    Value::Object(string_map(
                        addr,
                        &[
                            "city",
                            "country",
                            "line1",
                            "line2",
                            "postal_code",
                            "state",
                            "town",
                        ],
                        &["configuration", "merchant", "support", "address"],
                    )?),
                );
            }
            for (k, v1) in [
                ("email", "support_email"),
                ("phone", "support_phone"),
                ("url", "support_url"),
            ] {
                if let Some(v) = m.get(k) {
                    a.business_profile[v1] = v.clone();
                }
            }
            raw["support"] = Value::Object(m);
        }
        if let Some(cp) = hash(section, "card_payments", &path)? {
            let cpath = ["configuration", "merchant", "card_payments"];
            if let Some(d) = hash(cp, "decline_on", &cpath)? {
                let dpath = ["configuration", "merchant", "card_payments", "decline_on"];
                let mut out = Map::new();
                for k in ["avs_failure", "cvc_failure"] {
                    if let Some(b) = opt_bool(d, k, &dpath)? {
                        a.settings["card_payments"]["decline_on"][k] = json!(b);
                        out.insert(k.into(), json!(b));
                    }
                }
                raw["card_payments"] = json!({"decline_on": out});
            }
        }
    }
    v2.configuration[name] = raw;
    let listed = v2.applied_configurations.iter().any(|c| c == name);
    if applied && !listed {
        v2.applied_configurations.push(name.to_string());
        v2.applied_configurations.sort();
    } else if !applied {
        v2.applied_configurations.retain(|c| c != name);
    }
    Ok(())
}

// ---- handlers ----

fn url_of(id: &str) -> String {
    format!("/v2/core/accounts/{id}")
}

/// `POST /v2/core/accounts`.
pub async fn create_account(
    State(app): State<SharedApp>,
    RawQuery(q): RawQuery,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_V2_ACCOUNTS)?;
    let include = includes(&p, q.as_deref())?;
    let dashboard = opt_enum(
        &p,
        "dashboard",
        &[],
        spec::POST_V2_ACCOUNTS.one_of(&["dashboard"]),
    )?;
    let req = ctx.req.clone();
    app.write(move |s| {
        let country = p["identity"]["country"].as_str().unwrap_or("US").to_uppercase();
        let has_resp = p["defaults"]["responsibilities"].is_object();
        let dashboard = dashboard.unwrap_or_else(|| if has_resp && p["defaults"]["responsibilities"]["losses_collector"] == json!("application") { "none".into() } else { "full".into() });
        let controller = Controller {
            fees_payer: "account".into(),
            losses_payments: "stripe".into(),
            requirement_collection: "stripe".into(),
            dashboard: dashboard.clone(),
            kind: "application".into(),
        };
        let mut a = new_account(s, &country, controller, "none");
        if !has_resp && dashboard != "full" {
            a.controller.fees_payer = if dashboard == "express" { "application_express".into() } else { "application".into() };
            a.controller.losses_payments = "application".into();
        }
        a.v2 = Some(V2Info { configuration: json!({}), ..V2Info::default() });
        apply(s, &mut a, &p, &spec::POST_V2_ACCOUNTS, true)?;
        let c = &mut a.controller;
        c.requirement_collection = if c.dashboard == "none" && c.losses_payments == "application" { "application".into() } else { "stripe".into() };
        if c.dashboard == "express" && (c.losses_payments != "application" || c.fees_payer == "account") {
            return Err(ApiError::invalid(
                "Accounts with the Express Dashboard need defaults.responsibilities.losses_collector=application and fees collected by the application.",
                Some("dashboard"),
            ));
        }
        if c.dashboard == "full" && c.losses_payments == "application" && c.fees_payer == "account" {
            return Err(ApiError::invalid("fees_collector=stripe with losses_collector=application is not supported.", Some("defaults")));
        }
        a.account_type = account_type_for(&a.controller).to_string();
        let id = a.id.clone();
        s.accounts.insert(id.clone(), a);
        s.emit_thin("v2.core.account.created", Some(&id), Some(("v2.core.account", &id, &url_of(&id))), None, &req);
        let a = s.accounts[&id].clone();
        Ok(Json(account_json(s, &a, &include)))
    })
    .await
}

/// `GET /v2/core/accounts/{id}?include=…`.
pub async fn retrieve_account(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_V2_ACCOUNT)?;
    let include = includes(&json!({}), q.as_deref())?;
    app.read(|s| {
        let a = s
            .accounts
            .get(&id)
            .ok_or_else(|| ApiError::no_such("account", &id, "id"))?;
        Ok(Json(account_json(s, a, &include)))
    })
}

/// `POST /v2/core/accounts/{id}`.
pub async fn update_account(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_V2_ACCOUNT)?;
    let include = includes(&p, q.as_deref())?;
    if let Some(d) = opt_enum(
        &p,
        "dashboard",
        &[],
        spec::POST_V2_ACCOUNT.one_of(&["dashboard"]),
    )? {
        let same = app
            .read(|s| s.accounts.get(&id).map(|a| a.controller.dashboard == d))
            .unwrap_or(true);
        if !same {
            return Err(ApiError::invalid(
                "dashboard cannot be changed after the account is created.",
                Some("dashboard"),
            ));
        }
    }
    let req = ctx.req.clone();
    app.write(move |s| {
        let mut a = s
            .accounts
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::no_such("account", &id, "id"))?;
        let before = render(s, &a);
        apply(s, &mut a, &p, &spec::POST_V2_ACCOUNT, false)?;
        s.accounts.insert(id.clone(), a);
        emit_changes(s, &id, &before, &req);
        let a = s.accounts[&id].clone();
        Ok(Json(account_json(s, &a, &include)))
    })
    .await
}

fn page_params(p: &Value) -> ApiResult<(usize, usize)> {
    let limit = opt_int(p, "limit", &[])?.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid(
            "limit must be between 1 and 100.",
            Some("limit"),
        ));
    }
    let offset = match opt_nonempty(p, "page", &[])? {
        None => 0,
        Some(t) => t
            .strip_prefix("page_")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::invalid(format!("Invalid page token: {t}"), Some("page")))?,
    };
    Ok((limit as usize, offset))
}

fn page_urls(path: &str, limit: usize, offset: usize, total: usize, extra: &str) -> (Value, Value) {
    let next = (offset + limit < total)
        .then(|| format!("{path}?limit={limit}&page=page_{}{extra}", offset + limit));
    let prev = (offset > 0).then(|| {
        format!(
            "{path}?limit={limit}&page=page_{}{extra}",
            offset.saturating_sub(limit)
        )
    });
    (json!(next), json!(prev))
}

/// `GET /v2/core/accounts?limit=&page=&applied_configurations=`.
pub async fn list_accounts(
    State(app): State<SharedApp>,
    RawQuery(q): RawQuery,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let mut wanted: Vec<String> = Vec::new();
    let mut closed = false;
    if let Some(q) = &q {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q)
            .map_err(|_| ApiError::invalid("Invalid query string", None))?;
        for (k, v) in pairs {
            if k == "applied_configurations" || k.starts_with("applied_configurations[") {
                if !CONFIGURATIONS.contains(&v.as_str()) {
                    return Err(ApiError::invalid(
                        format!("Invalid applied_configurations value: {v}"),
                        Some("applied_configurations"),
                    ));
                }
                wanted.push(v);
            } else if k == "closed" {
                closed = v == "true";
            }
        }
    }
    spec::check(&ctx.params, &spec::GET_V2_ACCOUNTS)?;
    let p = &ctx.params;
    let (limit, offset) = page_params(p)?;
    app.read(|s| {
        let mut accts: Vec<&Account> = s
            .accounts
            .values()
            .filter(|a| !closed && a.v2.is_some())
            .filter(|a| {
                let applied = applied_configurations(a);
                wanted.iter().all(|w| applied.contains(w))
            })
            .collect();
        accts.sort_by_key(|a| std::cmp::Reverse(a.seq));
        let total = accts.len();
        let data: Vec<Value> = accts
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|a| account_json(s, a, &BTreeSet::new()))
            .collect();
        let extra: String = wanted
            .iter()
            .map(|w| format!("&applied_configurations={w}"))
            .collect();
        let (next, prev) = page_urls("/v2/core/accounts", limit, offset, total, &extra);
        Ok(Json(
            json!({"data": data, "next_page_url": next, "previous_page_url": prev}),
        ))
    })
}

/// `POST /v2/core/account_links`.
pub async fn create_account_link(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    let op = &spec::POST_V2_ACCOUNT_LINKS;
    spec::check(&p, op)?;
    let account = opt_nonempty(&p, "account", &[])?.ok_or_else(|| ApiError::missing("account"))?;
    let use_case = hash(&p, "use_case", &[])?.ok_or_else(|| ApiError::missing("use_case"))?;
    let kind = opt_enum(
        use_case,
        "type",
        &["use_case"],
        op.one_of(&["use_case", "type"]),
    )?
    .ok_or_else(|| ApiError::missing("use_case.type"))?;
    let opts = hash(use_case, &kind, &["use_case"])?
        .ok_or_else(|| ApiError::missing(&format!("use_case.{kind}")))?;
    let path = ["use_case", kind.as_str()];
    let configurations: Vec<String> = match opts.get("configurations") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect(),
        Some(_) => {
            return Err(ApiError::invalid(
                "configurations must be a non-empty array.",
                Some(&format!("use_case.{kind}.configurations")),
            ))
        }
        None => {
            return Err(ApiError::missing(&format!(
                "use_case.{kind}.configurations"
            )))
        }
    };
    for c in &configurations {
        if !CONFIGURATIONS.contains(&c.as_str()) {
            return Err(ApiError::invalid(
                format!("Invalid configuration: {c}"),
                Some(&format!("use_case.{kind}.configurations")),
            ));
        }
    }
    let refresh_url = opt_nonempty(opts, "refresh_url", &path)?
        .ok_or_else(|| ApiError::missing(&format!("use_case.{kind}.refresh_url")))?;
    check_url(&refresh_url, "refresh_url")?;
    // Optional (OpenAPI `PostV2CoreAccountLinks`); "" stands for "none given".
    let return_url = opt_nonempty(opts, "return_url", &path)?.unwrap_or_default();
    if !return_url.is_empty() {
        check_url(&return_url, "return_url")?;
    }
    let mut co_out = Map::new();
    let (mut fields, mut future) = ("currently_due".to_string(), "omit".to_string());
    if let Some(co) = hash(opts, "collection_options", &path)? {
        let cpath = ["use_case", kind.as_str(), "collection_options"];
        let values =
            |name: &str| op.one_of(&["use_case", kind.as_str(), "collection_options", name]);
        if let Some(f) = opt_enum(co, "fields", &cpath, values("fields"))? {
            fields = f.clone();
            co_out.insert("fields".into(), json!(f));
        }
        if let Some(f) = opt_enum(
            co,
            "future_requirements",
            &cpath,
            values("future_requirements"),
        )? {
            future = f.clone();
            co_out.insert("future_requirements".into(), json!(f));
        }
    }
    let base = app.base_url.clone();
    let ttl = app.config.link_ttl_secs;
    app.write(move |s| {
        let applied = applied_configurations(s.account(&account)?);
        for c in &configurations {
            if !applied.contains(c) {
                return Err(ApiError::invalid(
                    format!("The account does not have the {c} configuration applied."),
                    Some(&format!("use_case.{kind}.configurations")),
                ));
            }
        }
        let link = create_link(
            s,
            &base,
            ttl,
            &account,
            &kind,
            &refresh_url,
            &return_url,
            &fields,
            &future,
            true,
        )?;
        let mut opts_out = json!({"refresh_url": refresh_url});
        if !return_url.is_empty() {
            opts_out["return_url"] = json!(return_url);
        }
        if !co_out.is_empty() {
            opts_out["collection_options"] = Value::Object(co_out);
        }
        let mut uc = json!({"type": kind});
        uc[&kind] = opts_out;
        Ok(Json(json!({
            "account": account,
            "created": rfc3339(link.created),
            "expires_at": rfc3339(link.expires_at),
            "livemode": false,
            "object": "v2.core.account_link",
            "url": link_url(&base, &link),
            "use_case": uc,
        })))
    })
    .await
}

/// `GET /v2/core/events/{id}` (with `Stripe-Context`, only that account's events).
pub async fn retrieve_event(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_V2_EVENT)?;
    app.read(|s| {
        s.v2_events
            .iter()
            .find(|e| e.id == id && (ctx.account.is_none() || e.account == ctx.account))
            .map(|e| Json(e.value.clone()))
            .ok_or_else(|| ApiError::no_such("event", &id, "id"))
    })
}

fn destination_json(d: &EventDestination, include: &BTreeSet<String>) -> Value {
    let mut v = d.to_json(true);
    let mut ep = json!({});
    if include.contains("webhook_endpoint.url") {
        ep["url"] = json!(d.url);
    }
    if include.contains("webhook_endpoint.signing_secret") {
        ep["signing_secret"] = json!(d.secret);
    }
    v["webhook_endpoint"] = ep;
    v
}

fn destination_includes(
    p: &Value,
    q: Option<&str>,
    allowed: &[&str],
) -> ApiResult<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    if let Some(Value::Array(items)) = p.get("include") {
        for i in items {
            out.insert(i.as_str().unwrap_or_default().to_string());
        }
    }
    if let Some(q) = q {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q)
            .map_err(|_| ApiError::invalid("Invalid query string", None))?;
        for (k, v) in pairs {
            if k == "include" || k.starts_with("include[") {
                out.insert(v);
            }
        }
    }
    if let Some(bad) = out.iter().find(|i| !allowed.contains(&i.as_str())) {
        return Err(ApiError::invalid(
            format!("Invalid include value '{bad}'."),
            Some("include"),
        ));
    }
    Ok(out)
}

/// `POST /v2/core/event_destinations` (thin payloads to a webhook endpoint).
pub async fn create_event_destination(
    State(app): State<SharedApp>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_V2_EVENT_DESTINATIONS)?;
    let include = destination_includes(
        &p,
        None,
        spec::POST_V2_EVENT_DESTINATIONS.one_of(&["include"]),
    )?;
    let name = opt_nonempty(&p, "name", &[])?.ok_or_else(|| ApiError::missing("name"))?;
    let ty = opt_enum(
        &p,
        "type",
        &[],
        spec::POST_V2_EVENT_DESTINATIONS.one_of(&["type"]),
    )?
    .ok_or_else(|| ApiError::missing("type"))?;
    if ty != "webhook_endpoint" {
        return Err(ApiError::invalid("The offline Stripe emulator delivers only to webhook endpoints (type=webhook_endpoint).", Some("type")));
    }
    let payload = opt_enum(
        &p,
        "event_payload",
        &[],
        spec::POST_V2_EVENT_DESTINATIONS.one_of(&["event_payload"]),
    )?
    .ok_or_else(|| ApiError::missing("event_payload"))?;
    if payload != "thin" {
        return Err(ApiError::invalid(
            "The offline Stripe emulator supports thin event payloads only (event_payload=thin).",
            Some("event_payload"),
        ));
    }
    let strings = |key: &str| -> ApiResult<Option<Vec<String>>> {
        match p.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => Ok(Some(
                items
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect(),
            )),
            Some(_) => Err(ApiError::invalid(
                format!("{key} must be an array of strings."),
                Some(key),
            )),
        }
    };
    let events = strings("enabled_events")?
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::missing("enabled_events"))?;
    let from = strings("events_from")?.unwrap_or_else(|| vec!["@self".into()]);
    for f in &from {
        if !["@self", "@accounts"].contains(&f.as_str()) {
            return Err(ApiError::invalid(
                format!("Invalid events_from value: {f}"),
                Some("events_from"),
            ));
        }
    }
    let ep =
        hash(&p, "webhook_endpoint", &[])?.ok_or_else(|| ApiError::missing("webhook_endpoint"))?;
    let url = opt_nonempty(ep, "url", &["webhook_endpoint"])?
        .ok_or_else(|| ApiError::missing("webhook_endpoint.url"))?;
    check_url(&url, "webhook_endpoint.url")?;
    let description = opt_str(&p, "description", &[])?.unwrap_or_default();
    let mut metadata = BTreeMap::new();
    if let Some(m) = hash(&p, "metadata", &[])? {
        for (k, v) in m.as_object().into_iter().flatten() {
            metadata.insert(k.clone(), v.as_str().unwrap_or_default().to_string());
        }
    }
    app.write(move |s| {
        let id = format!("ed_{}", s.token(24));
        let secret = format!("whsec_{}", s.token(32));
        let now = s.now();
        let seq = s.next_seq();
        let d = EventDestination {
            id,
            seq,
            name,
            description,
            url,
            secret,
            enabled_events: events,
            events_from: from,
            created: now,
            updated: now,
            metadata,
            status: "enabled".into(),
        };
        let out = destination_json(&d, &include);
        s.event_destinations.push(d);
        Ok(Json(out))
    })
    .await
}

/// `GET /v2/core/event_destinations`.
pub async fn list_event_destinations(
    State(app): State<SharedApp>,
    RawQuery(q): RawQuery,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let op = &spec::GET_V2_EVENT_DESTINATIONS;
    spec::check(&ctx.params, op)?;
    let include = destination_includes(&json!({}), q.as_deref(), op.one_of(&["include"]))?;
    let (limit, offset) = page_params(&ctx.params)?;
    app.read(|s| {
        let all: Vec<&EventDestination> = s.event_destinations.iter().rev().collect();
        let data: Vec<Value> = all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|d| destination_json(d, &include))
            .collect();
        let (next, prev) = page_urls("/v2/core/event_destinations", limit, offset, all.len(), "");
        Ok(Json(
            json!({"data": data, "next_page_url": next, "previous_page_url": prev}),
        ))
    })
}

/// The v2 routes (they share the API layer: authentication, `Stripe-Context`, v2 errors).
pub fn router(app: SharedApp) -> Router<SharedApp> {
    Router::new()
        .route("/v2/core/accounts", post(create_account).get(list_accounts))
        .route(
            "/v2/core/accounts/{id}",
            get(retrieve_account).post(update_account),
        )
        .route("/v2/core/account_links", post(create_account_link))
        .route("/v2/core/events/{id}", get(retrieve_event))
        .route(
            "/v2/core/event_destinations",
            post(create_event_destination).get(list_event_destinations),
        )
        .route_layer(axum::middleware::from_fn_with_state(app, crate::api::layer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_maps_requirements() {
        assert_eq!(
            parse_rfc3339("2023-11-14T22:13:20.000Z"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_rfc3339(&rfc3339(951_782_400)), Some(951_782_400));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(
            v2_requirement("individual.first_name"),
            "identity.individual.given_name"
        );
        assert_eq!(
            v2_requirement("individual.dob.day"),
            "identity.individual.date_of_birth"
        );
        assert_eq!(
            v2_requirement("business_profile.mcc"),
            "configuration.merchant.mcc"
        );
        assert_eq!(
            v2_requirement("representative.verification.document"),
            "identity.persons.representative.documents.primary_verification"
        );
    }
}
