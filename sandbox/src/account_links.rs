//! Account Links (v1) and the hosted pages they open: the onboarding form and the Express dashboard
//! behind login links. Links are single-use and expire; a revisit or an expired link goes to `refresh_url`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde_json::{json, Value};

use crate::accounts::{emit_changes, external_account_from_token, render};
use crate::api::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::html::{esc, page};
use crate::params::{hash, opt_enum, opt_nonempty, req_str};
use crate::requirements::{self, label};
use crate::spec;
use crate::state::{AccountLink, RequestInfo, SharedApp, State as Store};

/// Form sessions outlive the link itself (the link is consumed when the form is first shown).
const FORM_TTL: i64 = 3600;

pub fn check_url(url: &str, param: &str) -> ApiResult<()> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(ApiError::invalid_code(
            "url_invalid",
            "Not a valid URL",
            Some(param),
        ))
    }
}

#[allow(clippy::too_many_arguments)]
pub fn create_link(
    s: &mut Store,
    base: &str,
    ttl: i64,
    account: &str,
    kind: &str,
    refresh_url: &str,
    return_url: &str,
    fields: &str,
    future: &str,
    v2: bool,
) -> ApiResult<AccountLink> {
    let acct = s.account(account)?.clone();
    if kind == "account_update" && acct.controller.requirement_collection != "application" {
        return Err(ApiError::invalid(
            "You cannot create `account_update` type Account Links for this account: the platform must be responsible for collecting requirements (`controller.requirement_collection=application`). Use embedded components instead.",
            Some("type"),
        ));
    }
    let token = s.token(12);
    let now = s.now();
    let link = AccountLink {
        token: token.clone(),
        account: account.to_string(),
        kind: kind.to_string(),
        refresh_url: refresh_url.to_string(),
        return_url: return_url.to_string(),
        fields: fields.to_string(),
        future_requirements: future.to_string(),
        created: now,
        expires_at: now + ttl,
        visited: false,
        form_token: None,
        completed: false,
        v2,
    };
    let _ = base;
    s.account_links.insert(token, link.clone());
    Ok(link)
}

pub fn link_url(base: &str, link: &AccountLink) -> String {
    format!("{base}/setup/s/{}/{}", link.account, link.token)
}

pub async fn create(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    let op = &spec::POST_ACCOUNT_LINKS;
    spec::check(&p, op)?;
    let account = req_str(&p, "account", &[])?;
    let kind = opt_enum(&p, "type", &[], op.one_of(&["type"]))?
        .ok_or_else(|| ApiError::missing("type"))?;
    // Both optional (OpenAPI `PostAccountLinks`); "" stands for "none given".
    let refresh_url = opt_nonempty(&p, "refresh_url", &[])?.unwrap_or_default();
    let return_url = opt_nonempty(&p, "return_url", &[])?.unwrap_or_default();
    for (url, name) in [(&refresh_url, "refresh_url"), (&return_url, "return_url")] {
        if !url.is_empty() {
            check_url(url, name)?;
        }
    }
    let collect = opt_enum(&p, "collect", &[], op.one_of(&["collect"]))?;
    let (mut fields, mut future) = ("currently_due".to_string(), "omit".to_string());
    if let Some(co) = hash(&p, "collection_options", &[])? {
        if collect.is_some() {
            return Err(ApiError::invalid(
                "You cannot specify both `collect` and `collection_options`.",
                Some("collect"),
            ));
        }
        if let Some(f) = opt_enum(
            co,
            "fields",
            &["collection_options"],
            op.one_of(&["collection_options", "fields"]),
        )? {
            fields = f;
        }
        if let Some(f) = opt_enum(
            co,
            "future_requirements",
            &["collection_options"],
            op.one_of(&["collection_options", "future_requirements"]),
        )? {
            future = f;
        }
    }
    if let Some(c) = collect {
        fields = c;
    }
    let base = app.base_url.clone();
    let ttl = app.config.link_ttl_secs;
    app.write(move |s| {
        let link = create_link(s, &base, ttl, &account, &kind, &refresh_url, &return_url, &fields, &future, false)?;
        Ok(Json(json!({"created": link.created, "expires_at": link.expires_at, "object": "account_link", "url": link_url(&base, &link)})))
    })
    .await
}

/// To the link's `refresh_url`; without one (optional in OpenAPI `PostAccountLinks`), the page
/// that says the link is no longer valid.
fn redirect(to: &str) -> Response {
    if to.is_empty() {
        return not_found_page();
    }
    Redirect::to(to).into_response()
}

/// To the link's `return_url`; without one (optional in OpenAPI `PostAccountLinks` and
/// `PostV2CoreAccountLinks`), a page that says the details were sent.
fn return_to(url: &str) -> Response {
    if url.is_empty() {
        return page(
            "Details submitted",
            "<h1>Thank you</h1><p>Your details were sent. You can close this page.</p>",
        )
        .into_response();
    }
    Redirect::to(url).into_response()
}

fn not_found_page() -> Response {
    (
        axum::http::StatusCode::NOT_FOUND,
        page(
            "Link not found",
            "<h1>This link is not valid</h1><p>Ask the platform for a new link.</p>",
        ),
    )
        .into_response()
}

/// Fields the form asks for, in order, per the link's collection options.
pub(crate) fn form_fields(s: &Store, link: &AccountLink) -> Option<Vec<String>> {
    let a = s.accounts.get(&link.account)?;
    let reqs = requirements::compute(a, s.now());
    let mut fields: Vec<String> = if link.kind == "account_update" {
        let mut all: Vec<String> = requirements::needed_fields(a)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        for f in reqs.eventually_due.iter() {
            if !all.contains(f) {
                all.push(f.clone());
            }
        }
        all
    } else if link.fields == "eventually_due" {
        reqs.eventually_due.clone()
    } else {
        reqs.currently_due.clone()
    };
    if link.future_requirements == "include" {
        for f in &a.future_due {
            if !fields.contains(f) && !a.collected.contains_key(f) {
                fields.push(f.clone());
            }
        }
    }
    Some(fields)
}

pub(crate) fn default_value(field: &str) -> &'static str {
    let last = field.rsplit('.').next().unwrap_or(field);
    match last {
        "first_name" => "Jenny",
        "last_name" => "Rosen",
        "email" => "jenny.rosen@example.com",
        "phone" => "000-000-0000",
        "ssn_last_4" => "0000",
        "id_number" => "000000000",
        "line1" => "address_full_match",
        "city" => "San Francisco",
        "state" => "CA",
        "postal_code" => "94103",
        "url" => "https://accessible.stripe.com",
        "product_description" => "Software for teams",
        "name" => "Rocket Rides",
        "tax_id" => "000000000",
        "title" => "CEO",
        _ => "",
    }
}

fn field_input(field: &str, current: Option<&String>, done_dob: &mut Vec<String>) -> String {
    let id = format!("f-{}", field.replace('.', "-"));
    if field.contains(".dob.") {
        let prefix = field.split(".dob.").next().unwrap_or_default().to_string();
        if done_dob.contains(&prefix) {
            return String::new();
        }
        done_dob.push(prefix.clone());
        return format!(
            "<label for=\"dob-{p}\">{l}</label><input id=\"dob-{p}\" name=\"dob:{p}\" type=\"date\" value=\"1901-01-01\" required>\
<p class=\"hint\">Test value 1901-01-01 verifies; 1900-01-01 fails verification.</p>",
            p = esc(&prefix),
            l = esc(&label(&format!("{prefix}.dob")))
        );
    }
    match field {
        "external_account" => "<label for=\"f-external_account\">Bank account for payouts</label>\
<select id=\"f-external_account\" name=\"external_account\">\
<option value=\"btok_us_verified\">STRIPE TEST BANK ••••6789 (btok_us_verified)</option>\
<option value=\"btok_us_verified_noAccount\">Test account whose payouts fail ••••1116</option>\
<option value=\"tok_visa_debit\">Visa debit card ••••5556 (tok_visa_debit)</option></select>"
            .to_string(),
        "tos_acceptance.date" => "<p><label><input type=\"checkbox\" name=\"tos\" value=\"accepted\" checked style=\"width:auto\"> I agree to the Stripe Connected Account Agreement</label></p>".to_string(),
        "tos_acceptance.ip" => String::new(),
        "business_type" => "<label for=\"f-business_type\">Type of business</label><select id=\"f-business_type\" name=\"business_type\">\
<option value=\"individual\">Individual / sole proprietor</option><option value=\"company\">Company</option><option value=\"non_profit\">Non-profit</option></select>".to_string(),
        "business_profile.mcc" => "<label for=\"f-business_profile-mcc\">Industry</label><select id=\"f-business_profile-mcc\" name=\"field:business_profile.mcc\">\
<option value=\"5734\">Software (5734)</option><option value=\"5812\">Restaurants (5812)</option><option value=\"7299\">Other services (7299)</option><option value=\"8299\">Education (8299)</option></select>".to_string(),
        f if f.ends_with("document") => format!(
            "<label for=\"{id}\">{l}</label><select id=\"{id}\" name=\"field:{f}\"><option value=\"file_identity_document_success\">Test document that verifies</option>\
<option value=\"file_identity_document_failure\">Test document that fails verification</option></select>",
            id = esc(&id), l = esc(&label(f)), f = esc(f)
        ),
        f if f.ends_with("_provided") => format!(
            "<p><label><input type=\"checkbox\" name=\"field:{f}\" value=\"true\" checked style=\"width:auto\"> {l}</label></p>",
            f = esc(f), l = esc(&label(f))
        ),
        f => {
            let value = current.map(|s| s.as_str()).unwrap_or_else(|| default_value(f));
            let ty = if f.ends_with("email") { "email" } else if f.ends_with("phone") { "tel" } else { "text" };
            let mut html = format!(
                "<label for=\"{id}\">{l}</label><input id=\"{id}\" name=\"field:{f}\" type=\"{ty}\" value=\"{v}\" required>",
                id = esc(&id), l = esc(&label(f)), f = esc(f), v = esc(value)
            );
            if f.ends_with("phone") {
                html.push_str("<p class=\"hint\">Test phone number 000-000-0000.</p>");
            }
            if f.ends_with("id_number") {
                html.push_str("<p class=\"hint\">000000000 verifies; 111111111 fails identity verification.</p>");
            }
            if f.ends_with("address.line1") {
                html.push_str("<p class=\"hint\">address_full_match verifies; address_no_match fails.</p>");
            }
            html
        }
    }
}

fn render_form(s: &Store, link: &AccountLink, form_token: &str, error: Option<&str>) -> Response {
    let Some(a) = s.accounts.get(&link.account) else {
        return not_found_page();
    };
    let fields = form_fields(s, link).unwrap_or_default();
    let reqs = requirements::compute(a, s.now());
    let mut body = String::new();
    let title = if link.kind == "account_update" {
        "Update your account details"
    } else {
        "Set up payments"
    };
    body.push_str(&format!("<h1>{}</h1>", esc(title)));
    body.push_str(&format!(
        "<p>Account <code>{}</code>{} — {}</p>",
        esc(&a.id),
        a.email
            .as_ref()
            .map(|e| format!(" ({})", esc(e)))
            .unwrap_or_default(),
        if link.fields == "eventually_due" {
            "collecting everything Stripe will need (eventually due)"
        } else {
            "collecting what is needed now (currently due)"
        }
    ));
    if let Some(e) = error {
        body.push_str(&format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)));
    }
    if !reqs.errors.is_empty() {
        body.push_str("<div role=\"alert\"><p class=\"error\">Some information could not be verified:</p><ul>");
        for e in &reqs.errors {
            body.push_str(&format!(
                "<li class=\"error\">{}: {}</li>",
                esc(&label(e["requirement"].as_str().unwrap_or_default())),
                esc(e["reason"].as_str().unwrap_or_default())
            ));
        }
        body.push_str("</ul></div>");
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"/setup/s/{}/{}\">",
        esc(&link.account),
        esc(&link.token)
    ));
    body.push_str(&format!(
        "<input type=\"hidden\" name=\"form_token\" value=\"{}\">",
        esc(form_token)
    ));
    if fields.is_empty() {
        body.push_str("<p>Nothing is due right now. You can submit to confirm your details.</p>");
    }
    let mut done_dob = Vec::new();
    let mut asks_phone = false;
    body.push_str("<fieldset><legend>Your details</legend>");
    for f in &fields {
        asks_phone |= f.ends_with("phone");
        body.push_str(&field_input(f, a.collected.get(f), &mut done_dob));
    }
    body.push_str("</fieldset>");
    if asks_phone {
        body.push_str("<label for=\"sms-code\">Verification code sent by SMS</label><input id=\"sms-code\" name=\"sms_code\" value=\"000-000\" required>\
<p class=\"hint\">Test code 000-000.</p>");
    }
    body.push_str(
        "<fieldset><legend>Testing</legend><p><label><input type=\"checkbox\" name=\"simulate_failure\" value=\"1\" style=\"width:auto\"> \
Submit failing test data (date of birth 1900-01-01, ID number 111111111, address address_no_match) to produce verification errors</label></p></fieldset>",
    );
    body.push_str(
        "<button type=\"submit\" name=\"action\" value=\"submit\">Submit</button>\
<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\" formnovalidate>Save for later</button></form>",
    );
    page(title, &body).into_response()
}

pub async fn visit(
    State(app): State<SharedApp>,
    Path((account, token)): Path<(String, String)>,
) -> Response {
    let outcome = app
        .write(move |s| {
            let now = s.now();
            let Some(link) = s
                .account_links
                .get(&token)
                .cloned()
                .filter(|l| l.account == account)
            else {
                return Ok(Err(None));
            };
            if link.visited
                || link.completed
                || now >= link.expires_at
                || !s.accounts.contains_key(&account)
            {
                return Ok(Err(Some(link.refresh_url)));
            }
            let form_token = s.token(24);
            let l = s.account_links.get_mut(&token).expect("link");
            l.visited = true;
            l.form_token = Some(form_token.clone());
            Ok(Ok((link, form_token)))
        })
        .await;
    match outcome {
        Ok(Ok((link, form_token))) => app.read(|s| render_form(s, &link, &form_token, None)),
        Ok(Err(Some(refresh))) => redirect(&refresh),
        Ok(Err(None)) => not_found_page(),
        Err(e) => e.into_response(),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Applies a submitted onboarding form to the account.
/// "Save for later": keeps what was typed (valid values only), without submitting the details, accepting
/// the terms or adding a bank account; requirements not provided stay due.
fn save_progress(
    s: &mut Store,
    link: &AccountLink,
    form: &BTreeMap<String, String>,
    req: &RequestInfo,
) -> ApiResult<()> {
    let mut a = s.account(&link.account)?.clone();
    let before = render(s, &a);
    let collected_before = a.collected.clone();
    let external_before = a.external_accounts.len();
    for (name, value) in form {
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        if let Some(field) = name.strip_prefix("field:") {
            if (field.ends_with("phone") && digits(&value).len() < 10)
                || (field.ends_with("email") && !value.contains('@'))
            {
                continue;
            }
            if let Some(k) = field.strip_prefix("business_profile.") {
                a.business_profile[k] = json!(value);
            }
            a.collected.insert(field.to_string(), value);
        } else if let Some(prefix) = name.strip_prefix("dob:") {
            let parts: Vec<&str> = value.split('-').collect();
            if parts.len() == 3 && parts.iter().all(|p| p.parse::<u32>().is_ok()) {
                for (part, v) in ["year", "month", "day"].iter().zip(parts) {
                    a.collected.insert(
                        format!("{prefix}.dob.{part}"),
                        v.trim_start_matches('0').to_string(),
                    );
                }
            }
        }
    }
    if let Some(bt) = form.get("business_type") {
        if ["individual", "company", "non_profit"].contains(&bt.as_str()) {
            a.business_type = Some(bt.clone());
        }
    }
    let (now, secs) = (s.now(), s.verification_secs);
    requirements::after_submission(&mut a, &collected_before, external_before, now, secs);
    let id = a.id.clone();
    s.accounts.insert(id.clone(), a);
    emit_changes(s, &id, &before, req);
    Ok(())
}

pub(crate) fn apply_form(
    s: &mut Store,
    link: &AccountLink,
    form: &BTreeMap<String, String>,
    req: &RequestInfo,
) -> ApiResult<Result<(), String>> {
    let fail = form.get("simulate_failure").is_some();
    let mut a = s.account(&link.account)?.clone();
    let before = render(s, &a);
    let collected_before = a.collected.clone();
    let external_before = a.external_accounts.len();
    for (name, value) in form {
        let value = value.trim().to_string();
        if let Some(field) = name.strip_prefix("field:") {
            if value.is_empty() {
                continue;
            }
            if field.ends_with("phone") && digits(&value).len() < 10 {
                return Ok(Err(format!(
                    "{} must be a phone number (use 000-000-0000).",
                    label(field)
                )));
            }
            if field.ends_with("email") && !value.contains('@') {
                return Ok(Err(format!("{} must be an email address.", label(field))));
            }
            let value = if fail && field.ends_with("id_number") {
                "111111111".to_string()
            } else if fail && field.ends_with("address.line1") {
                "address_no_match".to_string()
            } else {
                value
            };
            if let Some(k) = field.strip_prefix("business_profile.") {
                a.business_profile[k] = json!(value);
            }
            a.collected.insert(field.to_string(), value);
        } else if let Some(prefix) = name.strip_prefix("dob:") {
            let date = if fail {
                "1900-01-01".to_string()
            } else {
                value.clone()
            };
            let parts: Vec<&str> = date.split('-').collect();
            if parts.len() != 3 || parts.iter().any(|p| p.parse::<u32>().is_err()) {
                return Ok(Err("Enter a date of birth.".into()));
            }
            a.collected.insert(
                format!("{prefix}.dob.year"),
                parts[0].trim_start_matches('0').to_string(),
            );
            a.collected.insert(
                format!("{prefix}.dob.month"),
                parts[1].trim_start_matches('0').to_string(),
            );
            a.collected.insert(
                format!("{prefix}.dob.day"),
                parts[2].trim_start_matches('0').to_string(),
            );
        }
    }
    if form.keys().any(|k| k.ends_with("phone")) || form.contains_key("sms_code") {
        let code = digits(form.get("sms_code").map(String::as_str).unwrap_or_default());
        if code != "000000" {
            return Ok(Err(
                "The SMS verification code is not correct (the test code is 000-000).".into(),
            ));
        }
    }
    if let Some(bt) = form.get("business_type") {
        if ["individual", "company", "non_profit"].contains(&bt.as_str()) {
            a.business_type = Some(bt.clone());
        }
    }
    if form.get("tos").map(String::as_str) == Some("accepted") {
        let now = s.now();
        a.tos_acceptance["date"] = json!(now);
        a.tos_acceptance["ip"] = json!("127.0.0.1");
        a.tos_acceptance["user_agent"] = json!("offline-stripe-emulator hosted onboarding");
        a.collected
            .insert("tos_acceptance.date".into(), now.to_string());
        a.collected
            .insert("tos_acceptance.ip".into(), "127.0.0.1".into());
    }
    if let Some(token) = form.get("external_account").filter(|t| !t.is_empty()) {
        let ext = external_account_from_token(s, &a, token, "external_account")?;
        a.external_accounts.push(ext.clone());
        s.emit(
            "account.external_account.created",
            Some(&a.id),
            ext,
            None,
            req,
        );
    }
    a.details_submitted = true;
    let (now, secs) = (s.now(), s.verification_secs);
    requirements::after_submission(&mut a, &collected_before, external_before, now, secs);
    let id = a.id.clone();
    s.accounts.insert(id.clone(), a);
    emit_changes(s, &id, &before, req);
    Ok(Ok(()))
}

pub async fn submit(
    State(app): State<SharedApp>,
    Path((account, token)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let outcome = app
        .write(move |s| {
            let now = s.now();
            let Some(link) = s.account_links.get(&token).cloned().filter(|l| l.account == account) else {
                return Ok(Err(None));
            };
            let token_ok = link.form_token.is_some() && link.form_token.as_deref() == form.get("form_token").map(String::as_str);
            if !token_ok || link.completed || now >= link.created + FORM_TTL {
                return Ok(Err(Some(link.refresh_url)));
            }
            if form.get("action").map(String::as_str) == Some("save") {
                save_progress(s, &link, &form, &RequestInfo::default())?;
                s.account_links.get_mut(&token).expect("link").completed = true;
                return Ok(Ok(Ok(link)));
            }
            let req = RequestInfo::default();
            match apply_form(s, &link, &form, &req)? {
                Ok(()) => {
                    s.account_links.get_mut(&token).expect("link").completed = true;
                    if link.v2 {
                        let url = format!("/v2/core/accounts/{}", link.account);
                        s.emit_thin(
                            "v2.core.account_link.returned",
                            Some(&link.account),
                            Some(("v2.core.account", &link.account, &url)),
                            Some(json!({"account_id": link.account, "configurations": ["merchant"], "use_case": if link.kind == "account_update" {"account_update"} else {"account_onboarding"}})),
                            &req,
                        );
                    }
                    Ok(Ok(Ok(link)))
                }
                Err(msg) => Ok(Ok(Err((link, form.get("form_token").cloned().unwrap_or_default(), msg)))),
            }
        })
        .await;
    match outcome {
        Ok(Ok(Ok(link))) => return_to(&link.return_url),
        Ok(Ok(Err((link, form_token, msg)))) => app.read(|s| {
            let mut r = render_form(s, &link, &form_token, Some(&msg));
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        }),
        Ok(Err(Some(refresh))) => redirect(&refresh),
        Ok(Err(None)) => not_found_page(),
        Err(e) => e.into_response(),
    }
}

/// The Express dashboard page a login link opens (single use, short-lived).
pub async fn express_dashboard(
    State(app): State<SharedApp>,
    Path((account, token)): Path<(String, String)>,
) -> Response {
    let ok = app
        .write(move |s| {
            let now = s.now();
            match s.login_links.get(&token) {
                Some(l) if l.account == account && now < l.expires_at => {
                    s.login_links.remove(&token);
                    Ok(Some(account))
                }
                _ => Ok(None),
            }
        })
        .await;
    let Ok(Some(account)) = ok else {
        return (axum::http::StatusCode::NOT_FOUND, page("Link expired", "<h1>This login link has expired</h1><p>Return to the platform and open the dashboard again.</p>")).into_response();
    };
    app.read(|s| {
        let Some(a) = s.accounts.get(&account) else { return not_found_page() };
        let r = render(s, a);
        let bal = crate::payments::balance(s, Some(&account));
        let mut body = format!("<h1>Express Dashboard</h1><p>Account <code>{}</code> {}</p>", esc(&a.id), esc(a.email.as_deref().unwrap_or("")));
        body.push_str(&format!(
            "<h2>Status</h2><table><tbody><tr><th scope=\"row\">Payments</th><td>{}</td></tr><tr><th scope=\"row\">Payouts</th><td>{}</td></tr><tr><th scope=\"row\">Information due</th><td>{}</td></tr></tbody></table>",
            if r["charges_enabled"] == json!(true) { "Enabled" } else { "Disabled" },
            if r["payouts_enabled"] == json!(true) { "Enabled" } else { "Disabled" },
            esc(&r["requirements"]["currently_due"].as_array().map(|v| v.len()).unwrap_or(0).to_string())
        ));
        body.push_str("<h2>Balance</h2><table><tbody>");
        for (kind, list) in [("Available", &bal["available"]), ("Pending", &bal["pending"])] {
            for b in list.as_array().into_iter().flatten() {
                body.push_str(&format!(
                    "<tr><th scope=\"row\">{kind}</th><td>{} {}</td></tr>",
                    esc(&crate::html_money(b["amount"].as_i64().unwrap_or(0))),
                    esc(&b["currency"].as_str().unwrap_or("").to_uppercase())
                ));
            }
        }
        body.push_str("</tbody></table><h2>Recent payouts</h2><table><thead><tr><th>Payout</th><th>Amount</th><th>Status</th></tr></thead><tbody>");
        for p in s.objs("payout", Some(&account)).into_iter().take(10) {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(p.value["id"].as_str().unwrap_or("")),
                esc(&crate::html_money(p.value["amount"].as_i64().unwrap_or(0))),
                esc(p.value["status"].as_str().unwrap_or(""))
            ));
        }
        body.push_str("</tbody></table>");
        page("Express Dashboard", &body).into_response()
    })
}
