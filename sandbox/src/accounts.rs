//! v1 accounts: create, retrieve, update (with payout schedule validation), list, delete, reject;
//! capabilities; external accounts; login links.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::api::{expand, paginate, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::params::{self, hash, opt_bool, opt_enum, opt_int, opt_nonempty, opt_str};
use crate::payout_schedule;
use crate::requirements::{self, CAPABILITIES};
use crate::spec::{self, Operation};
use crate::state::{
    previous_attributes, Account, Capability, Controller, RequestInfo, SharedApp, State as Store,
};

pub fn default_currency(country: &str) -> &'static str {
    match country {
        "US" => "usd",
        "GB" => "gbp",
        "CA" => "cad",
        "AU" => "aud",
        "NZ" => "nzd",
        "JP" => "jpy",
        "CH" => "chf",
        "SE" => "sek",
        "NO" => "nok",
        "DK" => "dkk",
        "PL" => "pln",
        "SG" => "sgd",
        "HK" => "hkd",
        "MX" => "mxn",
        "BR" => "brl",
        "IN" => "inr",
        _ => "eur",
    }
}

const COUNTRIES: &[&str] = &[
    "US", "GB", "CA", "AU", "NZ", "JP", "CH", "SE", "NO", "DK", "PL", "SG", "HK", "MX", "BR", "IN",
    "AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LI",
    "LT", "LU", "MT", "NL", "PT", "RO", "SK", "SI", "ES", "AE", "TH", "MY", "GI",
];

fn default_business_profile() -> Value {
    json!({
        "annual_revenue": {"amount": null, "currency": null, "fiscal_year_end": null},
        "estimated_worker_count": null,
        "mcc": null,
        "name": null,
        "product_description": null,
        "support_address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null},
        "support_email": null,
        "support_phone": null,
        "support_url": null,
        "url": null,
        "minority_owned_business_designation": null,
    })
}

fn default_settings(country: &str) -> Value {
    json!({
        "bacs_debit_payments": {"display_name": null, "service_user_number": null},
        "branding": {"icon": null, "logo": null, "primary_color": null, "secondary_color": null},
        "card_issuing": {"tos_acceptance": {"date": null, "ip": null}},
        "card_payments": {
            "decline_on": {"avs_failure": false, "cvc_failure": false},
            "statement_descriptor_prefix": null,
            "statement_descriptor_prefix_kana": null,
            "statement_descriptor_prefix_kanji": null
        },
        "dashboard": {"display_name": null, "timezone": "Etc/UTC"},
        "invoices": {"default_account_tax_ids": null, "hosted_payment_method_save": null},
        "payments": {
            "statement_descriptor": null,
            "statement_descriptor_kana": null,
            "statement_descriptor_kanji": null
        },
        "payouts": {
            "debit_negative_balances": true,
            "schedule": {"delay_days": payout_schedule::minimum_delay(country), "interval": "daily"},
            "statement_descriptor": null
        },
        "sepa_debit_payments": {},
    })
}

/// The account as Stripe's API shows it (same keys as Stripe's example account object).
pub fn render(s: &Store, a: &Account) -> Value {
    let reqs = requirements::compute(a, s.now());
    let caps: serde_json::Map<String, Value> = a
        .capabilities
        .keys()
        .map(|k| {
            (
                k.clone(),
                json!(requirements::capability_status(a, k, &reqs)),
            )
        })
        .collect();
    let details_submitted = a.details_submitted
        || (reqs.currently_due.is_empty() && a.capabilities.values().any(|c| c.requested));
    json!({
        "business_profile": a.business_profile,
        "business_type": a.business_type,
        "capabilities": caps,
        "charges_enabled": requirements::charges_enabled(a, &reqs),
        "controller": a.controller.to_json(),
        "country": a.country,
        "created": a.created,
        "default_currency": a.default_currency,
        "details_submitted": details_submitted,
        "email": a.email,
        "external_accounts": {
            "data": a.external_accounts.iter().rev().cloned().collect::<Vec<_>>(),
            "has_more": false,
            "object": "list",
            "url": format!("/v1/accounts/{}/external_accounts", a.id),
        },
        "future_requirements": requirements::future(a),
        "id": a.id,
        "metadata": a.metadata,
        "object": "account",
        "payouts_enabled": requirements::payouts_enabled(a, &reqs),
        "requirements": reqs.to_json(),
        "settings": a.settings,
        "tos_acceptance": a.tos_acceptance,
        "type": a.account_type,
    })
}

pub fn capability_json(s: &Store, a: &Account, name: &str) -> Value {
    let reqs = requirements::compute(a, s.now());
    let cap = a.capabilities.get(name);
    let status = requirements::capability_status(a, name, &reqs);
    let mut cap_reqs = reqs.to_json();
    if status == "active" {
        cap_reqs = json!({
            "alternatives": [], "current_deadline": reqs.current_deadline, "currently_due": reqs.currently_due,
            "disabled_reason": null, "errors": reqs.errors, "eventually_due": reqs.eventually_due,
            "past_due": [], "pending_verification": reqs.pending_verification
        });
    } else if cap.map(|c| c.disabled).unwrap_or(false) && reqs.disabled_reason.is_none() {
        cap_reqs["disabled_reason"] = json!("other");
    }
    json!({
        "account": a.id,
        "future_requirements": requirements::future(a),
        "id": name,
        "object": "capability",
        "requested": cap.map(|c| c.requested).unwrap_or(false),
        "requested_at": cap.and_then(|c| c.requested_at),
        "requirements": cap_reqs,
        "status": status,
    })
}

/// Emits what Stripe emits after an account changed: `account.updated` (with `previous_attributes`),
/// `capability.updated` per changed capability and the v2 thin events.
pub fn emit_changes(s: &mut Store, id: &str, before: &Value, req: &RequestInfo) {
    let Some(a) = s.accounts.get(id).cloned() else {
        return;
    };
    let after = render(s, &a);
    let Some(prev) = previous_attributes(before, &after) else {
        return;
    };
    s.emit(
        "account.updated",
        Some(id),
        after.clone(),
        Some(prev.clone()),
        req,
    );
    let mut caps_changed: Vec<String> = Vec::new();
    if let (Some(old), Some(new)) = (
        before["capabilities"].as_object(),
        after["capabilities"].as_object(),
    ) {
        for (name, status) in new {
            if old.get(name) != Some(status) {
                caps_changed.push(name.clone());
                let cap = capability_json(s, &a, name);
                let prev_cap =
                    json!({"status": old.get(name).cloned().unwrap_or(json!("inactive"))});
                s.emit("capability.updated", Some(id), cap, Some(prev_cap), req);
            }
        }
    }
    let wants_thin = a.v2.is_some() || !s.event_destinations.is_empty();
    if wants_thin {
        let url = format!("/v2/core/accounts/{id}");
        if before["requirements"] != after["requirements"]
            || before["future_requirements"] != after["future_requirements"]
        {
            s.emit_thin(
                "v2.core.account[requirements].updated",
                Some(id),
                Some(("v2.core.account", id, &url)),
                None,
                req,
            );
        }
        for name in caps_changed {
            let Some((configuration, v2_name)) = requirements::v2_capability(&name) else {
                continue;
            };
            s.emit_thin(
                &format!(
                    "v2.core.account[configuration.{configuration}].capability_status_updated"
                ),
                Some(id),
                Some(("v2.core.account", id, &url)),
                Some(json!({"updated_capability": v2_name})),
                req,
            );
        }
    }
}

fn parse_controller(v: &Value) -> ApiResult<Controller> {
    let p = ["controller"];
    let op = &spec::POST_ACCOUNTS;
    let fees = hash(v, "fees", &p)?.cloned().unwrap_or(json!({}));
    let losses = hash(v, "losses", &p)?.cloned().unwrap_or(json!({}));
    let dash = hash(v, "stripe_dashboard", &p)?
        .cloned()
        .unwrap_or(json!({}));
    let dash_path = ["controller", "stripe_dashboard"];
    let dashboard = opt_enum(
        &dash,
        "type",
        &dash_path,
        op.one_of(&["controller", "stripe_dashboard", "type"]),
    )?
    .unwrap_or_else(|| "full".into());
    let requirement_collection = opt_enum(
        v,
        "requirement_collection",
        &p,
        op.one_of(&["controller", "requirement_collection"]),
    )?
    .unwrap_or_else(|| "stripe".into());
    let fees_payer = opt_enum(
        &fees,
        "payer",
        &["controller", "fees"],
        op.one_of(&["controller", "fees", "payer"]),
    )?
    .unwrap_or_else(|| {
        if dashboard == "full" {
            "account".into()
        } else {
            "application".into()
        }
    });
    let losses_payments = opt_enum(
        &losses,
        "payments",
        &["controller", "losses"],
        op.one_of(&["controller", "losses", "payments"]),
    )?
    .unwrap_or_else(|| {
        if dashboard == "full" {
            "stripe".into()
        } else {
            "application".into()
        }
    });
    if requirement_collection == "application" && dashboard != "none" {
        return Err(ApiError::invalid(
            "Connected accounts with `controller[requirement_collection]=application` must have `controller[stripe_dashboard][type]=none`.",
            Some("controller[requirement_collection]"),
        ));
    }
    if requirement_collection == "application" && losses_payments != "application" {
        return Err(ApiError::invalid(
            "Your platform must be liable for negative balances (`controller[losses][payments]=application`) when it collects requirements.",
            Some("controller[losses][payments]"),
        ));
    }
    if dashboard == "express" && (losses_payments != "application" || fees_payer == "account") {
        return Err(ApiError::invalid(
            "Accounts with Express Dashboard access require `controller[losses][payments]=application` and the application paying fees.",
            Some("controller[stripe_dashboard][type]"),
        ));
    }
    Ok(Controller {
        fees_payer,
        losses_payments,
        requirement_collection,
        dashboard,
        kind: "application".into(),
    })
}

pub(crate) fn account_type_for(c: &Controller) -> &'static str {
    match (c.dashboard.as_str(), c.requirement_collection.as_str()) {
        ("full", "stripe") if c.fees_payer == "account" && c.losses_payments == "stripe" => {
            "standard"
        }
        ("express", "stripe") => "express",
        ("none", "application") => "custom",
        _ => "none",
    }
}

pub(crate) fn controller_for_type(t: &str) -> Controller {
    let (fees, losses, rc, dash) = match t {
        "express" => ("application_express", "application", "stripe", "express"),
        "custom" => ("application_custom", "application", "application", "none"),
        _ => ("account", "stripe", "stripe", "full"),
    };
    Controller {
        fees_payer: fees.into(),
        losses_payments: losses.into(),
        requirement_collection: rc.into(),
        dashboard: dash.into(),
        kind: "application".into(),
    }
}

/// Applies the parameters shared by create and update (`op`, whose table `p` was checked against).
fn apply_common(
    s: &mut Store,
    a: &mut Account,
    p: &Value,
    op: &Operation,
    req: &RequestInfo,
) -> ApiResult<()> {
    let collected_before = a.collected.clone();
    let external_before = a.external_accounts.len();
    apply_fields(s, a, p, op, req)?;
    let (now, secs) = (s.now(), s.verification_secs);
    requirements::after_submission(a, &collected_before, external_before, now, secs);
    Ok(())
}

fn apply_fields(
    s: &mut Store,
    a: &mut Account,
    p: &Value,
    op: &Operation,
    req: &RequestInfo,
) -> ApiResult<()> {
    if let Some(email) = opt_str(p, "email", &[])? {
        a.email = if email.is_empty() { None } else { Some(email) };
    }
    if let Some(bt) = opt_enum(p, "business_type", &[], op.one_of(&["business_type"]))? {
        a.business_type = Some(bt);
    }
    if let Some(dc) = opt_nonempty(p, "default_currency", &[])? {
        a.default_currency = dc.to_lowercase();
    }
    params::apply_metadata(&mut a.metadata, p)?;
    if let Some(bp) = hash(p, "business_profile", &[])? {
        if let Some(mcc) = opt_str(bp, "mcc", &["business_profile"])? {
            if !mcc.is_empty() && (mcc.len() != 4 || !mcc.bytes().all(|b| b.is_ascii_digit())) {
                return Err(ApiError::invalid(
                    format!("Invalid mcc: {mcc}"),
                    Some("business_profile[mcc]"),
                ));
            }
        }
        if let Some(url) = opt_str(bp, "url", &["business_profile"])? {
            if !url.is_empty() && !url.contains('.') {
                return Err(ApiError::invalid_code(
                    "url_invalid",
                    "Not a valid URL",
                    Some("business_profile[url]"),
                ));
            }
        }
        for (k, v) in bp.as_object().into_iter().flatten() {
            match v {
                Value::String(s) if s.is_empty() => {
                    a.business_profile[k] = Value::Null;
                    a.collected.remove(&format!("business_profile.{k}"));
                }
                Value::String(s) if k == "estimated_worker_count" => {
                    let n = s.parse::<i64>().map_err(|_| {
                        ApiError::invalid_integer("business_profile[estimated_worker_count]", s)
                    })?;
                    a.business_profile[k] = json!(n);
                }
                Value::String(s) => {
                    a.business_profile[k] = json!(s);
                    a.collected
                        .insert(format!("business_profile.{k}"), s.clone());
                }
                Value::Object(m) => {
                    let target = &mut a.business_profile[k];
                    if !target.is_object() {
                        *target = json!({});
                    }
                    for (kk, vv) in m {
                        target[kk] = vv.clone();
                    }
                }
                _ => {}
            }
        }
    }
    for key in ["individual", "company"] {
        if let Some(obj) = hash(p, key, &[])? {
            if key == "individual"
                && a.business_type
                    .as_deref()
                    .is_some_and(|b| b != "individual")
            {
                return Err(ApiError::invalid(
                    "You cannot provide `individual` for an account whose business_type is not `individual`.",
                    Some("individual"),
                ));
            }
            if let Some(dob) = hash(obj, "dob", &[key])? {
                for part in ["day", "month", "year"] {
                    opt_int(dob, part, &[key, "dob"])?;
                }
            }
            let mut flat = Vec::new();
            params::flatten(key, obj, &mut flat);
            for (field, value) in flat {
                if value.is_empty() {
                    a.collected.remove(&field);
                } else {
                    a.collected.insert(field, value);
                }
            }
        }
    }
    if let Some(tos) = hash(p, "tos_acceptance", &[])? {
        if let Some(date) = opt_int(tos, "date", &["tos_acceptance"])? {
            a.tos_acceptance["date"] = json!(date);
            a.collected
                .insert("tos_acceptance.date".into(), date.to_string());
        }
        if let Some(ip) = opt_nonempty(tos, "ip", &["tos_acceptance"])? {
            a.tos_acceptance["ip"] = json!(ip);
            a.collected.insert("tos_acceptance.ip".into(), ip);
        }
        if let Some(ua) = opt_nonempty(tos, "user_agent", &["tos_acceptance"])? {
            a.tos_acceptance["user_agent"] = json!(ua);
        }
        if let Some(sa) = opt_enum(
            tos,
            "service_agreement",
            &["tos_acceptance"],
            op.one_of(&["tos_acceptance", "service_agreement"]),
        )? {
            a.tos_acceptance["service_agreement"] = json!(sa);
        }
    }
    if let Some(caps) = hash(p, "capabilities", &[])? {
        for (name, v) in caps.as_object().into_iter().flatten() {
            let path = ["capabilities", name.as_str()];
            if let Some(requested) = opt_bool(v, "requested", &path)? {
                set_requested(s.now(), a, name, requested);
            }
        }
    }
    if let Some(settings) = hash(p, "settings", &[])? {
        apply_settings(a, settings, op)?;
    }
    if let Some(token) = opt_nonempty(p, "external_account", &[])? {
        let ext = external_account_from_token(s, a, &token, "external_account")?;
        // "By default, providing an external account sets it as the new default external account
        // for its currency, and deletes the old default if one exists" (the `external_account`
        // parameter of the account's create and update, as Stripe's SDKs document it, e.g.
        // stripe-go `AccountParams.ExternalAccount`). The default is kept first.
        let currency = ext["currency"].clone();
        if let Some(old) = a
            .external_accounts
            .iter()
            .position(|e| e["currency"] == currency)
        {
            let removed = a.external_accounts.remove(old);
            s.emit(
                "account.external_account.deleted",
                Some(&a.id),
                removed,
                None,
                req,
            );
        }
        a.external_accounts.insert(0, ext.clone());
        s.emit(
            "account.external_account.created",
            Some(&a.id),
            ext,
            None,
            req,
        );
    }
    Ok(())
}

pub fn set_requested(now: i64, a: &mut Account, name: &str, requested: bool) {
    let cap = a
        .capabilities
        .entry(name.to_string())
        .or_insert(Capability {
            requested: false,
            requested_at: None,
            disabled: false,
        });
    if requested && !cap.requested {
        cap.requested_at = Some(now);
    }
    cap.requested = requested;
}

fn apply_settings(a: &mut Account, settings: &Value, op: &Operation) -> ApiResult<()> {
    let simple: &[(&str, &[&str])] = &[
        (
            "branding",
            &["icon", "logo", "primary_color", "secondary_color"],
        ),
        (
            "payments",
            &[
                "statement_descriptor",
                "statement_descriptor_kana",
                "statement_descriptor_kanji",
            ],
        ),
        ("bacs_debit_payments", &["display_name"]),
        ("invoices", &["hosted_payment_method_save"]),
    ];
    for (section, keys) in simple {
        if let Some(obj) = hash(settings, section, &["settings"])? {
            for k in *keys {
                if let Some(v) = opt_str(obj, k, &["settings", section])? {
                    if *k == "statement_descriptor" && v.len() > 22 {
                        return Err(ApiError::invalid(
                            "The statement descriptor must be at most 22 characters.",
                            Some("settings[payments][statement_descriptor]"),
                        ));
                    }
                    a.settings[section][k] = if v.is_empty() { Value::Null } else { json!(v) };
                }
            }
        }
    }
    if let Some(cp) = hash(settings, "card_payments", &["settings"])? {
        let path = ["settings", "card_payments"];
        if let Some(d) = hash(cp, "decline_on", &path)? {
            for k in ["avs_failure", "cvc_failure"] {
                if let Some(b) = opt_bool(d, k, &["settings", "card_payments", "decline_on"])? {
                    a.settings["card_payments"]["decline_on"][k] = json!(b);
                }
            }
        }
        for k in [
            "statement_descriptor_prefix",
            "statement_descriptor_prefix_kana",
            "statement_descriptor_prefix_kanji",
        ] {
            if let Some(v) = opt_str(cp, k, &path)? {
                a.settings["card_payments"][k] = if v.is_empty() { Value::Null } else { json!(v) };
            }
        }
    }
    if let Some(payouts) = hash(settings, "payouts", &["settings"])? {
        let path = ["settings", "payouts"];
        if let Some(b) = opt_bool(payouts, "debit_negative_balances", &path)? {
            a.settings["payouts"]["debit_negative_balances"] = json!(b);
        }
        if let Some(sd) = opt_str(payouts, "statement_descriptor", &path)? {
            a.settings["payouts"]["statement_descriptor"] = if sd.is_empty() {
                Value::Null
            } else {
                json!(sd)
            };
        }
        if let Some(schedule) = hash(payouts, "schedule", &path)? {
            let current = a.settings["payouts"]["schedule"].clone();
            a.settings["payouts"]["schedule"] =
                payout_schedule::apply(&current, schedule, &a.country, op)?;
        }
    }
    Ok(())
}

/// Creates the external account a Stripe test token stands for.
pub fn external_account_from_token(
    s: &mut Store,
    a: &Account,
    token: &str,
    param: &str,
) -> ApiResult<Value> {
    let bank = |s: &mut Store, status: &str, last4: &str| {
        let id = s.new_id("ba");
        let fp = s.token(16);
        json!({
            "account_holder_name": null,
            "account_holder_type": null,
            "account_type": null,
            "bank_name": "STRIPE TEST BANK",
            "country": a.country,
            "currency": a.default_currency,
            "customer": null,
            "fingerprint": fp,
            "id": id,
            "last4": last4,
            "metadata": {},
            "object": "bank_account",
            "routing_number": "110000000",
            "status": status,
        })
    };
    let card = |s: &mut Store, brand: &str, last4: &str| {
        let id = s.new_id("card");
        let fp = s.token(16);
        json!({
            "address_city": null, "address_country": null, "address_line1": null, "address_line1_check": null,
            "address_line2": null, "address_state": null, "address_zip": null, "address_zip_check": null,
            "brand": brand,
            "country": "US",
            "customer": null,
            "cvc_check": null,
            "dynamic_last4": null,
            "exp_month": 12,
            "exp_year": 2034,
            "fingerprint": fp,
            "funding": "debit",
            "id": id,
            "last4": last4,
            "metadata": {},
            "name": null,
            "object": "card",
            "tokenization_method": null,
            "regulated_status": null,
        })
    };
    Ok(match token {
        "btok_us_verified" | "btok_us" => bank(
            s,
            if token == "btok_us_verified" {
                "verified"
            } else {
                "new"
            },
            "6789",
        ),
        "btok_us_verified_noAccount" | "btok_us_verified_closed" => bank(s, "new", "1116"),
        "btok_gb" | "btok_de" | "btok_fr" | "btok_ie" | "btok_nl" => bank(s, "new", "2345"),
        "tok_visa_debit" | "tok_visa_debit_us_transferSuccess" => card(s, "Visa", "5556"),
        "tok_mastercard_debit" | "tok_mastercard_debit_transferSuccess" => {
            card(s, "MasterCard", "8210")
        }
        t if t.starts_with("btok_") => bank(s, "new", "6789"),
        t if t.starts_with("tok_") && t.contains("debit") => card(s, "Visa", "5556"),
        t if t.starts_with("tok_") => return Err(ApiError::invalid_code(
            "invalid_card_type",
            "This card doesn't appear to be a debit card. External accounts must be debit cards.",
            Some(param),
        )),
        other => return Err(ApiError::no_such("token", other, param)),
    })
}

pub fn new_account(
    s: &mut Store,
    country: &str,
    controller: Controller,
    account_type: &str,
) -> Account {
    let id = s.new_id("acct");
    let seq = s.next_seq();
    Account {
        id,
        seq,
        created: s.now(),
        country: country.to_string(),
        default_currency: default_currency(country).to_string(),
        email: None,
        business_type: None,
        account_type: account_type.to_string(),
        controller,
        business_profile: default_business_profile(),
        metadata: Default::default(),
        settings: default_settings(country),
        tos_acceptance: json!({"date": null, "ip": null, "user_agent": null}),
        capabilities: Default::default(),
        external_accounts: vec![],
        collected: Default::default(),
        errors: Default::default(),
        extra_due: Default::default(),
        escalated: false,
        current_deadline: None,
        pending_verification: Default::default(),
        pending_until: None,
        future_due: Default::default(),
        future_deadline: None,
        rejected: None,
        details_submitted: false,
        v2: None,
        oauth_connected: false,
    }
}

pub async fn create(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_ACCOUNTS)?;
    let ty = opt_enum(&p, "type", &[], spec::POST_ACCOUNTS.one_of(&["type"]))?;
    let controller = match (hash(&p, "controller", &[])?, &ty) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "You cannot specify both `type` and `controller`.",
                Some("controller"),
            ))
        }
        (Some(c), None) => parse_controller(c)?,
        (None, Some(t)) => controller_for_type(t),
        (None, None) => controller_for_type("standard"),
    };
    let country = opt_nonempty(&p, "country", &[])?
        .unwrap_or_else(|| "US".into())
        .to_uppercase();
    if !COUNTRIES.contains(&country.as_str()) {
        return Err(ApiError::invalid(
            format!("Country '{country}' is unknown or not supported."),
            Some("country"),
        ));
    }
    let account_type = ty
        .clone()
        .unwrap_or_else(|| account_type_for(&controller).to_string());
    if account_type == "custom" && hash(&p, "capabilities", &[])?.is_none() {
        return Err(ApiError::missing("capabilities"));
    }
    let expand_paths = params::expand_list(&p)?;
    let req = ctx.req.clone();
    let out = app
        .write(move |s| {
            let mut a = new_account(s, &country, controller, &account_type);
            apply_common(s, &mut a, &p, &spec::POST_ACCOUNTS, &req)?;
            let id = a.id.clone();
            s.accounts.insert(id.clone(), a);
            let a = s.accounts[&id].clone();
            Ok(render(s, &a))
        })
        .await?;
    Ok(Json(app.read(|s| expand(s, out, &expand_paths, None))))
}

pub async fn retrieve(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_ACCOUNT)?;
    let paths = params::expand_list(&ctx.params)?;
    app.read(|s| {
        let a = s.account(&id)?;
        Ok(Json(expand(s, render(s, a), &paths, None)))
    })
}

/// `GET /v1/account`: the account named by `Stripe-Account` (or the platform's own, which the
/// emulator does not model).
pub async fn retrieve_current(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_CURRENT_ACCOUNT)?;
    let Some(id) = ctx.account.clone() else {
        return Err(ApiError::invalid(
            "The offline Stripe emulator has no platform account object; pass a Stripe-Account header.",
            None,
        ));
    };
    retrieve(State(app), Path(id), ctx).await
}

pub async fn update(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_ACCOUNT)?;
    let paths = params::expand_list(&p)?;
    let req = ctx.req.clone();
    let out = app
        .write(move |s| {
            let mut a = s.account(&id)?.clone();
            let before = render(s, &a);
            apply_common(s, &mut a, &p, &spec::POST_ACCOUNT, &req)?;
            s.accounts.insert(id.clone(), a);
            emit_changes(s, &id, &before, &req);
            let a = s.accounts[&id].clone();
            Ok(render(s, &a))
        })
        .await?;
    Ok(Json(app.read(|s| expand(s, out, &paths, None))))
}

pub async fn list(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_ACCOUNTS)?;
    app.read(|s| {
        let mut accts: Vec<&Account> = s.accounts.values().collect();
        accts.sort_by_key(|a| std::cmp::Reverse(a.seq));
        let items: Vec<Value> = accts.into_iter().map(|a| render(s, a)).collect();
        Ok(Json(paginate(s, items, &ctx.params, "/v1/accounts")?))
    })
}

pub async fn delete(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::DELETE_ACCOUNT)?;
    app.write(move |s| {
        let a = s.account(&id)?.clone();
        if a.controller.losses_payments != "application" && a.controller.dashboard == "full" && !a.oauth_connected {
            // Stripe: accounts where Stripe is liable and the user has full dashboard access can't be deleted by
            // the platform once they can process payments.
            let r = render(s, &a);
            if r["charges_enabled"] == json!(true) {
                return Err(ApiError::invalid(
                    "This account can only be deleted by its owner because it has access to the Stripe Dashboard.",
                    None,
                ));
            }
        }
        s.accounts.remove(&id);
        s.account_links.retain(|_, l| l.account != id);
        s.account_sessions.retain(|_, l| l.account != id);
        Ok(Json(json!({"deleted": true, "id": id, "object": "account"})))
    })
    .await
}

pub async fn reject(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_ACCOUNT_REJECT)?;
    let reason = opt_enum(
        &p,
        "reason",
        &[],
        spec::POST_ACCOUNT_REJECT.one_of(&["reason"]),
    )?
    .ok_or_else(|| ApiError::missing("reason"))?;
    // The account's `requirements.disabled_reason` then reads `rejected.<reason>`; Stripe's enum
    // for it (OpenAPI `account_requirements.disabled_reason`) has `rejected.fraud`,
    // `rejected.terms_of_service` and `rejected.other`, so the finer request reasons fold into them.
    let reason = match reason.as_str() {
        r if r.starts_with("fraud_") => "fraud".to_string(),
        "credit" => "other".to_string(),
        _ => reason,
    };
    let req = ctx.req.clone();
    app.write(move |s| reject_account(s, &id, &reason, &req).map(Json))
        .await
}

pub fn reject_account(
    s: &mut Store,
    id: &str,
    reason: &str,
    req: &RequestInfo,
) -> ApiResult<Value> {
    let a = s.account(id)?.clone();
    if a.controller.losses_payments != "application" {
        return Err(ApiError::invalid(
            "You can only reject accounts where your platform is liable for negative balances.",
            Some("account"),
        ));
    }
    let before = render(s, &a);
    s.account_mut(id)?.rejected = Some(reason.to_string());
    emit_changes(s, id, &before, req);
    let a = s.accounts[id].clone();
    Ok(render(s, &a))
}

// ---- capabilities ----

pub async fn list_capabilities(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_CAPABILITIES)?;
    app.read(|s| {
        let a = s.account(&id)?;
        let data: Vec<Value> = a.capabilities.keys().map(|c| capability_json(s, a, c)).collect();
        Ok(Json(json!({"object": "list", "data": data, "has_more": false, "url": format!("/v1/accounts/{id}/capabilities")})))
    })
}

pub async fn retrieve_capability(
    State(app): State<SharedApp>,
    Path((id, cap)): Path<(String, String)>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_CAPABILITY)?;
    let paths = params::expand_list(&ctx.params)?;
    app.read(|s| {
        let a = s.account(&id)?;
        if !a.capabilities.contains_key(&cap) {
            return Err(ApiError::no_such("capability", &cap, "capability"));
        }
        Ok(Json(expand(s, capability_json(s, a, &cap), &paths, None)))
    })
}

pub async fn update_capability(
    State(app): State<SharedApp>,
    Path((id, cap)): Path<(String, String)>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_CAPABILITY)?;
    if !CAPABILITIES.contains(&cap.as_str()) {
        return Err(ApiError::no_such("capability", &cap, "capability"));
    }
    let req = ctx.req.clone();
    app.write(move |s| {
        let mut a = s.account(&id)?.clone();
        let before = render(s, &a);
        if let Some(requested) = opt_bool(&p, "requested", &[])? {
            set_requested(s.now(), &mut a, &cap, requested);
        } else if !a.capabilities.contains_key(&cap) {
            return Err(ApiError::no_such("capability", &cap, "capability"));
        }
        s.accounts.insert(id.clone(), a);
        emit_changes(s, &id, &before, &req);
        let a = s.accounts[&id].clone();
        Ok(Json(capability_json(s, &a, &cap)))
    })
    .await
}

// ---- external accounts ----

pub async fn create_external_account(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_EXTERNAL_ACCOUNTS)?;
    let token = opt_nonempty(&p, "external_account", &[])?
        .ok_or_else(|| ApiError::missing("external_account"))?;
    let req = ctx.req.clone();
    app.write(move |s| {
        let mut a = s.account(&id)?.clone();
        let before = render(s, &a);
        let mut ext = external_account_from_token(s, &a, &token, "external_account")?;
        let mut meta = Default::default();
        params::apply_metadata(&mut meta, &p)?;
        ext["metadata"] = json!(meta);
        if opt_bool(&p, "default_for_currency", &[])? == Some(true) {
            // The default external account is kept first.
            a.external_accounts.insert(0, ext.clone());
        } else {
            a.external_accounts.push(ext.clone());
        }
        s.accounts.insert(id.clone(), a);
        s.emit(
            "account.external_account.created",
            Some(&id),
            ext.clone(),
            None,
            &req,
        );
        emit_changes(s, &id, &before, &req);
        Ok(Json(ext))
    })
    .await
}

pub async fn list_external_accounts(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_EXTERNAL_ACCOUNTS)?;
    let object = opt_enum(
        &ctx.params,
        "object",
        &[],
        spec::GET_EXTERNAL_ACCOUNTS.one_of(&["object"]),
    )?;
    app.read(|s| {
        let a = s.account(&id)?;
        let items: Vec<Value> = a
            .external_accounts
            .iter()
            .rev()
            .filter(|e| {
                object
                    .as_ref()
                    .map(|o| e["object"] == json!(o))
                    .unwrap_or(true)
            })
            .cloned()
            .collect();
        let mut p = ctx.params.clone();
        if let Some(m) = p.as_object_mut() {
            m.remove("object");
        }
        Ok(Json(paginate(
            s,
            items,
            &p,
            &format!("/v1/accounts/{id}/external_accounts"),
        )?))
    })
}

pub async fn retrieve_external_account(
    State(app): State<SharedApp>,
    Path((id, ext)): Path<(String, String)>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_EXTERNAL_ACCOUNT)?;
    app.read(|s| {
        let a = s.account(&id)?;
        a.external_accounts
            .iter()
            .find(|e| e["id"] == json!(ext))
            .cloned()
            .map(Json)
            .ok_or_else(|| ApiError::no_such("external account", &ext, "id"))
    })
}

pub async fn delete_external_account(
    State(app): State<SharedApp>,
    Path((id, ext)): Path<(String, String)>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::DELETE_EXTERNAL_ACCOUNT)?;
    let req = ctx.req.clone();
    app.write(move |s| {
        let mut a = s.account(&id)?.clone();
        let before = render(s, &a);
        let pos = a
            .external_accounts
            .iter()
            .position(|e| e["id"] == json!(ext))
            .ok_or_else(|| ApiError::no_such("external account", &ext, "id"))?;
        if pos == 0 && a.external_accounts.len() > 1 {
            return Err(ApiError::invalid(
                "You cannot delete the default external account for your default currency. Please make another external account the default using the `default_for_currency` param, and then delete this one.",
                None,
            ));
        }
        let removed = a.external_accounts.remove(pos);
        s.accounts.insert(id.clone(), a);
        s.emit("account.external_account.deleted", Some(&id), removed.clone(), None, &req);
        emit_changes(s, &id, &before, &req);
        Ok(Json(json!({"deleted": true, "id": ext, "object": removed["object"]})))
    })
    .await
}

// ---- login links ----

pub async fn create_login_link(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::POST_LOGIN_LINKS)?;
    let base = app.base_url.clone();
    app.write(move |s| {
        let a = s.account(&id)?.clone();
        if a.controller.dashboard != "express" {
            return Err(ApiError::invalid(
                "Cannot create a login link for an account that is not an Express account (its `controller.stripe_dashboard.type` must be `express`).",
                Some("account"),
            ));
        }
        let token = s.token(12);
        let now = s.now();
        s.login_links.insert(
            token.clone(),
            crate::state::LoginLink { token: token.clone(), account: id.clone(), created: now, expires_at: now + 300 },
        );
        Ok(Json(json!({"created": now, "object": "login_link", "url": format!("{base}/express/{id}/{token}")})))
    })
    .await
}
