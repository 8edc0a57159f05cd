//! The Connect.js stand-in: the script and the components' JSON API under `/_connectjs/v1`
//! (authentication by AccountSession client secret only, component and feature gating, data taken
//! from the emulator's state, CORS).

mod common;

use common::*;
use serde_json::{json, Value};

const API: &str = "/_connectjs/v1";

struct Cjs {
    base: String,
    http: reqwest::Client,
}

impl Cjs {
    fn new(base: &str) -> Self {
        Cjs {
            base: base.to_string(),
            http: reqwest::Client::new(),
        }
    }

    async fn call(&self, secret: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
        let url = format!("{}{API}{path}", self.base);
        let mut rb = match method {
            "GET" => self.http.get(&url),
            _ => self.http.post(&url),
        };
        if !secret.is_empty() {
            rb = rb.bearer_auth(secret);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request sent");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        Resp {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        }
    }

    async fn get(&self, secret: &str, path: &str) -> Resp {
        self.call(secret, "GET", path, None).await
    }

    async fn post(&self, secret: &str, path: &str, body: Value) -> Resp {
        self.call(secret, "POST", path, Some(body)).await
    }
}

async fn session(c: &Client, account: &str, components: &[(&str, &str)]) -> String {
    let mut form = vec![("account", account)];
    form.extend_from_slice(components);
    let s = c.ok("POST", "/v1/account_sessions", &form).await;
    s["client_secret"].as_str().unwrap().to_string()
}

async fn pay(c: &Client, account: &str, amount: &str, currency: &str) -> Value {
    let r = c
        .send(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", amount),
                ("currency", currency),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
                ("payment_method", "pm_card_visa"),
                ("application_fee_amount", "100"),
            ],
            &[("Stripe-Account", account)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

async fn ready_account(c: &Client) -> String {
    let a = custom_account(c, &[]).await;
    let id = a["id"].as_str().unwrap().to_string();
    complete_account(c, &id).await;
    id
}

#[tokio::test]
async fn script_is_served_as_cacheable_javascript() {
    let h = start(seeded()).await;
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/v1.0/connect.js", h.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let body = r.text().await.unwrap();
    assert_eq!(body, sandbox::connect_js::CONNECT_JS);
    assert!(body.contains("StripeConnect"));
    assert!(body.contains("InternalOnly") && body.contains("setConnector"));
    let again = http
        .get(format!("{}/v1.0/connect.js", h.base_url))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn paths_outside_the_component_api_need_no_client_secret() {
    let h = start(seeded()).await;
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/no-such-page", h.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        404,
        "an unknown page is not an authentication error"
    );
    let r = http
        .get(format!("{}/_connectjs/v1/session", h.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the component API still needs its secret");
}

#[tokio::test]
async fn authenticates_by_client_secret_only() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = session(&c, &acct, &[("components[payments][enabled]", "true")]).await;

    let ok = j.get(&secret, "/session").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["account"]["id"], acct);
    assert_eq!(ok.body["components"]["payments"]["enabled"], true);
    assert_eq!(ok.body["components"]["payouts"]["enabled"], false);

    // The platform's secret key is not accepted, nor a missing or unknown secret.
    for bad in [KEY, "", "accs_secret__doesnotexist"] {
        let r = j.get(bad, "/session").await;
        assert_eq!(r.status, 401, "{bad}: {}", r.body);
        assert_eq!(r.body["error"]["type"], "authentication_error");
        assert!(r.body["error"]["message"].as_str().unwrap().len() > 10);
    }
    // And the client secret is no API key for /v1.
    let mut as_key = Client::new(&h.base_url);
    as_key.key = secret.clone();
    assert_eq!(as_key.get("/v1/accounts", &[]).await.status, 401);

    // The first use claims the session.
    assert!(h.app.read(|s| s.account_sessions[&secret].claimed));

    // Past `expires_at` the secret is refused with 401 (Connect.js then asks for a new one).
    h.app
        .write(|s| {
            s.clock_offset += 1801;
            Ok(())
        })
        .await
        .unwrap();
    let r = j.get(&secret, "/payments").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"]["code"], "account_session_expired");
    let fresh = session(&c, &acct, &[("components[payments][enabled]", "true")]).await;
    assert_eq!(j.get(&fresh, "/payments").await.status, 200);

    // logout ends the session.
    assert_eq!(j.post(&fresh, "/logout", json!({})).await.status, 200);
    assert_eq!(j.get(&fresh, "/payments").await.status, 401);
}

#[tokio::test]
async fn routes_need_their_component() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = ready_account(&c).await;
    let secret = session(&c, &acct, &[("components[payments][enabled]", "true")]).await;
    assert_eq!(j.get(&secret, "/payments").await.status, 200);
    for path in [
        "/balances",
        "/payouts",
        "/account",
        "/onboarding",
        "/notifications",
        "/documents",
    ] {
        let r = j.get(&secret, path).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert_eq!(r.body["error"]["code"], "component_not_enabled");
    }
    // Naming a component the session does not enable is refused too.
    let r = j
        .get(&secret, "/payments/ch_x?component=payment_details")
        .await;
    assert_eq!(r.status, 403);
    let r = j.get(&secret, "/payments?component=payouts").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.body["error"]["code"], "component_not_allowed");

    let docs = session(&c, &acct, &[("components[documents][enabled]", "true")]).await;
    let r = j.get(&docs, "/documents").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], json!([]));
}

#[tokio::test]
async fn payments_list_matches_the_accounts_charges() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = ready_account(&c).await;
    let other = ready_account(&c).await;
    for amount in ["1000", "2550", "399"] {
        pay(&c, &acct, amount, "usd").await;
    }
    pay(&c, &acct, "5000", "jpy").await;
    let foreign = pay(&c, &other, "777", "usd").await;

    let charges = c
        .send(
            "GET",
            "/v1/charges",
            &[("limit", "100")],
            &[("Stripe-Account", &acct)],
        )
        .await
        .body;
    let secret = session(&c, &acct, &[("components[payments][enabled]", "true")]).await;
    let list = j.get(&secret, "/payments").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let data = list.body["data"].as_array().unwrap();
    let expected = charges["data"].as_array().unwrap();
    assert_eq!(data.len(), 4);
    assert_eq!(data.len(), expected.len());
    for (got, want) in data.iter().zip(expected) {
        assert_eq!(got["id"], want["id"]);
        assert_eq!(got["amount"], want["amount"]);
        assert_eq!(got["currency"], want["currency"]);
        assert_eq!(got["created"], want["created"]);
        assert_eq!(got["payment_intent"], want["payment_intent"]);
        assert_eq!(got["status"], "successful");
    }
    assert_eq!(data[0]["currency"], "jpy");
    assert!(data.iter().all(|p| p["id"] != foreign["latest_charge"]));
    assert_eq!(list.body["features"]["refund_management"], true);

    // Pagination and filters.
    let page = j.get(&secret, "/payments?limit=2").await.body;
    assert_eq!(page["has_more"], true);
    let last = page["data"][1]["id"].as_str().unwrap();
    let rest = j
        .get(&secret, &format!("/payments?limit=2&starting_after={last}"))
        .await
        .body;
    assert_eq!(rest["data"][0]["id"], expected[2]["id"]);
    assert_eq!(rest["has_more"], false);
    let big = j
        .get(&secret, "/payments?amount_gte=1000&amount_lte=3000")
        .await
        .body;
    let amounts: Vec<i64> = big["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, vec![2550, 1000]);

    // Details by PaymentIntent id and by charge id.
    let pi = expected[1]["payment_intent"].as_str().unwrap();
    let d = j.get(&secret, &format!("/payments/{pi}")).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["id"], expected[1]["id"]);
    assert_eq!(d.body["refundable_amount"], expected[1]["amount"]);
    let foreign_charge = foreign["latest_charge"].as_str().unwrap();
    assert_eq!(
        j.get(&secret, &format!("/payments/{foreign_charge}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn refunds_need_refund_management() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = ready_account(&c).await;
    let pi = pay(&c, &acct, "2000", "usd").await;
    let charge = pi["latest_charge"].as_str().unwrap().to_string();

    let without = session(
        &c,
        &acct,
        &[
            ("components[payments][enabled]", "true"),
            ("components[payments][features][refund_management]", "false"),
        ],
    )
    .await;
    let r = j
        .post(
            &without,
            &format!("/payments/{charge}/refunds"),
            json!({"amount": 500}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "feature_not_enabled");
    let ch = c
        .send(
            "GET",
            &format!("/v1/charges/{charge}"),
            &[],
            &[("Stripe-Account", &acct)],
        )
        .await
        .body;
    assert_eq!(ch["amount_refunded"], 0);

    let with = session(&c, &acct, &[("components[payments][enabled]", "true")]).await;
    let r = j
        .post(
            &with,
            &format!("/payments/{charge}/refunds"),
            json!({"amount": 500, "reason": "requested_by_customer"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "partially_refunded");
    assert_eq!(r.body["refundable_amount"], 1500);
    assert_eq!(r.body["refunds"][0]["amount"], 500);
    let ch = c
        .send(
            "GET",
            &format!("/v1/charges/{charge}"),
            &[],
            &[("Stripe-Account", &acct)],
        )
        .await
        .body;
    assert_eq!(ch["amount_refunded"], 500);
    // More than what is left is Stripe's error.
    let r = j
        .post(
            &with,
            &format!("/payments/{charge}/refunds"),
            json!({"amount": 1501}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "amount_too_large");
    let events = c
        .get("/v1/events", &[("type", "charge.refunded")])
        .await
        .body;
    assert!(events["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["data"]["object"]["id"] == json!(charge)));
}

#[tokio::test]
async fn disputes_need_dispute_management() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = ready_account(&c).await;
    let pi = c
        .send(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "3000"),
                ("currency", "usd"),
                ("confirm", "true"),
                ("automatic_payment_methods[enabled]", "true"),
                ("automatic_payment_methods[allow_redirects]", "never"),
                ("payment_method", "pm_card_createDispute"),
            ],
            &[("Stripe-Account", &acct)],
        )
        .await
        .body;
    let charge = pi["latest_charge"].as_str().unwrap();
    let off = session(
        &c,
        &acct,
        &[
            ("components[payment_details][enabled]", "true"),
            (
                "components[payment_details][features][dispute_management]",
                "false",
            ),
        ],
    )
    .await;
    let d = j.get(&off, &format!("/payments/{charge}")).await.body;
    assert_eq!(d["status"], "disputed");
    assert_eq!(d["refundable_amount"], 0);
    let dispute = d["disputes"][0]["id"].as_str().unwrap().to_string();
    let r = j
        .post(&off, &format!("/disputes/{dispute}/accept"), json!({}))
        .await;
    assert_eq!(r.status, 403);
    let on = session(
        &c,
        &acct,
        &[("components[payment_details][enabled]", "true")],
    )
    .await;
    let r = j
        .post(
            &on,
            &format!("/disputes/{dispute}/evidence"),
            json!({"text": "Signed delivery receipt"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["disputes"][0]["status"], "under_review");
    let v1 = c
        .send(
            "GET",
            &format!("/v1/disputes/{dispute}"),
            &[],
            &[("Stripe-Account", &acct)],
        )
        .await
        .body;
    assert_eq!(
        v1["evidence"]["uncategorized_text"],
        "Signed delivery receipt"
    );
    // Under review it can no longer be accepted.
    let r = j
        .post(&on, &format!("/disputes/{dispute}/accept"), json!({}))
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn payout_schedule_edits_need_edit_payout_schedule() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = ready_account(&c).await;
    let plain = session(&c, &acct, &[("components[payouts][enabled]", "true")]).await;
    let b = j.get(&plain, "/balances").await;
    assert_eq!(b.status, 200, "{}", b.body);
    assert_eq!(b.body["schedule"]["interval"], "daily");
    assert_eq!(b.body["features"]["edit_payout_schedule"], false);
    let r = j
        .post(
            &plain,
            "/payout_schedule",
            json!({"interval": "weekly", "weekly_anchor": "friday"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "feature_not_enabled");
    let a = c.ok("GET", &format!("/v1/accounts/{acct}"), &[]).await;
    assert_eq!(a["settings"]["payouts"]["schedule"]["interval"], "daily");

    let edit = session(
        &c,
        &acct,
        &[
            ("components[payouts][enabled]", "true"),
            (
                "components[payouts][features][edit_payout_schedule]",
                "true",
            ),
        ],
    )
    .await;
    let r = j
        .post(
            &edit,
            "/payout_schedule",
            json!({"interval": "weekly", "weekly_anchor": "friday", "delay_days": "3"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a = c.ok("GET", &format!("/v1/accounts/{acct}"), &[]).await;
    assert_eq!(
        a["settings"]["payouts"]["schedule"],
        json!({"delay_days": 3, "interval": "weekly", "weekly_anchor": "friday"})
    );
    // Stripe's validation applies.
    let r = j
        .post(
            &edit,
            "/payout_schedule",
            json!({"interval": "daily", "delay_days": 1}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("minimum delay_days"));

    // Payouts need standard_payouts.
    let r = j
        .post(
            &plain,
            "/payouts",
            json!({"amount": 100, "currency": "usd"}),
        )
        .await;
    assert_eq!(r.status, 403);
    let payer = session(
        &c,
        &acct,
        &[
            ("components[balances][enabled]", "true"),
            ("components[balances][features][standard_payouts]", "true"),
        ],
    )
    .await;
    // Nothing is available yet: Stripe's balance error.
    let r = j
        .post(
            &payer,
            "/payouts",
            json!({"amount": 100, "currency": "usd"}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "balance_insufficient");
}

#[tokio::test]
async fn embedded_onboarding_updates_the_account() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();

    let banner = session(
        &c,
        &acct,
        &[("components[notification_banner][enabled]", "true")],
    )
    .await;
    let n = j.get(&banner, "/notifications").await.body;
    assert!(n["total"].as_u64().unwrap() >= 1, "{n}");
    assert!(n["action_required"].as_u64().unwrap() >= 1);

    // Without external_account_collection the form leaves the bank account to the platform.
    let no_bank = session(
        &c,
        &acct,
        &[
            ("components[account_onboarding][enabled]", "true"),
            (
                "components[account_onboarding][features][external_account_collection]",
                "false",
            ),
        ],
    )
    .await;
    let st = j.get(&no_bank, "/onboarding").await.body;
    assert!(st["due"]
        .as_array()
        .unwrap()
        .contains(&json!("external_account")));
    assert!(!st["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["name"] == "external_account"));
    let r = j
        .post(
            &no_bank,
            "/onboarding",
            json!({"values": {"external_account": "btok_us_verified"}}),
        )
        .await;
    assert_eq!(r.status, 403);

    let secret = session(
        &c,
        &acct,
        &[("components[account_onboarding][enabled]", "true")],
    )
    .await;
    let st = j.get(&secret, "/onboarding").await;
    assert_eq!(st.status, 200, "{}", st.body);
    let inputs = st.body["inputs"].as_array().unwrap().clone();
    assert!(inputs.iter().any(|i| i["name"] == "external_account"));
    assert!(inputs.iter().any(|i| i["name"] == "dob:individual"));
    assert_eq!(st.body["asks_sms_code"], true);

    // Fill the form as the JS does: every input's value (or its first option).
    let mut values = serde_json::Map::new();
    for i in &inputs {
        let v = i
            .get("value")
            .cloned()
            .filter(|v| !v.is_null())
            .unwrap_or_else(|| i["options"][0]["value"].clone());
        values.insert(i["name"].as_str().unwrap().to_string(), v);
    }
    // Same validation as the hosted form.
    let mut bad = values.clone();
    bad.insert("field:individual.phone".into(), json!("123"));
    bad.insert("sms_code".into(), json!("000-000"));
    let r = j.post(&secret, "/onboarding", json!({"values": bad})).await;
    assert_eq!(r.status, 400);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("phone"));
    let mut wrong_code = values.clone();
    wrong_code.insert("sms_code".into(), json!("123-456"));
    let r = j
        .post(&secret, "/onboarding", json!({"values": wrong_code}))
        .await;
    assert_eq!(r.status, 400);
    // Fields that are not due are refused.
    let mut extra = values.clone();
    extra.insert("field:company.name".into(), json!("Evil"));
    let r = j
        .post(&secret, "/onboarding", json!({"values": extra}))
        .await;
    assert_eq!(r.status, 400);

    values.insert("sms_code".into(), json!("000-000"));
    let r = j
        .post(&secret, "/onboarding", json!({"values": values}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["due"], json!([]));
    assert_eq!(r.body["account"]["charges_enabled"], true);

    let a = c.ok("GET", &format!("/v1/accounts/{acct}"), &[]).await;
    assert_eq!(a["details_submitted"], true);
    assert_eq!(a["payouts_enabled"], true);
    assert_eq!(a["requirements"]["currently_due"], json!([]));
    let events = c
        .get("/v1/events", &[("type", "account.updated")])
        .await
        .body;
    assert!(events["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["account"] == json!(acct)
            && e["data"]["object"]["details_submitted"] == json!(true)));
    let n = j.get(&banner, "/notifications").await.body;
    assert_eq!(n["total"], 0, "{n}");
    assert_eq!(n["action_required"], 0);
}

#[tokio::test]
async fn account_management_edits_and_validates() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let j = Cjs::new(&h.base_url);
    let acct = ready_account(&c).await;
    let s = session(
        &c,
        &acct,
        &[("components[account_management][enabled]", "true")],
    )
    .await;
    let r = j
        .post(
            &s,
            "/account",
            json!({"business_profile": {"name": "Rocket Rides", "support_email": "help@example.com"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["business_profile"]["name"], "Rocket Rides");
    let a = c.ok("GET", &format!("/v1/accounts/{acct}"), &[]).await;
    assert_eq!(a["business_profile"]["support_email"], "help@example.com");
    let r = j
        .post(
            &s,
            "/account",
            json!({"business_profile": {"support_email": "nope"}}),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = j
        .post(&s, "/account", json!({"business_profile": {"mcc": "1234"}}))
        .await;
    assert_eq!(r.status, 400);
    let r = j
        .post(
            &s,
            "/external_accounts",
            json!({"token": "btok_us_verified"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["default"], true);
    let a = c.ok("GET", &format!("/v1/accounts/{acct}"), &[]).await;
    assert_eq!(a["external_accounts"]["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn cors_allows_any_origin() {
    let h = start(seeded()).await;
    let http = reqwest::Client::new();
    let r = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}{API}/payments/ch_1/refunds", h.base_url),
        )
        .header("Origin", "http://127.0.0.1:3000")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let hd = r.headers();
    assert_eq!(hd["access-control-allow-origin"], "*");
    let methods = hd["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST") && methods.contains("GET"));
    let allowed = hd["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));

    // Errors carry the header too, so the browser lets the script read them.
    let r = http
        .get(format!("{}{API}/session", h.base_url))
        .header("Origin", "http://127.0.0.1:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    // The Stripe API itself is not opened up.
    let r = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/accounts", h.base_url),
        )
        .header("Origin", "http://127.0.0.1:3000")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}
