//! Payment-side data for a connected account: payment intents, charges (direct charges with application
//! fees), refunds, disputes, application fees, balance transactions, balance and payouts.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::api::{expand, paginate, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::params::{self, hash, opt_bool, opt_enum, opt_int, opt_nonempty, opt_str};
use crate::spec;
use crate::state::{RequestInfo, SharedApp, State as Store};

pub const PLATFORM_APPLICATION: &str = "ca_offlineEmulatorPlatform";
const DAY: i64 = 86_400;

fn stripe_fee(amount: i64) -> i64 {
    (amount as f64 * 0.029).round() as i64 + 30
}

#[allow(clippy::too_many_arguments)]
fn balance_txn(
    s: &mut Store,
    account: Option<&str>,
    amount: i64,
    fee_details: Vec<Value>,
    currency: &str,
    kind: &str,
    category: &str,
    source: &str,
    description: Option<&str>,
    available_on: i64,
) -> String {
    let id = s.new_id("txn");
    let fee: i64 = fee_details
        .iter()
        .map(|f| f["amount"].as_i64().unwrap_or(0))
        .sum();
    let now = s.now();
    let v = json!({
        "amount": amount,
        "available_on": available_on,
        "created": now,
        "currency": currency,
        "description": description,
        "exchange_rate": null,
        "fee": fee,
        "fee_details": fee_details,
        "id": id,
        "net": amount - fee,
        "object": "balance_transaction",
        "reporting_category": category,
        "source": source,
        "status": if available_on <= now { "available" } else { "pending" },
        "type": kind,
        "balance_type": "payments",
    });
    s.insert_obj("balance_transaction", account, v);
    id
}

/// Balance transaction with `status` brought up to date with the (emulated) clock.
pub fn txn_now(s: &Store, mut v: Value) -> Value {
    let available = v["available_on"].as_i64().unwrap_or(0) <= s.now();
    v["status"] = json!(if available { "available" } else { "pending" });
    v
}

pub struct PaymentOutcome {
    pub payment_intent: Value,
    pub charge: Value,
}

/// A successful direct charge of `amount` on `account` with an application fee for the platform.
#[allow(clippy::too_many_arguments)]
pub fn create_payment(
    s: &mut Store,
    account: &str,
    amount: i64,
    currency: &str,
    app_fee: Option<i64>,
    description: Option<&str>,
    payment_method: &str,
    metadata: Value,
    req: &RequestInfo,
) -> ApiResult<PaymentOutcome> {
    let acct = s.account(account)?.clone();
    let now = s.now();
    let pi_id = s.new_id("pi");
    let ch_id = s.new_id("ch");
    let secret = s.token(24);
    let fees_on_account = acct.controller.fees_payer == "account";
    let mut fee_details = Vec::new();
    let sfee = stripe_fee(amount);
    if fees_on_account {
        fee_details.push(json!({"amount": sfee, "application": null, "currency": currency, "description": "Stripe processing fees", "type": "stripe_fee"}));
    }
    let fee_id = app_fee.map(|_| s.new_id("fee"));
    if let Some(f) = app_fee {
        fee_details.push(json!({"amount": f, "application": PLATFORM_APPLICATION, "currency": currency, "description": "Application fee", "type": "application_fee"}));
    }
    let txn = balance_txn(
        s,
        Some(account),
        amount,
        fee_details,
        currency,
        "charge",
        "charge",
        &ch_id,
        description,
        now + 2 * DAY,
    );
    if let (Some(f), Some(fid)) = (app_fee, &fee_id) {
        let ptxn = balance_txn(
            s,
            None,
            f,
            vec![],
            currency,
            "application_fee",
            "platform_earning",
            fid,
            Some("Application fee"),
            now + 2 * DAY,
        );
        let fee_obj = json!({
            "account": account,
            "amount": f,
            "amount_refunded": 0,
            "application": PLATFORM_APPLICATION,
            "balance_transaction": ptxn,
            "charge": ch_id,
            "created": now,
            "currency": currency,
            "fee_source": {"charge": ch_id, "type": "charge"},
            "id": fid,
            "livemode": false,
            "object": "application_fee",
            "originating_transaction": null,
            "refunded": false,
            "refunds": {"data": [], "has_more": false, "object": "list", "url": format!("/v1/application_fees/{fid}/refunds")},
        });
        s.insert_obj("application_fee", None, fee_obj.clone());
        s.emit("application_fee.created", None, fee_obj, None, req);
    }
    if !fees_on_account {
        let fid = format!("{ch_id}_stripe_fee");
        balance_txn(
            s,
            None,
            -sfee,
            vec![],
            currency,
            "stripe_fee",
            "fee",
            &fid,
            Some("Stripe processing fees for a connected account payment"),
            now,
        );
    }
    let (brand, last4) = match payment_method {
        "pm_card_mastercard" => ("mastercard", "4444"),
        "pm_card_amex" => ("amex", "8431"),
        "pm_card_createDispute" => ("visa", "0259"),
        "pm_card_visa_debit" => ("visa", "5556"),
        _ => ("visa", "4242"),
    };
    let funding = if payment_method == "pm_card_visa_debit" {
        "debit"
    } else {
        "credit"
    };
    let pm_id = s.new_id("pm");
    let charge = json!({
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": 0,
        "application": PLATFORM_APPLICATION,
        "application_fee": fee_id,
        "application_fee_amount": app_fee,
        "balance_transaction": txn,
        "billing_details": {
            "address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": "42424", "state": null},
            "email": "customer@example.com", "name": "Jenny Rosen", "phone": null, "tax_id": null
        },
        "calculated_statement_descriptor": acct.settings["payments"]["statement_descriptor"].as_str().unwrap_or("OFFLINE EMULATOR"),
        "captured": true,
        "created": now,
        "currency": currency,
        "customer": null,
        "description": description,
        "disputed": false,
        "failure_balance_transaction": null,
        "failure_code": null,
        "failure_message": null,
        "fraud_details": {},
        "id": ch_id,
        "livemode": false,
        "metadata": metadata,
        "object": "charge",
        "on_behalf_of": null,
        "outcome": {
            "advice_code": null, "network_advice_code": null, "network_decline_code": null,
            "network_status": "approved_by_network", "reason": null, "risk_level": "normal", "risk_score": 12,
            "seller_message": "Payment complete.", "type": "authorized"
        },
        "paid": true,
        "payment_intent": pi_id,
        "payment_method": pm_id,
        "payment_method_details": {
            "card": {
                "amount_authorized": amount, "brand": brand,
                "checks": {"address_line1_check": null, "address_postal_code_check": "pass", "cvc_check": "pass"},
                "country": "US", "exp_month": 12, "exp_year": 2034, "funding": funding, "last4": last4,
                "network": brand, "three_d_secure": null, "wallet": null
            },
            "type": "card"
        },
        "receipt_email": null,
        "receipt_number": null,
        "receipt_url": format!("https://pay.stripe.com/receipts/offline/{ch_id}"),
        "refunded": false,
        "refunds": {"data": [], "has_more": false, "object": "list", "url": format!("/v1/charges/{ch_id}/refunds")},
        "review": null,
        "shipping": null,
        "source_transfer": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": "succeeded",
        "transfer_data": null,
        "transfer_group": null,
        "source": null,
    });
    let pi = json!({
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": amount,
        "application": PLATFORM_APPLICATION,
        "application_fee_amount": app_fee,
        "automatic_payment_methods": null,
        "canceled_at": null,
        "cancellation_reason": null,
        "capture_method": "automatic",
        "client_secret": format!("{pi_id}_secret_{secret}"),
        "confirmation_method": "automatic",
        "created": now,
        "currency": currency,
        "customer": null,
        "description": description,
        "id": pi_id,
        "last_payment_error": null,
        "latest_charge": ch_id,
        "livemode": false,
        "metadata": charge["metadata"],
        "next_action": null,
        "object": "payment_intent",
        "on_behalf_of": null,
        "payment_method": pm_id,
        "payment_method_configuration_details": null,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"],
        "processing": null,
        "receipt_email": null,
        "review": null,
        "setup_future_usage": null,
        "shipping": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": "succeeded",
        "transfer_data": null,
        "transfer_group": null,
        "source": null,
        "excluded_payment_method_types": null,
        "customer_account": null,
        "managed_payments": {"enabled": false},
    });
    s.insert_obj("payment_intent", Some(account), pi.clone());
    s.insert_obj("charge", Some(account), charge.clone());
    s.emit(
        "payment_intent.created",
        Some(account),
        pi.clone(),
        None,
        req,
    );
    s.emit(
        "payment_intent.succeeded",
        Some(account),
        pi.clone(),
        None,
        req,
    );
    s.emit("charge.succeeded", Some(account), charge.clone(), None, req);
    if payment_method == "pm_card_createDispute" {
        create_dispute(s, account, &ch_id, req)?;
    }
    let charge = s.objects[&ch_id].value.clone();
    Ok(PaymentOutcome {
        payment_intent: pi,
        charge,
    })
}

/// A confirmation declined by the card issuer (`pm_card_chargeDeclined`): a failed charge and a
/// PaymentIntent back in `requires_payment_method` with `last_payment_error`. Nothing moves in any
/// balance and no application fee is taken.
#[allow(clippy::too_many_arguments)]
pub fn create_declined_payment(
    s: &mut Store,
    account: &str,
    amount: i64,
    currency: &str,
    app_fee: Option<i64>,
    description: Option<&str>,
    metadata: Value,
    req: &RequestInfo,
) -> (Value, Value) {
    let now = s.now();
    let pi_id = s.new_id("pi");
    let ch_id = s.new_id("ch");
    let pm_id = s.new_id("pm");
    let secret = s.token(24);
    let card = json!({
        "amount_authorized": null, "brand": "visa",
        "checks": {"address_line1_check": null, "address_postal_code_check": "pass", "cvc_check": "pass"},
        "country": "US", "exp_month": 12, "exp_year": 2034, "funding": "credit", "last4": "0002",
        "network": "visa", "three_d_secure": null, "wallet": null
    });
    let charge = json!({
        "amount": amount, "amount_captured": 0, "amount_refunded": 0,
        "application": PLATFORM_APPLICATION, "application_fee": null, "application_fee_amount": app_fee,
        "balance_transaction": null,
        "billing_details": {
            "address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": "42424", "state": null},
            "email": "customer@example.com", "name": "Jenny Rosen", "phone": null, "tax_id": null
        },
        "calculated_statement_descriptor": "OFFLINE EMULATOR",
        "captured": false, "created": now, "currency": currency, "customer": null,
        "description": description, "disputed": false, "failure_balance_transaction": null,
        "failure_code": "card_declined", "failure_message": "Your card was declined.",
        "fraud_details": {}, "id": ch_id, "livemode": false, "metadata": metadata, "object": "charge",
        "on_behalf_of": null,
        "outcome": {
            "advice_code": "try_again_later", "network_advice_code": null, "network_decline_code": null,
            "network_status": "declined_by_network", "reason": "generic_decline", "risk_level": "normal",
            "risk_score": 20, "seller_message": "The bank did not return any further details with this decline.",
            "type": "issuer_declined"
        },
        "paid": false, "payment_intent": pi_id, "payment_method": pm_id,
        "payment_method_details": {"card": card, "type": "card"},
        "receipt_email": null, "receipt_number": null, "receipt_url": null, "refunded": false,
        "refunds": {"data": [], "has_more": false, "object": "list", "url": format!("/v1/charges/{ch_id}/refunds")},
        "review": null, "shipping": null, "source_transfer": null, "statement_descriptor": null,
        "statement_descriptor_suffix": null, "status": "failed", "transfer_data": null,
        "transfer_group": null, "source": null,
    });
    let pi = json!({
        "amount": amount, "amount_capturable": 0, "amount_details": {"tip": {}}, "amount_received": 0,
        "application": PLATFORM_APPLICATION, "application_fee_amount": app_fee,
        "automatic_payment_methods": null, "canceled_at": null, "cancellation_reason": null,
        "capture_method": "automatic", "client_secret": format!("{pi_id}_secret_{secret}"),
        "confirmation_method": "automatic", "created": now, "currency": currency, "customer": null,
        "description": description, "id": pi_id,
        "last_payment_error": {
            "charge": ch_id, "code": "card_declined", "decline_code": "generic_decline",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": "Your card was declined.",
            "payment_method": {"id": pm_id, "object": "payment_method", "type": "card", "card": card},
            "type": "card_error"
        },
        "latest_charge": ch_id, "livemode": false, "metadata": charge["metadata"], "next_action": null,
        "object": "payment_intent", "on_behalf_of": null, "payment_method": null,
        "payment_method_configuration_details": null,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"], "processing": null, "receipt_email": null, "review": null,
        "setup_future_usage": null, "shipping": null, "statement_descriptor": null,
        "statement_descriptor_suffix": null, "status": "requires_payment_method", "transfer_data": null,
        "transfer_group": null, "source": null, "excluded_payment_method_types": null,
        "customer_account": null, "managed_payments": {"enabled": false},
    });
    s.insert_obj("payment_intent", Some(account), pi.clone());
    s.insert_obj("charge", Some(account), charge.clone());
    s.emit(
        "payment_intent.created",
        Some(account),
        pi.clone(),
        None,
        req,
    );
    s.emit("charge.failed", Some(account), charge.clone(), None, req);
    s.emit(
        "payment_intent.payment_failed",
        Some(account),
        pi.clone(),
        None,
        req,
    );
    (pi, charge)
}

pub fn create_dispute(
    s: &mut Store,
    account: &str,
    charge_id: &str,
    req: &RequestInfo,
) -> ApiResult<Value> {
    let ch = s.obj("charge", charge_id, Some(account))?.value.clone();
    let now = s.now();
    let id = s.new_id("dp");
    let amount = ch["amount"].as_i64().unwrap_or(0) - ch["amount_refunded"].as_i64().unwrap_or(0);
    let currency = ch["currency"].as_str().unwrap_or("usd").to_string();
    let txn = balance_txn(
        s,
        Some(account),
        -amount,
        vec![
            json!({"amount": 1500, "application": null, "currency": currency, "description": "Dispute fee", "type": "stripe_fee"}),
        ],
        &currency,
        "adjustment",
        "dispute",
        &id,
        Some("Chargeback withdrawal"),
        now,
    );
    let txn_obj = s.objects[&txn].value.clone();
    let evidence_keys = [
        "access_activity_log",
        "billing_address",
        "cancellation_policy",
        "cancellation_policy_disclosure",
        "cancellation_rebuttal",
        "customer_communication",
        "customer_email_address",
        "customer_name",
        "customer_purchase_ip",
        "customer_signature",
        "duplicate_charge_documentation",
        "duplicate_charge_explanation",
        "duplicate_charge_id",
        "product_description",
        "receipt",
        "refund_policy",
        "refund_policy_disclosure",
        "refund_refusal_explanation",
        "service_date",
        "service_documentation",
        "shipping_address",
        "shipping_carrier",
        "shipping_date",
        "shipping_documentation",
        "shipping_tracking_number",
        "uncategorized_file",
        "uncategorized_text",
    ];
    let mut evidence: serde_json::Map<String, Value> = evidence_keys
        .iter()
        .map(|k| (k.to_string(), Value::Null))
        .collect();
    evidence.insert("enhanced_evidence".into(), json!({}));
    let dispute = json!({
        "amount": amount,
        "balance_transactions": [txn_obj],
        "charge": charge_id,
        "created": now,
        "currency": currency,
        "evidence": evidence,
        "evidence_details": {"due_by": now + 7 * DAY, "has_evidence": false, "past_due": false, "submission_count": 0, "enhanced_eligibility": {}},
        "id": id,
        "is_charge_refundable": false,
        "livemode": false,
        "metadata": {},
        "object": "dispute",
        "payment_intent": ch["payment_intent"],
        "payment_method_details": {"card": {"brand": "visa", "case_type": "chargeback", "network_reason_code": "10.4"}, "type": "card"},
        "reason": "fraudulent",
        "status": "needs_response",
        "enhanced_eligibility_types": [],
    });
    s.insert_obj("dispute", Some(account), dispute.clone());
    if let Some(o) = s.objects.get_mut(charge_id) {
        o.value["disputed"] = json!(true);
    }
    s.emit(
        "charge.dispute.created",
        Some(account),
        dispute.clone(),
        None,
        req,
    );
    // The disputed amount and the fee leave the balance at once (the balance transaction
    // above), which Stripe reports as its own event: "charge.dispute.funds_withdrawn: Occurs when
    // funds are removed from your account due to a dispute" (docs.stripe.com/api/events/types).
    s.emit(
        "charge.dispute.funds_withdrawn",
        Some(account),
        dispute.clone(),
        None,
        req,
    );
    Ok(dispute)
}

#[allow(clippy::too_many_arguments)]
pub fn create_refund(
    s: &mut Store,
    account: &str,
    charge_id: &str,
    amount: Option<i64>,
    reason: Option<String>,
    refund_application_fee: bool,
    metadata: Value,
    req: &RequestInfo,
) -> ApiResult<Value> {
    let ch = s
        .obj("charge", charge_id, Some(account))
        .map_err(|_| ApiError::no_such("charge", charge_id, "charge"))?
        .value
        .clone();
    let total = ch["amount"].as_i64().unwrap_or(0);
    let refunded = ch["amount_refunded"].as_i64().unwrap_or(0);
    if refunded >= total {
        return Err(ApiError::invalid_code(
            "charge_already_refunded",
            format!("Charge {charge_id} has already been refunded."),
            Some("charge"),
        ));
    }
    let amount = amount.unwrap_or(total - refunded);
    if amount <= 0 || amount > total - refunded {
        return Err(ApiError::invalid_code(
            "amount_too_large",
            format!(
                "Refund amount ({amount}) is greater than unrefunded amount on charge ({}).",
                total - refunded
            ),
            Some("amount"),
        ));
    }
    let currency = ch["currency"].as_str().unwrap_or("usd").to_string();
    let id = s.new_id("re");
    let now = s.now();
    let txn = balance_txn(
        s,
        Some(account),
        -amount,
        vec![],
        &currency,
        "refund",
        "refund",
        &id,
        Some("REFUND FOR PAYMENT"),
        now,
    );
    let refund = json!({
        "amount": amount,
        "balance_transaction": txn,
        "charge": charge_id,
        "created": now,
        "currency": currency,
        "destination_details": {"card": {"reference": null, "reference_status": "pending", "reference_type": "acquirer_reference_number", "type": "refund"}, "type": "card"},
        "id": id,
        "metadata": metadata,
        "object": "refund",
        "payment_intent": ch["payment_intent"],
        "reason": reason,
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": "succeeded",
        "transfer_reversal": null,
        "customer": null,
        "customer_account": null,
        "payment_method": ch["payment_method"],
    });
    s.insert_obj("refund", Some(account), refund.clone());
    let updated = {
        let o = s.objects.get_mut(charge_id).expect("charge exists");
        let prev = json!({"amount_refunded": refunded, "refunded": false});
        o.value["amount_refunded"] = json!(refunded + amount);
        o.value["refunded"] = json!(refunded + amount >= total);
        if let Some(list) = o.value["refunds"]["data"].as_array_mut() {
            list.insert(0, refund.clone());
        }
        (o.value.clone(), prev)
    };
    s.emit(
        "charge.refunded",
        Some(account),
        updated.0,
        Some(updated.1),
        req,
    );
    s.emit("refund.created", Some(account), refund.clone(), None, req);
    if refund_application_fee {
        if let Some(fee_id) = ch["application_fee"].as_str() {
            let total_fee_share = if refunded + amount >= total {
                None
            } else {
                Some((amount, total))
            };
            refund_fee_for_charge(s, account, fee_id, total_fee_share, req);
        }
    }
    Ok(refund)
}

/// `refund_application_fee=true` on a refund: "If a full charge refund is given, the full
/// application fee will be refunded. Otherwise, the application fee will be refunded in an amount
/// proportional to the amount of the charge refunded" (stripe-python's
/// `RefundService.CreateParams.refund_application_fee`). `share` is `(refunded, charge amount)`,
/// `None` when the charge is now refunded in full (the rest of the fee goes back). Stripe does
/// not document the rounding of the proportion: rounded down here, and the charge's last refund
/// returns the rest. The refund is a `fee_refund` on the fee, "refunded to the Stripe account from
/// which the fee was originally collected" (docs.stripe.com/api/fee_refunds), with an
/// `application_fee_refund` balance transaction on each side (balance transaction `type` in
/// Stripe's schema), and `application_fee.refunded` ("Occurs whenever an application fee is
/// refunded, whether from refunding a charge or from refunding the application fee directly.
/// This includes partial refunds": docs.stripe.com/api/events/types).
fn refund_fee_for_charge(
    s: &mut Store,
    account: &str,
    fee_id: &str,
    share: Option<(i64, i64)>,
    req: &RequestInfo,
) {
    let Ok(fee) = s
        .obj("application_fee", fee_id, None)
        .map(|o| o.value.clone())
    else {
        return;
    };
    let fee_amount = fee["amount"].as_i64().unwrap_or(0);
    let already = fee["amount_refunded"].as_i64().unwrap_or(0);
    let left = fee_amount - already;
    let back = match share {
        None => left,
        Some((refunded, charge_amount)) if charge_amount > 0 => {
            (i128::from(fee_amount) * i128::from(refunded) / i128::from(charge_amount)) as i64
        }
        Some(_) => 0,
    }
    .min(left);
    if back <= 0 {
        return;
    }
    let currency = fee["currency"].as_str().unwrap_or("usd").to_string();
    let now = s.now();
    let id = s.new_id("fr");
    let platform_txn = balance_txn(
        s,
        None,
        -back,
        vec![],
        &currency,
        "application_fee_refund",
        "platform_earning_refund",
        &id,
        Some("Application fee refund"),
        now,
    );
    balance_txn(
        s,
        Some(account),
        back,
        vec![],
        &currency,
        "application_fee_refund",
        "platform_earning_refund",
        &id,
        Some("Application fee refund"),
        now,
    );
    let fee_refund = json!({
        "amount": back,
        "balance_transaction": platform_txn,
        "created": now,
        "currency": currency,
        "fee": fee_id,
        "id": id,
        "metadata": {},
        "object": "fee_refund",
    });
    let (updated, previous) = {
        let o = s.objects.get_mut(fee_id).expect("fee exists");
        let previous = json!({"amount_refunded": already, "refunded": already >= fee_amount});
        o.value["amount_refunded"] = json!(already + back);
        o.value["refunded"] = json!(already + back >= fee_amount);
        if let Some(list) = o.value["refunds"]["data"].as_array_mut() {
            list.insert(0, fee_refund);
        }
        if let Some(n) = o.value["refunds"]["total_count"].as_i64() {
            o.value["refunds"]["total_count"] = json!(n + 1);
        }
        (o.value.clone(), previous)
    };
    s.emit(
        "application_fee.refunded",
        None,
        updated,
        Some(previous),
        req,
    );
}

/// Balance of `account` (or the platform): pending and available, by currency.
pub fn balance(s: &Store, account: Option<&str>) -> Value {
    let now = s.now();
    let mut avail: std::collections::BTreeMap<String, i64> = Default::default();
    let mut pend: std::collections::BTreeMap<String, i64> = Default::default();
    let default_cur = account
        .and_then(|a| s.accounts.get(a))
        .map(|a| a.default_currency.clone())
        .unwrap_or_else(|| "usd".into());
    avail.insert(default_cur.clone(), 0);
    pend.insert(default_cur, 0);
    for t in s.objs("balance_transaction", account) {
        let cur = t.value["currency"].as_str().unwrap_or("usd").to_string();
        let net = t.value["net"].as_i64().unwrap_or(0);
        if t.value["available_on"].as_i64().unwrap_or(0) <= now {
            *avail.entry(cur.clone()).or_default() += net;
            pend.entry(cur).or_default();
        } else {
            *pend.entry(cur.clone()).or_default() += net;
            avail.entry(cur).or_default();
        }
    }
    let amounts = |m: &std::collections::BTreeMap<String, i64>| {
        m.iter()
            .map(|(c, a)| json!({"amount": a, "currency": c, "source_types": {"card": a}}))
            .collect::<Vec<_>>()
    };
    json!({
        "available": amounts(&avail),
        "connect_reserved": avail.keys().map(|c| json!({"amount": 0, "currency": c})).collect::<Vec<_>>(),
        "livemode": false,
        "object": "balance",
        "pending": amounts(&pend),
    })
}

pub fn available(s: &Store, account: Option<&str>, currency: &str) -> i64 {
    balance(s, account)["available"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["currency"] == json!(currency)))
        .and_then(|b| b["amount"].as_i64())
        .unwrap_or(0)
}

/// Creates a payout of `amount` from `account`'s available balance to its default external account.
#[allow(clippy::too_many_arguments)]
pub fn create_payout(
    s: &mut Store,
    account: Option<&str>,
    amount: i64,
    currency: &str,
    automatic: bool,
    method: &str,
    description: Option<String>,
    metadata: Value,
    req: &RequestInfo,
) -> ApiResult<Value> {
    let mut destination: Option<Value> = None;
    if let Some(acct_id) = account {
        let acct = s.account(acct_id)?.clone();
        let rendered = crate::accounts::render(s, &acct);
        if rendered["payouts_enabled"] != json!(true) {
            return Err(ApiError::invalid_code(
                "payouts_not_allowed",
                "Payouts are not enabled for this account: it has outstanding requirements or no external account. Check `requirements` and `payouts_enabled`.",
                None,
            ));
        }
        let default_currency = acct.default_currency.clone();
        destination = acct
            .external_accounts
            .iter()
            .find(|e| e["currency"].as_str().unwrap_or(&default_currency) == currency)
            .cloned();
        if destination.is_none() {
            return Err(ApiError::invalid_code(
                "no_external_account",
                format!("This account has no external account in {currency} to pay out to."),
                Some("currency"),
            ));
        }
    }
    if amount <= 0 {
        return Err(ApiError::invalid_code(
            "amount_too_small",
            "Amount must be at least 1 cent.",
            Some("amount"),
        ));
    }
    let avail = available(s, account, currency);
    if amount > avail {
        return Err(ApiError::invalid_code(
            "balance_insufficient",
            format!("You have insufficient funds in your Stripe account for this transfer. Your card balance is too low (available: {avail} {currency}). You can use the /v1/balance endpoint to view your Stripe balance (for more details, see stripe.com/docs/api#balance)."),
            Some("amount"),
        ));
    }
    let id = s.new_id("po");
    let now = s.now();
    let arrival = if method == "instant" {
        now + 1800
    } else {
        now + 2 * DAY
    };
    let txn = balance_txn(
        s,
        account,
        -amount,
        vec![],
        currency,
        "payout",
        "payout",
        &id,
        Some("STRIPE PAYOUT"),
        now,
    );
    let dest_type = destination
        .as_ref()
        .and_then(|d| d["object"].as_str())
        .unwrap_or("bank_account")
        .to_string();
    let payout = json!({
        "amount": amount,
        "application_fee": null,
        "application_fee_amount": null,
        "arrival_date": arrival,
        "automatic": automatic,
        "balance_transaction": txn,
        "created": now,
        "currency": currency,
        "description": description.unwrap_or_else(|| "STRIPE PAYOUT".into()),
        "destination": destination.as_ref().map(|d| d["id"].clone()),
        "failure_balance_transaction": null,
        "failure_code": null,
        "failure_message": null,
        "id": id,
        "livemode": false,
        "metadata": metadata,
        "method": method,
        "object": "payout",
        "original_payout": null,
        "reconciliation_status": "not_applicable",
        "reversed_by": null,
        "source_type": "card",
        "statement_descriptor": null,
        "status": "pending",
        "type": dest_type,
        "trace_id": {"status": "pending", "value": null},
        "payout_method": null,
    });
    s.insert_obj("payout", account, payout.clone());
    s.emit("payout.created", account, payout.clone(), None, req);
    Ok(payout)
}

/// Connected accounts that had a positive balance transaction become available in `(from, now]`.
fn newly_available(s: &Store, from: i64, now: i64) -> Vec<String> {
    let mut out: Vec<String> = s
        .objects
        .values()
        .filter(|o| o.kind == "balance_transaction" && o.account.is_some())
        .filter(|o| o.value["net"].as_i64().unwrap_or(0) > 0)
        .filter(|o| {
            let on = o.value["available_on"].as_i64().unwrap_or(0);
            on > from && on <= now
        })
        .filter_map(|o| o.account.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether funds became available since the last tick (time-driven work for the emulator).
pub fn funds_became_available(s: &Store, from: i64, now: i64) -> bool {
    !newly_available(s, from, now).is_empty()
}

/// `balance.available` for each connected account whose funds became available in `(from, now]`,
/// carrying its whole balance. Stripe: "Occurs whenever your Stripe balance has been updated
/// (e.g., when a charge is available to be paid out) … This event is not fired for negative
/// transactions" (the `balance.available` event type, as Stripe's SDKs document it, e.g.
/// stripe-ruby `Stripe::Events::V1BalanceAvailableEventNotification`): a dispute or a refund
/// that takes money away sends none.
pub fn emit_balance_available(s: &mut Store, from: i64, now: i64, req: &RequestInfo) {
    for account in newly_available(s, from, now) {
        let object = balance(s, Some(&account));
        s.emit("balance.available", Some(&account), object, None, req);
    }
}

/// Moves payouts whose arrival date has passed to `paid` (or `failed` for the failing test bank account).
pub fn settle_payouts(s: &mut Store, req: &RequestInfo) -> usize {
    let now = s.now();
    let due: Vec<(String, Option<String>)> = s
        .objects
        .values()
        .filter(|o| {
            o.kind == "payout"
                && o.value["status"] == json!("pending")
                && o.value["arrival_date"].as_i64().unwrap_or(i64::MAX) <= now
        })
        .map(|o| (o.id.clone(), o.account.clone()))
        .collect();
    for (id, account) in &due {
        let dest = s.objects[id].value["destination"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let fails = account
            .as_ref()
            .and_then(|a| s.accounts.get(a))
            .map(|a| {
                a.external_accounts
                    .iter()
                    .any(|e| e["id"] == json!(dest) && e["last4"] == json!("1116"))
            })
            .unwrap_or(false);
        let value = s.objects[id].value.clone();
        let mut updated = value.clone();
        if fails {
            let amount = value["amount"].as_i64().unwrap_or(0);
            let currency = value["currency"].as_str().unwrap_or("usd").to_string();
            let txn = balance_txn(
                s,
                account.as_deref(),
                amount,
                vec![],
                &currency,
                "payout_failure",
                "payout_reversal",
                id,
                Some("Payout failure"),
                now,
            );
            updated["status"] = json!("failed");
            updated["failure_code"] = json!("no_account");
            updated["failure_message"] = json!("The bank account details on file are probably incorrect. No bank account could be located with those details.");
            updated["failure_balance_transaction"] = json!(txn);
            updated["trace_id"] = json!({"status": "unsupported", "value": null});
        } else {
            updated["status"] = json!("paid");
            updated["reconciliation_status"] = json!("completed");
            updated["trace_id"] = json!({"status": "supported", "value": format!("TRACE{}", &id[3..11.min(id.len())])});
        }
        s.objects.get_mut(id).expect("payout").value = updated.clone();
        let prev = json!({"status": "pending"});
        s.emit(
            "payout.updated",
            account.as_deref(),
            updated.clone(),
            Some(prev),
            req,
        );
        s.emit(
            if fails {
                "payout.failed"
            } else {
                "payout.paid"
            },
            account.as_deref(),
            updated,
            None,
            req,
        );
    }
    due.len()
}

// ---- handlers ----

fn list_kind(
    s: &Store,
    kind: &str,
    account: Option<&str>,
    p: &Value,
    url: &str,
    filter: impl Fn(&Value) -> bool,
) -> ApiResult<Value> {
    let items: Vec<Value> = s
        .objs(kind, account)
        .into_iter()
        .map(|o| {
            if kind == "balance_transaction" {
                txn_now(s, o.value.clone())
            } else {
                o.value.clone()
            }
        })
        .filter(|v| filter(v))
        .collect();
    paginate(s, items, p, url)
}

fn strip(p: &Value, keys: &[&str]) -> Value {
    let mut p = p.clone();
    if let Some(m) = p.as_object_mut() {
        for k in keys {
            m.remove(*k);
        }
    }
    p
}

pub async fn get_balance(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_BALANCE)?;
    Ok(Json(app.read(|s| balance(s, ctx.account.as_deref()))))
}

pub async fn list_balance_transactions(
    State(app): State<SharedApp>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_BALANCE_TRANSACTIONS)?;
    let ty = opt_str(&ctx.params, "type", &[])?;
    let source = opt_str(&ctx.params, "source", &[])?;
    let p = strip(&ctx.params, &["currency", "payout", "source", "type"]);
    app.read(|s| {
        list_kind(
            s,
            "balance_transaction",
            ctx.account.as_deref(),
            &p,
            "/v1/balance_transactions",
            |v| {
                ty.as_ref().map(|t| v["type"] == json!(t)).unwrap_or(true)
                    && source
                        .as_ref()
                        .map(|x| v["source"] == json!(x))
                        .unwrap_or(true)
            },
        )
        .map(Json)
    })
}

macro_rules! retrieve_handler {
    ($name:ident, $kind:expr, $op:expr) => {
        pub async fn $name(
            State(app): State<SharedApp>,
            Path(id): Path<String>,
            ctx: Ctx,
        ) -> ApiResult<Json<Value>> {
            spec::check(&ctx.params, &$op)?;
            let paths = params::expand_list(&ctx.params)?;
            app.read(|s| {
                let o = s.obj($kind, &id, ctx.account.as_deref())?;
                let v = if $kind == "balance_transaction" {
                    txn_now(s, o.value.clone())
                } else {
                    o.value.clone()
                };
                Ok(Json(expand(s, v, &paths, ctx.account.as_deref())))
            })
        }
    };
}

retrieve_handler!(
    retrieve_balance_transaction,
    "balance_transaction",
    spec::GET_BALANCE_TRANSACTION
);
retrieve_handler!(retrieve_charge, "charge", spec::GET_CHARGE);
retrieve_handler!(
    retrieve_payment_intent,
    "payment_intent",
    spec::GET_PAYMENT_INTENT
);
retrieve_handler!(retrieve_refund, "refund", spec::GET_REFUND);
retrieve_handler!(retrieve_dispute, "dispute", spec::GET_DISPUTE);
retrieve_handler!(retrieve_payout, "payout", spec::GET_PAYOUT);

pub async fn retrieve_application_fee(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_APPLICATION_FEE)?;
    let paths = params::expand_list(&ctx.params)?;
    app.read(|s| {
        Ok(Json(expand(
            s,
            s.obj("application_fee", &id, None)?.value.clone(),
            &paths,
            None,
        )))
    })
}

macro_rules! list_handler {
    ($name:ident, $kind:expr, $url:expr, $filter_key:expr, $field:expr, $op:expr) => {
        pub async fn $name(State(app): State<SharedApp>, ctx: Ctx) -> ApiResult<Json<Value>> {
            spec::check(&ctx.params, &$op)?;
            let filter = opt_str(&ctx.params, $filter_key, &[])?;
            let p = strip(&ctx.params, &[$filter_key]);
            app.read(|s| {
                list_kind(s, $kind, ctx.account.as_deref(), &p, $url, |v| {
                    filter
                        .as_ref()
                        .map(|f| v[$field] == json!(f))
                        .unwrap_or(true)
                })
                .map(Json)
            })
        }
    };
}

list_handler!(
    list_charges,
    "charge",
    "/v1/charges",
    "payment_intent",
    "payment_intent",
    spec::GET_CHARGES
);
list_handler!(
    list_payment_intents,
    "payment_intent",
    "/v1/payment_intents",
    "customer",
    "customer",
    spec::GET_PAYMENT_INTENTS
);
list_handler!(
    list_refunds,
    "refund",
    "/v1/refunds",
    "charge",
    "charge",
    spec::GET_REFUNDS
);
list_handler!(
    list_disputes,
    "dispute",
    "/v1/disputes",
    "charge",
    "charge",
    spec::GET_DISPUTES
);
list_handler!(
    list_payouts,
    "payout",
    "/v1/payouts",
    "status",
    "status",
    spec::GET_PAYOUTS
);

pub async fn list_application_fees(
    State(app): State<SharedApp>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    spec::check(&ctx.params, &spec::GET_APPLICATION_FEES)?;
    let filter = opt_str(&ctx.params, "charge", &[])?;
    let p = strip(&ctx.params, &["charge"]);
    app.read(|s| {
        list_kind(
            s,
            "application_fee",
            None,
            &p,
            "/v1/application_fees",
            |v| {
                filter
                    .as_ref()
                    .map(|f| v["charge"] == json!(f))
                    .unwrap_or(true)
            },
        )
        .map(Json)
    })
}

pub async fn create_payment_intent(
    State(app): State<SharedApp>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_PAYMENT_INTENTS)?;
    let amount = opt_int(&p, "amount", &[])?.ok_or_else(|| ApiError::missing("amount"))?;
    let currency = opt_nonempty(&p, "currency", &[])?
        .ok_or_else(|| ApiError::missing("currency"))?
        .to_lowercase();
    if amount < 50 {
        return Err(ApiError::invalid_code(
            "amount_too_small",
            "Amount must be at least $0.50 usd",
            Some("amount"),
        ));
    }
    let fee = opt_int(&p, "application_fee_amount", &[])?;
    let Some(account) = ctx.account.clone() else {
        return Err(ApiError::invalid(
            "The offline Stripe emulator models direct charges: pass the connected account in the Stripe-Account header.",
            None,
        ));
    };
    if let Some(f) = fee {
        if f < 0 || f > amount {
            return Err(ApiError::invalid(
                "application_fee_amount must be between 0 and the amount.",
                Some("application_fee_amount"),
            ));
        }
    }
    let confirm = opt_bool(&p, "confirm", &[])?.unwrap_or(false);
    // Automatic payment methods: on when asked for, and by default when no
    // `payment_method_types` are given (what this emulator's unconfirmed PaymentIntents show:
    // `{"allow_redirects": "always", "enabled": true}`). `allow_redirects` (Stripe's
    // `PaymentIntentAutomaticPaymentMethods`, stripe-dotnet, generated from Stripe's OpenAPI
    // spec): "Controls whether this PaymentIntent will accept redirect-based payment methods.
    // […] To confirm this PaymentIntent, you may be required to provide a `return_url` to
    // redirect customers back to your site after they authenticate or complete the payment."
    // Stripe refuses such a confirm without `return_url` (`invalid_request_error`, param
    // `return_url`; message as Stripe sends it). PaymentIntents are not in
    // ../shared/stripe-openapi/stripe-connect-subset.json.
    let automatic = match hash(&p, "automatic_payment_methods", &[])? {
        Some(apm) => {
            let enabled = opt_bool(apm, "enabled", &["automatic_payment_methods"])?
                .ok_or_else(|| ApiError::missing("automatic_payment_methods[enabled]"))?;
            let redirects = opt_enum(
                apm,
                "allow_redirects",
                &["automatic_payment_methods"],
                spec::POST_PAYMENT_INTENTS
                    .one_of(&["automatic_payment_methods", "allow_redirects"]),
            )?
            .unwrap_or_else(|| "always".into());
            enabled.then_some(redirects)
        }
        None if p.get("payment_method_types").is_none() => Some("always".to_string()),
        None => None,
    };
    let return_url = opt_nonempty(&p, "return_url", &[])?;
    if confirm && automatic.as_deref() == Some("always") && return_url.is_none() {
        return Err(ApiError::invalid(
            "A `return_url` must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
            Some("return_url"),
        ));
    }
    let pm = opt_nonempty(&p, "payment_method", &[])?;
    let description = opt_str(&p, "description", &[])?;
    let mut meta = std::collections::BTreeMap::new();
    params::apply_metadata(&mut meta, &p)?;
    let paths = params::expand_list(&p)?;
    let req = ctx.req.clone();
    let out = app
        .write(move |s| {
            let acct = crate::accounts::render(s, s.account(&account)?);
            if confirm {
                let pm = pm.ok_or_else(|| ApiError::missing("payment_method"))?;
                if acct["charges_enabled"] != json!(true) {
                    return Err(ApiError::invalid_code(
                        "account_invalid",
                        "This account cannot currently make live charges: charges_enabled is false. Complete the account's requirements first.",
                        None,
                    ));
                }
                if !pm.starts_with("pm_") {
                    return Err(ApiError::no_such("PaymentMethod", &pm, "payment_method"));
                }
                if pm == "pm_card_chargeDeclined" || pm == "pm_card_visa_chargeDeclined" {
                    // Stripe keeps the declined attempt: a failed charge, and the PaymentIntent
                    // waiting for another payment method; the 402 names both.
                    let (pi, charge) = create_declined_payment(s, &account, amount, &currency, fee, description.as_deref(), json!(meta), &req);
                    return Ok(Err(ApiError::new(402, "card_error", Some("card_declined"), "Your card was declined.", None)
                        .with("decline_code", json!("generic_decline"))
                        .with("charge", charge["id"].clone())
                        .with("payment_intent", pi)));
                }
                let out = create_payment(s, &account, amount, &currency, fee, description.as_deref(), &pm, json!(meta), &req)?;
                Ok(Ok(out.payment_intent))
            } else {
                let id = s.new_id("pi");
                let secret = s.token(24);
                let now = s.now();
                let pi = json!({
                    "amount": amount, "amount_capturable": 0, "amount_details": {"tip": {}}, "amount_received": 0,
                    "application": PLATFORM_APPLICATION, "application_fee_amount": fee,
                    "automatic_payment_methods": {"allow_redirects": "always", "enabled": true}, "canceled_at": null,
                    "cancellation_reason": null, "capture_method": "automatic", "client_secret": format!("{id}_secret_{secret}"),
                    "confirmation_method": "automatic", "created": now, "currency": currency, "customer": null,
                    "description": description, "id": id, "last_payment_error": null, "latest_charge": null, "livemode": false,
                    "metadata": meta, "next_action": null, "object": "payment_intent", "on_behalf_of": null,
                    "payment_method": pm, "payment_method_configuration_details": null, "payment_method_options": {},
                    "payment_method_types": ["card"], "processing": null, "receipt_email": null, "review": null,
                    "setup_future_usage": null, "shipping": null, "statement_descriptor": null,
                    "statement_descriptor_suffix": null,
                    "status": if pm.is_some() { "requires_confirmation" } else { "requires_payment_method" },
                    "transfer_data": null, "transfer_group": null, "source": null, "excluded_payment_method_types": null,
                    "customer_account": null, "managed_payments": {"enabled": false}
                });
                s.insert_obj("payment_intent", Some(&account), pi.clone());
                s.emit("payment_intent.created", Some(&account), pi.clone(), None, &req);
                Ok(Ok(pi))
            }
        })
        .await??;
    Ok(Json(app.read(|s| expand(s, out, &paths, None))))
}

pub async fn create_refund_handler(
    State(app): State<SharedApp>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_REFUNDS)?;
    let account = ctx.account.clone().ok_or_else(|| {
        ApiError::invalid(
            "Pass the connected account in the Stripe-Account header.",
            None,
        )
    })?;
    let amount = opt_int(&p, "amount", &[])?;
    let reason = opt_enum(&p, "reason", &[], spec::POST_REFUNDS.one_of(&["reason"]))?;
    let charge = opt_nonempty(&p, "charge", &[])?;
    let pi = opt_nonempty(&p, "payment_intent", &[])?;
    let refund_fee = opt_bool(&p, "refund_application_fee", &[])?.unwrap_or(false);
    let mut meta = std::collections::BTreeMap::new();
    params::apply_metadata(&mut meta, &p)?;
    let req = ctx.req.clone();
    app.write(move |s| {
        let charge_id = match (charge, pi) {
            (Some(c), _) => c,
            (None, Some(pi)) => s
                .obj("payment_intent", &pi, Some(&account))
                .map_err(|_| ApiError::no_such("payment_intent", &pi, "payment_intent"))?
                .value["latest_charge"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "This PaymentIntent has no successful charge to refund.",
                        Some("payment_intent"),
                    )
                })?,
            (None, None) => return Err(ApiError::missing("charge")),
        };
        create_refund(
            s,
            &account,
            &charge_id,
            amount,
            reason,
            refund_fee,
            json!(meta),
            &req,
        )
        .map(Json)
    })
    .await
}

pub async fn create_payout_handler(
    State(app): State<SharedApp>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    let p = ctx.params.clone();
    spec::check(&p, &spec::POST_PAYOUTS)?;
    let amount = opt_int(&p, "amount", &[])?.ok_or_else(|| ApiError::missing("amount"))?;
    let currency = opt_nonempty(&p, "currency", &[])?
        .ok_or_else(|| ApiError::missing("currency"))?
        .to_lowercase();
    let method = opt_enum(&p, "method", &[], spec::POST_PAYOUTS.one_of(&["method"]))?
        .unwrap_or_else(|| "standard".into());
    opt_enum(
        &p,
        "source_type",
        &[],
        spec::POST_PAYOUTS.one_of(&["source_type"]),
    )?;
    let description = opt_str(&p, "description", &[])?;
    let mut meta = std::collections::BTreeMap::new();
    params::apply_metadata(&mut meta, &p)?;
    let req = ctx.req.clone();
    let account = ctx.account.clone();
    app.write(move |s| {
        create_payout(
            s,
            account.as_deref(),
            amount,
            &currency,
            false,
            &method,
            description,
            json!(meta),
            &req,
        )
        .map(Json)
    })
    .await
}
