//! Every object the emulator returns validates against Stripe's OpenAPI subset and has the same
//! top-level keys as Stripe's example object of that type.

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn every_object_matches_stripes_schema_and_fixture() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let root = openapi();
    let fx = fixtures();

    let acct = custom_account(
        &c,
        &[("email", "jenny@example.com"), ("metadata[ref]", "42")],
    )
    .await;
    assert_schema(&root, "account", &acct);
    assert_fixture_keys(&fx, "account", &acct, &[]);
    let id = acct["id"].as_str().unwrap().to_string();

    let done = complete_account(&c, &id).await;
    assert_schema(&root, "account", &done);
    assert_eq!(done["charges_enabled"], true, "{done:#}");
    let bank = &done["external_accounts"]["data"][0];
    assert_schema(&root, "bank_account", bank);
    assert_fixture_keys(&fx, "bank_account", bank, &[]);
    assert_fixture_keys(&fx, "external_account", bank, &[]);

    let card = c
        .ok(
            "POST",
            &format!("/v1/accounts/{id}/external_accounts"),
            &[("external_account", "tok_visa_debit")],
        )
        .await;
    assert_schema(&root, "card", &card);
    assert_fixture_keys(&fx, "card", &card, &[]);

    let cap = c
        .ok(
            "GET",
            &format!("/v1/accounts/{id}/capabilities/card_payments"),
            &[],
        )
        .await;
    assert_schema(&root, "capability", &cap);
    assert_fixture_keys(&fx, "capability", &cap, &[]);

    let link = c
        .ok(
            "POST",
            "/v1/account_links",
            &[
                ("account", &id),
                ("type", "account_onboarding"),
                ("refresh_url", "http://x/refresh"),
                ("return_url", "http://x/return"),
            ],
        )
        .await;
    assert_schema(&root, "account_link", &link);
    assert_fixture_keys(&fx, "account_link", &link, &[]);

    let session = c
        .ok(
            "POST",
            "/v1/account_sessions",
            &[
                ("account", &id),
                ("components[payments][enabled]", "true"),
                ("components[payouts][enabled]", "true"),
                (
                    "components[payouts][features][edit_payout_schedule]",
                    "true",
                ),
            ],
        )
        .await;
    assert_schema(&root, "account_session", &session);
    assert_fixture_keys(&fx, "account_session", &session, &[]);

    let express = c
        .ok(
            "POST",
            "/v1/accounts",
            &[
                ("controller[stripe_dashboard][type]", "express"),
                ("controller[fees][payer]", "application"),
                ("controller[losses][payments]", "application"),
                ("capabilities[transfers][requested]", "true"),
            ],
        )
        .await;
    let login = c
        .ok(
            "POST",
            &format!(
                "/v1/accounts/{}/login_links",
                express["id"].as_str().unwrap()
            ),
            &[],
        )
        .await;
    assert_schema(&root, "login_link", &login);
    assert_fixture_keys(&fx, "login_link", &login, &[]);

    // Payments on the connected account.
    let acct_h = [("Stripe-Account", id.as_str())];
    let pi = c
        .send(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "5000"),
                ("currency", "usd"),
                ("application_fee_amount", "500"),
                ("payment_method", "pm_card_createDispute"),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ],
            &acct_h,
        )
        .await;
    assert_eq!(pi.status, 200, "{}", pi.body);
    assert_fixture_keys(&fx, "payment_intent", &pi.body, &[]);
    let charges = c.send("GET", "/v1/charges", &[], &acct_h).await.body;
    let charge = &charges["data"][0];
    assert_fixture_keys(&fx, "charge", charge, &[]);
    let txn = c
        .send(
            "GET",
            &format!(
                "/v1/balance_transactions/{}",
                charge["balance_transaction"].as_str().unwrap()
            ),
            &[],
            &acct_h,
        )
        .await
        .body;
    assert_schema(&root, "balance_transaction", &txn);
    assert_fixture_keys(&fx, "balance_transaction", &txn, &[]);
    let disputes = c.send("GET", "/v1/disputes", &[], &acct_h).await.body;
    assert_fixture_keys(&fx, "dispute", &disputes["data"][0], &[]);
    let pi2 = c
        .send(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "2000"),
                ("currency", "usd"),
                ("payment_method", "pm_card_visa"),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ],
            &acct_h,
        )
        .await
        .body;
    let refund = c
        .send(
            "POST",
            "/v1/refunds",
            &[
                ("payment_intent", pi2["id"].as_str().unwrap()),
                ("amount", "500"),
            ],
            &acct_h,
        )
        .await;
    assert_eq!(refund.status, 200, "{}", refund.body);
    assert_fixture_keys(&fx, "refund", &refund.body, &[]);
    // A refund with `refund_application_fee`: a quarter of the charge back takes a quarter of
    // the fee with it, as a `fee_refund` on the platform's fee, and the platform hears of it.
    let with_fee = c
        .send(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "2000"),
                ("currency", "usd"),
                ("application_fee_amount", "200"),
                ("payment_method", "pm_card_visa"),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ],
            &acct_h,
        )
        .await
        .body;
    let fee_refund = c
        .send(
            "POST",
            "/v1/refunds",
            &[
                ("payment_intent", with_fee["id"].as_str().unwrap()),
                ("amount", "500"),
                ("refund_application_fee", "true"),
            ],
            &acct_h,
        )
        .await;
    assert_eq!(fee_refund.status, 200, "{}", fee_refund.body);
    let charge = c
        .send(
            "GET",
            &format!(
                "/v1/charges/{}",
                with_fee["latest_charge"].as_str().unwrap()
            ),
            &[],
            &acct_h,
        )
        .await
        .body;
    let fee = c
        .send(
            "GET",
            &format!(
                "/v1/application_fees/{}",
                charge["application_fee"].as_str().unwrap()
            ),
            &[],
            &[],
        )
        .await
        .body;
    assert_schema(&root, "application_fee", &fee);
    assert_fixture_keys(&fx, "application_fee", &fee, &[]);
    assert_eq!(
        (fee["amount_refunded"].as_i64(), &fee["refunded"]),
        (Some(50), &json!(false))
    );
    let refunds = &fee["refunds"]["data"];
    assert_schema(&root, "fee_refund", &refunds[0]);
    assert_fixture_keys(&fx, "fee_refund", &refunds[0], &[]);
    assert_eq!(refunds[0]["amount"], 50);
    let events = c
        .send(
            "GET",
            "/v1/events",
            &[("type", "application_fee.refunded")],
            &[],
        )
        .await
        .body;
    assert_eq!(events["data"][0]["data"]["object"]["id"], fee["id"]);
    assert!(
        events["data"][0].get("account").is_none(),
        "the platform's own event"
    );
    // A declined card: 402 naming the PaymentIntent (waiting for another payment method) and
    // the failed charge, both kept like Stripe keeps them.
    let declined = c
        .send(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "1500"),
                ("currency", "usd"),
                ("application_fee_amount", "150"),
                ("payment_method", "pm_card_chargeDeclined"),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
            ],
            &acct_h,
        )
        .await;
    assert_eq!(declined.status, 402, "{}", declined.body);
    let error = &declined.body["error"];
    assert_eq!(error["type"], "card_error");
    assert_eq!(error["code"], "card_declined");
    assert_eq!(error["decline_code"], "generic_decline");
    let failed_pi = &error["payment_intent"];
    assert_fixture_keys(&fx, "payment_intent", failed_pi, &[]);
    assert_eq!(failed_pi["status"], "requires_payment_method");
    assert_eq!(failed_pi["last_payment_error"]["code"], "card_declined");
    let failed_charge = c
        .send(
            "GET",
            &format!("/v1/charges/{}", error["charge"].as_str().unwrap()),
            &[],
            &acct_h,
        )
        .await
        .body;
    assert_fixture_keys(&fx, "charge", &failed_charge, &[]);
    assert_eq!(failed_charge["status"], "failed");
    assert_eq!(failed_charge["paid"], false);
    assert_eq!(failed_charge["failure_code"], "card_declined");
    assert!(failed_charge["balance_transaction"].is_null());
    let fees = c.ok("GET", "/v1/application_fees", &[]).await;
    assert_schema(&root, "application_fee", &fees["data"][0]);
    assert_fixture_keys(&fx, "application_fee", &fees["data"][0], &[]);
    let balance = c.send("GET", "/v1/balance", &[], &acct_h).await.body;
    assert_schema(&root, "balance", &balance);
    assert_fixture_keys(&fx, "balance", &balance, &[]);

    let ep = c
        .ok(
            "POST",
            "/v1/webhook_endpoints",
            &[
                ("url", "http://127.0.0.1:9/hook"),
                ("enabled_events[]", "*"),
                ("connect", "true"),
            ],
        )
        .await;
    assert_schema(&root, "webhook_endpoint", &ep);
    assert_fixture_keys(&fx, "webhook_endpoint", &ep, &["secret"]);
    let deleted = c
        .ok(
            "DELETE",
            &format!("/v1/webhook_endpoints/{}", ep["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_fixture_keys(&fx, "deleted_webhook_endpoint", &deleted, &[]);

    let events = c.ok("GET", "/v1/events", &[("limit", "100")]).await;
    let data = events["data"].as_array().unwrap();
    assert!(data.len() > 5);
    for e in data {
        assert_schema(&root, "event", e);
        assert_fixture_keys(&fx, "event", e, &["account"]);
    }
    let updated = data
        .iter()
        .find(|e| e["type"] == "account.updated")
        .expect("account.updated");
    assert_eq!(updated["account"], Value::String(id.clone()));
    assert!(updated["data"]["previous_attributes"].is_object());

    // Payouts need available funds: move the clock past the pending period.
    let payout = c
        .send(
            "POST",
            "/v1/payouts",
            &[("amount", "100"), ("currency", "usd")],
            &acct_h,
        )
        .await;
    assert_eq!(
        payout.status, 400,
        "pending funds are not available yet: {}",
        payout.body
    );
    assert_eq!(payout.body["error"]["code"], "balance_insufficient");
    c.send(
        "POST",
        "/v1/payment_intents",
        &[
            ("amount", "20000"),
            ("currency", "usd"),
            ("payment_method", "pm_card_visa"),
            ("confirm", "true"),
            ("automatic_payment_methods[enabled]", "true"),
            ("automatic_payment_methods[allow_redirects]", "never"),
        ],
        &acct_h,
    )
    .await;
    h.app
        .write(|s| {
            s.clock_offset += 3 * 86_400;
            Ok(())
        })
        .await
        .unwrap();
    let payout = c
        .send(
            "POST",
            "/v1/payouts",
            &[("amount", "100"), ("currency", "usd")],
            &acct_h,
        )
        .await;
    assert_eq!(payout.status, 200, "{}", payout.body);
    assert_schema(&root, "payout", &payout.body);
    assert_fixture_keys(&fx, "payout", &payout.body, &[]);

    let del = c
        .ok(
            "DELETE",
            &format!("/v1/accounts/{}", express["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_schema(&root, "deleted_account", &del);
    assert_fixture_keys(&fx, "deleted_account", &del, &[]);
    h.shutdown().await;
}

/// v2 objects validate against the v2 schemas of the OpenAPI subset (`v2.core.account` with every
/// include, `v2.core.account_link`, `v2.core.event`, `v2.core.event_destination`, `v2.error`).
#[tokio::test]
async fn v2_objects_match_stripes_schema() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let root = openapi();
    let all = "include=requirements&include=future_requirements&include=identity&include=defaults\
&include=configuration.merchant&include=configuration.recipient&include=configuration.customer";
    let dest = c
        .json(
            "POST",
            "/v2/core/event_destinations",
            &serde_json::json!({
                "name": "portal", "type": "webhook_endpoint", "event_payload": "thin", "enabled_events": ["*"],
                "events_from": ["@accounts"], "webhook_endpoint": {"url": "http://127.0.0.1:9/hook"},
                "include": ["webhook_endpoint.signing_secret"], "description": "thin events", "metadata": {"k": "v"}
            }),
            &[],
        )
        .await;
    assert_eq!(dest.status, 200, "{}", dest.body);
    assert_schema(&root, "v2.core.event_destination", &dest.body);
    let listed = c
        .json(
            "GET",
            "/v2/core/event_destinations?include=webhook_endpoint.url",
            &serde_json::json!({}),
            &[],
        )
        .await;
    assert_schema(&root, "v2.core.event_destination", &listed.body["data"][0]);

    let created = c
        .json(
            "POST",
            "/v2/core/accounts",
            &serde_json::json!({
                "contact_email": "jenny@example.com", "display_name": "Jenny", "dashboard": "none",
                "defaults": {"currency": "usd", "responsibilities": {"fees_collector": "application", "losses_collector": "application"},
                             "profile": {"business_url": "https://accessible.stripe.com", "doing_business_as": "Jenny Rides"}},
                "identity": {"country": "US", "entity_type": "individual",
                             "individual": {"given_name": "Jenny", "surname": "Rosen", "date_of_birth": {"day": 1, "month": 1, "year": 1901},
                                            "address": {"line1": "address_full_match", "city": "SF", "postal_code": "94103", "state": "CA", "country": "US"},
                                            "id_numbers": [{"type": "us_ssn", "value": "111111111"}]}},
                "configuration": {
                    // Stripe's request schema (OpenAPI `PostV2CoreAccounts`) has no `stripe_balance.payouts`.
                    "merchant": {"capabilities": {"card_payments": {"requested": true}},
                                 "mcc": "5734", "statement_descriptor": {"descriptor": "JENNY"}, "branding": {"primary_color": "#635bff"},
                                 "support": {"email": "help@example.com", "address": {"city": "SF", "country": "US"}},
                                 "card_payments": {"decline_on": {"cvc_failure": true}}},
                    "recipient": {"capabilities": {"stripe_balance": {"stripe_transfers": {"requested": true}}}},
                    "customer": {"capabilities": {"automatic_indirect_tax": {"requested": true}}}
                },
                "metadata": {"ref": "1"}
            }),
            &[],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_schema(&root, "v2.core.account", &created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    // Verification errors, a deadline and future requirements in the entries.
    for (path, form) in [
        (
            "requirements/add",
            vec![("field", "individual.verification.document")],
        ),
        (
            "requirements/future",
            vec![("field", "individual.verification.additional_document")],
        ),
        (
            "requirements/error",
            vec![
                ("requirement", "individual.first_name"),
                ("code", "verification_failed_other"),
            ],
        ),
    ] {
        c.ok(
            "POST",
            &format!("/_sandbox/api/accounts/{id}/{path}"),
            &form,
        )
        .await;
    }
    let full = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?{all}"),
            &serde_json::json!({}),
            &[],
        )
        .await;
    assert_eq!(full.status, 200, "{}", full.body);
    assert!(!full.body["requirements"]["entries"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(full.body["requirements"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| !e["errors"].as_array().unwrap().is_empty()));
    assert!(full.body["future_requirements"]["minimum_transition_date"].is_string());
    assert!(full.body["identity"]["individual"]["id"].is_string());
    assert_schema(&root, "v2.core.account", &full.body);
    c.ok(
        "POST",
        &format!("/_sandbox/api/accounts/{id}/reject"),
        &[("reason", "fraud")],
    )
    .await;
    let rejected = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?{all}"),
            &serde_json::json!({}),
            &[],
        )
        .await;
    assert_eq!(
        rejected.body["configuration"]["merchant"]["capabilities"]["card_payments"]["status"],
        "rejected"
    );
    assert_schema(&root, "v2.core.account", &rejected.body);
    let list = c
        .json("GET", "/v2/core/accounts", &serde_json::json!({}), &[])
        .await;
    assert_schema(&root, "v2.core.account", &list.body["data"][0]);

    let link = c
        .json(
            "POST",
            "/v2/core/account_links",
            &serde_json::json!({"account": id, "use_case": {"type": "account_onboarding", "account_onboarding": {
                "configurations": ["merchant"], "refresh_url": "https://p.test/r", "return_url": "https://p.test/x",
                "collection_options": {"fields": "currently_due"}}}}),
            &[],
        )
        .await;
    assert_eq!(link.status, 200, "{}", link.body);
    assert_schema(&root, "v2.core.account_link", &link.body);

    let event_ids: Vec<String> = h
        .app
        .read(|s| s.v2_events.iter().map(|e| e.id.clone()).collect());
    assert!(event_ids.len() >= 3);
    for eid in event_ids {
        let e = c
            .json(
                "GET",
                &format!("/v2/core/events/{eid}"),
                &serde_json::json!({}),
                &[],
            )
            .await;
        assert_eq!(e.status, 200);
        assert_schema(&root, "v2.core.event", &e.body);
    }

    for (method, path, body) in [
        (
            "GET",
            "/v2/core/accounts/acct_nobody".to_string(),
            serde_json::json!({}),
        ),
        (
            "POST",
            "/v2/core/accounts".to_string(),
            serde_json::json!({"nope": true}),
        ),
        (
            "POST",
            "/v2/core/account_links".to_string(),
            serde_json::json!({}),
        ),
    ] {
        let r = c.json(method, &path, &body, &[]).await;
        assert!(r.status >= 400, "{path}");
        assert_schema(&root, "v2.error", &r.body);
    }
    h.shutdown().await;
}
