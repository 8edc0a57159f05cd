//! Requirements derived from an account's country, business type and requested capabilities, the
//! information collected so far, and what the control API added — Stripe's `requirements` hash.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::state::{Account, RequirementError};

/// Every capability name Stripe accepts in `capabilities[...]`.
pub const CAPABILITIES: &[&str] = &[
    "acss_debit_payments",
    "affirm_payments",
    "afterpay_clearpay_payments",
    "alma_payments",
    "amazon_pay_payments",
    "au_becs_debit_payments",
    "bacs_debit_payments",
    "bancontact_payments",
    "bank_transfer_payments",
    "billie_payments",
    "blik_payments",
    "boleto_payments",
    "card_issuing",
    "card_payments",
    "cartes_bancaires_payments",
    "cashapp_payments",
    "crypto_payments",
    "eps_payments",
    "fpx_payments",
    "gb_bank_transfer_payments",
    "giropay_payments",
    "grabpay_payments",
    "ideal_payments",
    "india_international_payments",
    "jcb_payments",
    "jp_bank_transfer_payments",
    "kakao_pay_payments",
    "klarna_payments",
    "konbini_payments",
    "kr_card_payments",
    "legacy_payments",
    "link_payments",
    "mb_way_payments",
    "mobilepay_payments",
    "multibanco_payments",
    "mx_bank_transfer_payments",
    "naver_pay_payments",
    "nz_bank_account_becs_debit_payments",
    "oxxo_payments",
    "p24_payments",
    "pay_by_bank_payments",
    "payco_payments",
    "paynow_payments",
    "paypay_payments",
    "payto_payments",
    "pix_payments",
    "promptpay_payments",
    "revolut_pay_payments",
    "samsung_pay_payments",
    "satispay_payments",
    "sepa_bank_transfer_payments",
    "sepa_debit_payments",
    "sofort_payments",
    "swish_payments",
    "tax_reporting_us_1099_k",
    "tax_reporting_us_1099_misc",
    "transfers",
    "treasury",
    "twint_payments",
    "us_bank_account_ach_payments",
    "us_bank_transfer_payments",
    "zip_payments",
];

/// Capabilities of the v2 merchant configuration (`configuration.merchant.capabilities`), besides
/// `stripe_balance.payouts`.
pub const V2_MERCHANT_CAPABILITIES: &[&str] = &[
    "ach_debit_payments",
    "acss_debit_payments",
    "affirm_payments",
    "afterpay_clearpay_payments",
    "alma_payments",
    "amazon_pay_payments",
    "au_becs_debit_payments",
    "bacs_debit_payments",
    "bancontact_payments",
    "blik_payments",
    "boleto_payments",
    "card_payments",
    "cartes_bancaires_payments",
    "cashapp_payments",
    "eps_payments",
    "fpx_payments",
    "gb_bank_transfer_payments",
    "grabpay_payments",
    "ideal_payments",
    "jcb_payments",
    "jp_bank_transfer_payments",
    "kakao_pay_payments",
    "klarna_payments",
    "konbini_payments",
    "kr_card_payments",
    "link_payments",
    "mobilepay_payments",
    "multibanco_payments",
    "mx_bank_transfer_payments",
    "naver_pay_payments",
    "oxxo_payments",
    "p24_payments",
    "pay_by_bank_payments",
    "payco_payments",
    "paynow_payments",
    "promptpay_payments",
    "revolut_pay_payments",
    "samsung_pay_payments",
    "satispay_payments",
    "sepa_bank_transfer_payments",
    "sepa_debit_payments",
    "swish_payments",
    "twint_payments",
    "us_bank_transfer_payments",
    "zip_payments",
];

/// The v2 configuration and capability name of a v1 capability (`transfers` is the recipient's
/// `stripe_balance.stripe_transfers`; `us_bank_account_ach_payments` is the merchant's `ach_debit_payments`).
pub fn v2_capability(v1: &str) -> Option<(&'static str, &'static str)> {
    match v1 {
        "transfers" => Some(("recipient", "stripe_balance.stripe_transfers")),
        "us_bank_account_ach_payments" => Some(("merchant", "ach_debit_payments")),
        other => V2_MERCHANT_CAPABILITIES
            .iter()
            .find(|c| **c == other)
            .map(|c| ("merchant", *c)),
    }
}

/// The v1 capability behind a v2 one (the inverse of [`v2_capability`]).
pub fn v1_capability(configuration: &str, v2: &str) -> Option<&'static str> {
    match (configuration, v2) {
        ("recipient", "stripe_balance.stripe_transfers") => Some("transfers"),
        ("merchant", "ach_debit_payments") => Some("us_bank_account_ach_payments"),
        ("merchant", other) => CAPABILITIES.iter().find(|c| **c == other).copied(),
        _ => None,
    }
}

fn has_state(country: &str) -> bool {
    matches!(
        country,
        "US" | "CA" | "AU" | "MX" | "BR" | "IN" | "JP" | "MY"
    )
}

fn person_fields(prefix: &str, country: &str, out: &mut Vec<(String, bool)>) {
    let mut now = vec!["address.city", "address.line1", "address.postal_code"];
    if has_state(country) {
        now.push("address.state");
    }
    now.extend([
        "dob.day",
        "dob.month",
        "dob.year",
        "email",
        "first_name",
        "last_name",
        "phone",
    ]);
    if country == "US" {
        now.push("ssn_last_4");
    }
    for f in now {
        out.push((format!("{prefix}.{f}"), false));
    }
    if country == "US" {
        out.push((format!("{prefix}.id_number"), true));
    } else {
        out.push((format!("{prefix}.verification.document"), true));
    }
}

/// The fields Stripe asks for, each with `true` when only eventually due.
pub fn needed_fields(a: &Account) -> Vec<(String, bool)> {
    let requested: Vec<&str> = a
        .capabilities
        .iter()
        .filter(|(_, c)| c.requested)
        .map(|(k, _)| k.as_str())
        .collect();
    if requested.is_empty() {
        return Vec::new();
    }
    let payments = requested.iter().any(|c| c.ends_with("_payments"));
    let mut out: Vec<(String, bool)> = Vec::new();
    if payments {
        out.push(("business_profile.mcc".into(), false));
        out.push(("business_profile.url".into(), false));
    }
    match a.business_type.as_deref() {
        Some("individual") => person_fields("individual", &a.country, &mut out),
        Some("company") | Some("non_profit") | Some("government_entity") => {
            let mut now = vec![
                "company.address.city",
                "company.address.line1",
                "company.address.postal_code",
            ];
            if has_state(&a.country) {
                now.push("company.address.state");
            }
            now.extend(["company.name", "company.phone", "company.tax_id"]);
            for f in now {
                out.push((f.to_string(), false));
            }
            person_fields("representative", &a.country, &mut out);
            out.push(("representative.relationship.title".into(), false));
            out.push(("company.owners_provided".into(), true));
        }
        _ => {
            out.push(("business_type".into(), false));
            out.push(("representative.first_name".into(), false));
            out.push(("representative.last_name".into(), false));
        }
    }
    out.push(("external_account".into(), false));
    out.push(("tos_acceptance.date".into(), false));
    out.push(("tos_acceptance.ip".into(), false));
    out
}

/// Verification errors Stripe's test values trigger, plus errors set through the control API.
pub fn errors(a: &Account) -> BTreeMap<String, RequirementError> {
    let mut out = a.errors.clone();
    let err = |code: &str, reason: &str| RequirementError {
        code: code.into(),
        reason: reason.into(),
    };
    for (field, value) in &a.collected {
        if field.ends_with(".dob.year")
            && (value == "1900" || value.parse::<i64>().map(|y| y > 2015).unwrap_or(false))
        {
            let prefix = field.trim_end_matches(".year");
            let (code, reason) = if value == "1900" {
                (
                    "invalid_dob_age_over_maximum",
                    "Date of birth must be within the past 120 years.",
                )
            } else {
                (
                    "invalid_dob_age_under_minimum",
                    "The person must be at least 13 years old.",
                )
            };
            for part in ["day", "month", "year"] {
                out.insert(format!("{prefix}.{part}"), err(code, reason));
            }
        } else if field.ends_with(".id_number") && value == "111111111" {
            out.insert(field.clone(), err("verification_failed_keyed_identity", "The identity information you entered cannot be verified. Please correct any errors or upload a document that matches the identity fields (e.g., name and date of birth) that you entered."));
        } else if field.ends_with(".address.line1")
            && (value == "address_no_match" || value == "address_line1_no_match")
        {
            out.insert(field.clone(), err("verification_failed_address_match", "The address could not be verified. Please correct any errors or upload a document that matches the address."));
        } else if field == "company.tax_id" && value == "111111111" {
            out.insert(
                field.clone(),
                err(
                    "verification_failed_tax_id_match",
                    "The tax ID could not be verified against the company name.",
                ),
            );
        } else if (field.ends_with(".verification.document")
            || field.ends_with(".verification.document.front"))
            && value == "file_identity_document_failure"
        {
            out.insert(
                field.trim_end_matches(".front").to_string(),
                err(
                    "verification_document_failed_test_mode",
                    "The document could not be verified (test document).",
                ),
            );
        } else if field == "business_profile.url" && value.contains("inaccessible.stripe.com") {
            out.insert(
                field.clone(),
                err(
                    "invalid_url_website_inaccessible",
                    "The business website could not be reached.",
                ),
            );
        }
    }
    out
}

pub fn satisfied(a: &Account, field: &str, errors: &BTreeMap<String, RequirementError>) -> bool {
    if errors.contains_key(field) {
        return false;
    }
    match field {
        "external_account" => !a.external_accounts.is_empty(),
        "business_type" => a.business_type.is_some(),
        "business_profile.url" => {
            a.collected.contains_key(field)
                || a.collected
                    .contains_key("business_profile.product_description")
        }
        // `individual[verification][document][front]=file_…` provides `individual.verification.document`.
        _ => {
            a.collected.contains_key(field)
                || a.collected
                    .range(format!("{field}.")..)
                    .next()
                    .is_some_and(|(k, _)| k.starts_with(&format!("{field}.")))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requirements {
    pub currently_due: Vec<String>,
    pub eventually_due: Vec<String>,
    pub past_due: Vec<String>,
    pub pending_verification: Vec<String>,
    pub errors: Vec<Value>,
    pub alternatives: Vec<Value>,
    pub current_deadline: Option<i64>,
    pub disabled_reason: Option<String>,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

pub fn compute(a: &Account, now: i64) -> Requirements {
    let errs = errors(a);
    let mut currently = Vec::new();
    let mut eventually = Vec::new();
    let mut gating = Vec::new();
    for (field, only_eventually) in needed_fields(a) {
        if satisfied(a, &field, &errs) {
            continue;
        }
        if only_eventually {
            push_unique(&mut eventually, &field);
        } else {
            push_unique(&mut currently, &field);
            push_unique(&mut gating, &field);
        }
    }
    let mut extra = Vec::new();
    for field in &a.extra_due {
        if !satisfied(a, field, &errs) {
            push_unique(&mut currently, field);
            push_unique(&mut extra, field);
        }
    }
    for field in errs.keys() {
        push_unique(&mut currently, field);
        push_unique(&mut gating, field);
    }
    currently.sort();
    for f in &currently {
        push_unique(&mut eventually, f);
    }
    eventually.sort();
    let deadline_passed = a.current_deadline.map(|d| now >= d).unwrap_or(false);
    let mut past_due: Vec<String> = gating.clone();
    if a.escalated || deadline_passed {
        for f in &extra {
            push_unique(&mut past_due, f);
        }
    }
    past_due.sort();
    let pending: Vec<String> = a.pending_verification.iter().cloned().collect();
    let alternatives = if currently.iter().any(|f| f == "business_profile.url") {
        vec![json!({
            "alternative_fields_due": ["business_profile.product_description"],
            "original_fields_due": ["business_profile.url"],
        })]
    } else {
        Vec::new()
    };
    let disabled_reason = if let Some(r) = &a.rejected {
        Some(format!(
            "rejected.{}",
            if r == "terms_of_service" {
                "terms_of_service"
            } else {
                r.as_str()
            }
        ))
    } else if !past_due.is_empty() {
        Some("requirements.past_due".to_string())
    } else if !pending.is_empty() {
        Some("requirements.pending_verification".to_string())
    } else {
        None
    };
    Requirements {
        current_deadline: if extra.is_empty() {
            None
        } else {
            a.current_deadline
        },
        errors: errs
            .iter()
            .filter(|(f, _)| currently.contains(f))
            .map(|(f, e)| json!({"code": e.code, "reason": e.reason, "requirement": f}))
            .collect(),
        currently_due: currently,
        eventually_due: eventually,
        past_due,
        pending_verification: pending,
        alternatives,
        disabled_reason,
    }
}

impl Requirements {
    pub fn to_json(&self) -> Value {
        json!({
            "alternatives": self.alternatives,
            "current_deadline": self.current_deadline,
            "currently_due": self.currently_due,
            "disabled_reason": self.disabled_reason,
            "errors": self.errors,
            "eventually_due": self.eventually_due,
            "past_due": self.past_due,
            "pending_verification": self.pending_verification,
        })
    }
}

/// `future_requirements`: what will be due once Stripe's upcoming changes take effect.
pub fn future(a: &Account) -> Value {
    let due: Vec<&String> = a
        .future_due
        .iter()
        .filter(|f| !a.collected.contains_key(*f))
        .collect();
    json!({
        "alternatives": [],
        "current_deadline": if due.is_empty() { None } else { a.future_deadline },
        "currently_due": due,
        "disabled_reason": null,
        "errors": [],
        "eventually_due": due,
        "past_due": [],
        "pending_verification": [],
    })
}

/// Fields Stripe verifies asynchronously: they sit in `pending_verification` for a while once provided.
pub fn verified_asynchronously(field: &str) -> bool {
    field.ends_with(".id_number")
        || field.contains("verification.document")
        || field.contains("verification.additional_document")
}

/// After new information arrived (API, hosted onboarding, v2): verification errors of re-submitted
/// fields are cleared (Stripe re-verifies them) and ID numbers / documents go to `pending_verification`
/// for `verification_secs`.
pub fn after_submission(
    a: &mut Account,
    before: &BTreeMap<String, String>,
    external_accounts_before: usize,
    now: i64,
    verification_secs: i64,
) {
    let changed: Vec<String> = a
        .collected
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    for f in &changed {
        a.errors.remove(f);
        a.errors
            .remove(f.trim_end_matches(".front").trim_end_matches(".back"));
        if f.contains(".dob.") {
            let prefix = f.split(".dob.").next().unwrap_or_default();
            for part in ["day", "month", "year"] {
                a.errors.remove(&format!("{prefix}.dob.{part}"));
            }
        }
    }
    if a.external_accounts.len() > external_accounts_before {
        a.errors.remove("external_account");
    }
    if verification_secs <= 0 {
        return;
    }
    let test_errors = errors(a);
    let mut pending = false;
    for f in changed {
        let f = f
            .trim_end_matches(".front")
            .trim_end_matches(".back")
            .to_string();
        if verified_asynchronously(&f) && !test_errors.contains_key(&f) {
            a.pending_verification.insert(f);
            pending = true;
        }
    }
    if pending {
        a.pending_until = Some(now + verification_secs);
    }
}

/// `active`, `inactive` or `pending`.
pub fn capability_status(a: &Account, name: &str, reqs: &Requirements) -> &'static str {
    let Some(cap) = a.capabilities.get(name) else {
        return "inactive";
    };
    if !cap.requested || cap.disabled || a.rejected.is_some() || !reqs.past_due.is_empty() {
        "inactive"
    } else if !reqs.pending_verification.is_empty() {
        "pending"
    } else {
        "active"
    }
}

pub fn charges_enabled(a: &Account, reqs: &Requirements) -> bool {
    a.capabilities
        .keys()
        .any(|c| c.ends_with("_payments") && capability_status(a, c, reqs) == "active")
}

pub fn payouts_enabled(a: &Account, reqs: &Requirements) -> bool {
    a.rejected.is_none()
        && reqs.past_due.is_empty()
        && !a.external_accounts.is_empty()
        && a.capabilities.keys().any(|c| {
            (c == "transfers" || c.ends_with("_payments"))
                && capability_status(a, c, reqs) == "active"
        })
}

/// Human-readable label for a requirement (used by the hosted pages and the Connect.js stand-in).
pub fn label(field: &str) -> String {
    let known = [
        ("business_profile.mcc", "Industry (merchant category code)"),
        ("business_profile.url", "Business website"),
        (
            "business_profile.product_description",
            "Product description",
        ),
        ("business_type", "Type of business"),
        ("external_account", "Bank account for payouts"),
        (
            "tos_acceptance.date",
            "Acceptance of the Stripe Services Agreement",
        ),
        (
            "tos_acceptance.ip",
            "Acceptance of the Stripe Services Agreement (IP address)",
        ),
        ("company.owners_provided", "Business owners provided"),
        ("company.tax_id", "Company tax ID (EIN)"),
    ];
    if let Some((_, l)) = known.iter().find(|(f, _)| *f == field) {
        return l.to_string();
    }
    let words: Vec<String> = field
        .split('.')
        .map(|p| match p {
            "individual" => "Your".to_string(),
            "representative" => "Representative's".to_string(),
            "company" => "Company".to_string(),
            "dob" => "date of birth".to_string(),
            "ssn_last_4" => "SSN (last 4 digits)".to_string(),
            "id_number" => "ID number".to_string(),
            "line1" => "street address".to_string(),
            other => other.replace('_', " "),
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Capability, Controller};
    use std::collections::BTreeSet;

    pub fn account(business_type: Option<&str>) -> Account {
        let mut caps = BTreeMap::new();
        for c in ["card_payments", "transfers"] {
            caps.insert(
                c.to_string(),
                Capability {
                    requested: true,
                    requested_at: Some(1),
                    disabled: false,
                },
            );
        }
        Account {
            id: "acct_1".into(),
            seq: 1,
            created: 1,
            country: "US".into(),
            default_currency: "usd".into(),
            email: None,
            business_type: business_type.map(str::to_string),
            account_type: "custom".into(),
            controller: Controller {
                fees_payer: "application".into(),
                losses_payments: "application".into(),
                requirement_collection: "application".into(),
                dashboard: "none".into(),
                kind: "application".into(),
            },
            business_profile: json!({}),
            metadata: BTreeMap::new(),
            settings: json!({}),
            tos_acceptance: json!({}),
            capabilities: caps,
            external_accounts: vec![],
            collected: BTreeMap::new(),
            errors: BTreeMap::new(),
            extra_due: BTreeSet::new(),
            escalated: false,
            current_deadline: None,
            pending_verification: BTreeSet::new(),
            pending_until: None,
            future_due: BTreeSet::new(),
            future_deadline: None,
            rejected: None,
            details_submitted: false,
            v2: None,
            oauth_connected: false,
        }
    }

    #[test]
    fn new_account_is_disabled_until_fields_are_provided() {
        let mut a = account(Some("individual"));
        let r = compute(&a, 0);
        assert!(r
            .currently_due
            .contains(&"individual.ssn_last_4".to_string()));
        assert!(r
            .eventually_due
            .contains(&"individual.id_number".to_string()));
        assert!(!r
            .currently_due
            .contains(&"individual.id_number".to_string()));
        assert_eq!(r.disabled_reason.as_deref(), Some("requirements.past_due"));
        assert_eq!(capability_status(&a, "card_payments", &r), "inactive");
        for (f, _) in needed_fields(&a) {
            a.collected.insert(f, "x".into());
        }
        a.external_accounts.push(json!({"id": "ba_1"}));
        let r = compute(&a, 0);
        assert!(r.currently_due.is_empty(), "{:?}", r.currently_due);
        assert_eq!(capability_status(&a, "card_payments", &r), "active");
        assert!(charges_enabled(&a, &r) && payouts_enabled(&a, &r));
    }

    #[test]
    fn test_values_produce_errors_and_deadlines_escalate() {
        let mut a = account(Some("individual"));
        a.collected
            .insert("individual.dob.year".into(), "1900".into());
        a.collected
            .insert("individual.id_number".into(), "111111111".into());
        let r = compute(&a, 0);
        assert!(r
            .errors
            .iter()
            .any(|e| e["code"] == "invalid_dob_age_over_maximum"
                && e["requirement"] == "individual.dob.year"));
        assert!(r
            .currently_due
            .contains(&"individual.id_number".to_string()));
        let mut b = account(Some("individual"));
        for (f, _) in needed_fields(&b) {
            b.collected.insert(f, "x".into());
        }
        b.extra_due
            .insert("individual.verification.document".into());
        b.current_deadline = Some(100);
        b.external_accounts.push(json!({}));
        let before = compute(&b, 50);
        assert!(before.past_due.is_empty() && before.current_deadline == Some(100));
        let after = compute(&b, 150);
        assert_eq!(
            after.past_due,
            vec!["individual.verification.document".to_string()]
        );
        assert_eq!(capability_status(&b, "transfers", &after), "inactive");
    }
}
