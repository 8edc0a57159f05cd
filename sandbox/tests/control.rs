//! The control API and page under `/_sandbox/`: requirements, capabilities, rejection, payments,
//! payouts, the clock, fault injection (API and webhook delivery), and the events each change emits.

mod common;

use std::time::{Duration, Instant};

use common::*;
use sandbox::SandboxConfig;
use serde_json::{json, Value};

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

async fn events_of(c: &Client, ty: &str) -> Vec<Value> {
    c.ok("GET", "/v1/events", &[("type", ty), ("limit", "100")])
        .await["data"]
        .as_array()
        .unwrap()
        .clone()
}

async fn ready_account(c: &Client) -> String {
    let id = custom_account(c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = complete_account(c, &id).await;
    assert_eq!(a["charges_enabled"], true, "{a:#}");
    id
}

fn page_token(html: &str) -> String {
    let i = html.find("name=\"_token\" value=\"").unwrap() + 21;
    html[i..i + 32].to_string()
}

/// The clock offset, read with the key.
async fn clock_offset(c: &Client) -> i64 {
    c.ok("GET", "/_sandbox/api/state", &[]).await["clock_offset"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn control_posts_need_the_form_secret_and_the_emulators_own_origin() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let html = browser
        .get(format!("{}/_sandbox/", h.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = page_token(&html);
    let advance = format!("{}/_sandbox/api/clock/advance", h.base_url);
    let post = |origin: Option<&str>, token: Option<&str>| {
        let mut form = vec![("_return", "/_sandbox/"), ("days", "1")];
        if let Some(t) = token {
            form.push(("_token", t));
        }
        let mut r = browser.post(&advance).form(&form);
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        r.send()
    };

    // Without the form secret: 403, nothing changed.
    assert_eq!(post(None, None).await.unwrap().status(), 403);
    assert_eq!(post(Some(&h.base_url), None).await.unwrap().status(), 403);
    assert_eq!(clock_offset(&c).await, 0);
    // Another site's page posting the right secret (it could not read it, but say it could):
    // refused by its Origin, even with the key.
    for origin in [
        "https://evil.example",
        "http://127.0.0.1:1",
        "null",
        &h.base_url.replace("http://", "https://"),
    ] {
        let r = post(Some(origin), Some(&token)).await.unwrap();
        assert_eq!(r.status(), 403, "{origin}");
        let r = c
            .http
            .post(&advance)
            .bearer_auth(KEY)
            .header("Origin", origin)
            .form(&[("days", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "with the key, from {origin}");
    }
    assert_eq!(clock_offset(&c).await, 0);

    // The page's own forms pass: posted from its origin, or with no Origin at all.
    let port = h.base_url.rsplit(':').next().unwrap();
    for origin in [
        Some(h.base_url.as_str()),
        Some(&*format!("http://localhost:{port}")),
        None,
    ] {
        let r = post(origin, Some(&token)).await.unwrap();
        assert_eq!(r.status(), 303, "{origin:?}");
        let location = r.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/_sandbox/?notice="), "{location}");
    }
    assert_eq!(clock_offset(&c).await, 3 * 86_400);

    // The secret is new at every start, not derived from the (published) secret key.
    let other = start(seeded()).await;
    let other_html = browser
        .get(format!("{}/_sandbox/", other.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let other_token = page_token(&other_html);
    assert_ne!(other_token, token);
    let r = browser
        .post(format!("{}/_sandbox/api/clock/advance", other.base_url))
        .form(&[("_token", token.as_str()), ("days", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "another start's secret");
    other.shutdown().await;
    h.shutdown().await;
}

#[tokio::test]
async fn control_api_needs_the_key_and_the_page_is_for_local_browsers() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = anon
        .post(format!("{}/_sandbox/api/clock/advance", h.base_url))
        .form(&[("days", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no key and no form secret");
    let mut wrong = Client::new(&h.base_url);
    wrong.key = "sk_test_wrong".into();
    assert_eq!(wrong.post("/_sandbox/api/faults", &[]).await.status, 401);
    // JSON bodies work as well as forms.
    let r = c
        .json(
            "POST",
            "/_sandbox/api/faults",
            &json!({"latency_ms": 0, "error_500_rate": 0.0}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["latency_ms"], 0);

    // An account whose email would be markup if not escaped.
    custom_account(&c, &[("email", "<script>alert(1)</script>@example.com")]).await;
    let page = anon
        .get(format!("{}/_sandbox/", h.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Offline Stripe emulator"));
    assert!(!html.to_lowercase().contains("sandbox</h1>"));
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>alert"));
    let token = page_token(&html);

    // A page whose name was rebound to 127.0.0.1 (another Host) gets nothing without the key.
    let r = anon
        .get(format!("{}/_sandbox/", h.base_url))
        .header("Host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("www-authenticate").is_some());
    let r = anon
        .get(format!("{}/_sandbox/", h.base_url))
        .header("Host", "evil.example")
        .basic_auth(KEY, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = anon
        .post(format!("{}/_sandbox/api/clock/advance", h.base_url))
        .header("Host", "evil.example")
        .form(&[("_token", token.as_str()), ("days", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = anon
        .post(format!("{}/_sandbox/api/clock/advance", h.base_url))
        .form(&[("_token", "0".repeat(32).as_str()), ("days", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // The page's forms post to the API and come back to the page with a notice or an error.
    let r = anon
        .post(format!("{}/_sandbox/api/clock/advance", h.base_url))
        .form(&[
            ("_token", token.as_str()),
            ("_return", "/_sandbox/"),
            ("days", "1"),
            ("seconds", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/_sandbox/?notice="), "{location}");
    let state = c.ok("GET", "/_sandbox/api/state", &[]).await;
    assert!(state["clock_offset"].as_i64().unwrap() >= 86_400);
    let r = anon
        .post(format!("{}/_sandbox/api/faults", h.base_url))
        .form(&[
            ("_token", token.as_str()),
            ("_return", "https://elsewhere.example/"),
            ("error_500_rate", "7"),
        ])
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/_sandbox/?error="), "{location}");
    let html = anon
        .get(format!("{}{location}", h.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("must be a number between 0 and 1"));
    h.shutdown().await;
}

#[tokio::test]
async fn requirements_can_be_added_escalated_failed_and_scheduled() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let id = ready_account(&c).await;
    let api = format!("/_sandbox/api/accounts/{id}");
    let updates_before = events_of(&c, "account.updated").await.len();

    let a = c
        .ok(
            "POST",
            &format!("{api}/requirements/add"),
            &[
                ("field", "individual.verification.document"),
                ("deadline_days", "7"),
            ],
        )
        .await;
    assert!(strs(&a["requirements"]["currently_due"])
        .contains(&"individual.verification.document".to_string()));
    assert_eq!(a["requirements"]["past_due"], json!([]));
    let deadline = a["requirements"]["current_deadline"].as_i64().unwrap();
    let now = c.ok("GET", "/_sandbox/api/state", &[]).await["now"]
        .as_i64()
        .unwrap();
    assert!((deadline - now - 7 * 86_400).abs() < 10);
    assert_eq!(
        a["charges_enabled"], true,
        "still enabled before the deadline"
    );
    let updates = events_of(&c, "account.updated").await;
    assert_eq!(updates.len(), updates_before + 1);
    assert_eq!(updates[0]["account"], json!(id));
    assert_eq!(
        updates[0]["data"]["previous_attributes"]["requirements"]["currently_due"],
        json!([])
    );
    assert!(updates[0]["request"]["id"].is_null(), "Stripe's own change");

    let a = c
        .ok("POST", &format!("{api}/requirements/escalate"), &[])
        .await;
    assert_eq!(
        strs(&a["requirements"]["past_due"]),
        vec!["individual.verification.document"]
    );
    assert_eq!(
        a["requirements"]["disabled_reason"],
        "requirements.past_due"
    );
    assert_eq!(a["charges_enabled"], false);
    assert_eq!(a["capabilities"]["card_payments"], "inactive");
    let caps = events_of(&c, "capability.updated").await;
    let card = caps
        .iter()
        .find(|e| e["data"]["object"]["id"] == "card_payments")
        .expect("capability.updated for card_payments");
    assert_eq!(card["data"]["object"]["status"], "inactive");
    assert_eq!(card["data"]["previous_attributes"]["status"], "active");

    // The account provides the document through the API: enabled again.
    let a = c
        .ok(
            "POST",
            &format!("/v1/accounts/{id}"),
            &[(
                "individual[verification][document][front]",
                "file_identity_document_success",
            )],
        )
        .await;
    assert_eq!(a["requirements"]["currently_due"], json!([]), "{a:#}");
    assert_eq!(a["charges_enabled"], true);

    // A verification error on a provided field; re-submitting the field clears it.
    let a = c
        .ok(
            "POST",
            &format!("{api}/requirements/error"),
            &[
                ("requirement", "individual.id_number"),
                ("code", "verification_failed_id_number_match"),
            ],
        )
        .await;
    assert_eq!(
        a["requirements"]["errors"][0]["code"],
        "verification_failed_id_number_match"
    );
    assert!(strs(&a["requirements"]["currently_due"]).contains(&"individual.id_number".into()));
    assert_eq!(a["charges_enabled"], false);
    let r = c
        .post(
            &format!("{api}/requirements/error"),
            &[("requirement", "individual.id_number"), ("code", "bogus")],
        )
        .await;
    assert_eq!(r.status, 400);
    let a = c
        .ok(
            "POST",
            &format!("/v1/accounts/{id}"),
            &[("individual[id_number]", "123456789")],
        )
        .await;
    assert_eq!(a["requirements"]["errors"], json!([]));
    assert_eq!(a["charges_enabled"], true);

    // Future requirements take effect (past due) when their deadline passes.
    let a = c
        .ok(
            "POST",
            &format!("{api}/requirements/future"),
            &[
                ("fields[]", "individual.verification.additional_document"),
                ("deadline_days", "30"),
            ],
        )
        .await;
    assert_eq!(
        strs(&a["future_requirements"]["currently_due"]),
        vec!["individual.verification.additional_document"]
    );
    assert_eq!(a["requirements"]["currently_due"], json!([]));
    let adv = c
        .ok("POST", "/_sandbox/api/clock/advance", &[("days", "31")])
        .await;
    assert!(adv["events_emitted"].as_u64().unwrap() >= 1);
    let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    assert_eq!(
        strs(&a["requirements"]["past_due"]),
        vec!["individual.verification.additional_document"]
    );
    assert_eq!(a["future_requirements"]["currently_due"], json!([]));
    assert_eq!(a["charges_enabled"], false);
    let last = &events_of(&c, "account.updated").await[0];
    assert_eq!(last["data"]["object"]["charges_enabled"], false);
    assert_eq!(last["data"]["previous_attributes"]["charges_enabled"], true);

    let a = c
        .ok("POST", &format!("{api}/requirements/clear"), &[])
        .await;
    assert_eq!(a["requirements"]["past_due"], json!([]));
    assert_eq!(a["charges_enabled"], true);

    let r = c
        .post(
            "/_sandbox/api/accounts/acct_nobody/requirements/add",
            &[("field", "x")],
        )
        .await;
    assert_eq!(r.status, 404);
    let r = c
        .post(
            &format!("{api}/requirements/add"),
            &[("field", "not a field!")],
        )
        .await;
    assert_eq!(r.status, 400);
    h.shutdown().await;
}

#[tokio::test]
async fn capabilities_can_be_disabled_and_any_account_rejected() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let id = ready_account(&c).await;
    let api = format!("/_sandbox/api/accounts/{id}");
    let a = c
        .ok(
            "POST",
            &format!("{api}/capabilities/card_payments"),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(a["capabilities"]["card_payments"], "inactive");
    assert_eq!(a["capabilities"]["transfers"], "active");
    assert_eq!(a["charges_enabled"], false);
    let cap = c
        .ok(
            "GET",
            &format!("/v1/accounts/{id}/capabilities/card_payments"),
            &[],
        )
        .await;
    assert_eq!(cap["status"], "inactive");
    assert_eq!(cap["requirements"]["disabled_reason"], "other");
    let ev = &events_of(&c, "capability.updated").await[0];
    assert_eq!(ev["data"]["object"]["id"], "card_payments");
    assert_eq!(ev["data"]["previous_attributes"]["status"], "active");
    let a = c
        .ok(
            "POST",
            &format!("{api}/capabilities/card_payments"),
            &[("disabled", "false")],
        )
        .await;
    assert_eq!(a["capabilities"]["card_payments"], "active");
    assert_eq!(
        c.post(
            &format!("{api}/capabilities/treasury"),
            &[("disabled", "true")]
        )
        .await
        .status,
        404
    );

    // A Standard account: the platform may not reject it, Stripe can.
    let std_acct = c
        .ok(
            "POST",
            "/v1/accounts",
            &[("type", "standard"), ("country", "US")],
        )
        .await;
    let sid = std_acct["id"].as_str().unwrap();
    let r = c
        .post(
            &format!("/v1/accounts/{sid}/reject"),
            &[("reason", "fraud")],
        )
        .await;
    assert_eq!(r.status, 400);
    let a = c
        .ok(
            "POST",
            &format!("/_sandbox/api/accounts/{sid}/reject"),
            &[("reason", "terms_of_service")],
        )
        .await;
    assert_eq!(
        a["requirements"]["disabled_reason"],
        "rejected.terms_of_service"
    );
    let a = c
        .ok("POST", &format!("{api}/reject"), &[("reason", "fraud")])
        .await;
    assert_eq!(a["requirements"]["disabled_reason"], "rejected.fraud");
    assert_eq!(a["payouts_enabled"], false);
    assert_eq!(a["capabilities"]["transfers"], "inactive");
    let a = c
        .ok("POST", &format!("{api}/reject"), &[("reason", "none")])
        .await;
    assert_eq!(a["charges_enabled"], true);
    h.shutdown().await;
}

#[tokio::test]
async fn payments_payouts_and_the_clock() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let not_ready = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c
        .post(
            &format!("/_sandbox/api/accounts/{not_ready}/payments"),
            &[("amount", "1000")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "account_invalid");

    let id = ready_account(&c).await;
    let api = format!("/_sandbox/api/accounts/{id}");
    let acct_h = [("Stripe-Account", id.as_str())];
    let made = c
        .ok(
            "POST",
            &format!("{api}/payments"),
            &[
                ("amount", "1000"),
                ("count", "3"),
                ("application_fee_amount", "100"),
            ],
        )
        .await;
    assert_eq!(made["data"].as_array().unwrap().len(), 3);
    let listed = c
        .send("GET", "/v1/payment_intents", &[], &acct_h)
        .await
        .body;
    assert_eq!(listed["data"].as_array().unwrap().len(), 3);
    let bal = c.send("GET", "/v1/balance", &[], &acct_h).await.body;
    assert_eq!(bal["available"][0]["amount"], 0);
    assert!(bal["pending"][0]["amount"].as_i64().unwrap() > 0);
    let r = c.post(&format!("{api}/payouts"), &[]).await;
    assert_eq!(r.status, 400, "nothing available yet: {}", r.body);

    let r = c
        .post("/_sandbox/api/clock/advance", &[("seconds", "0")])
        .await;
    assert_eq!(r.status, 400);
    c.ok("POST", "/_sandbox/api/clock/advance", &[("days", "2")])
        .await;
    let bal = c.send("GET", "/v1/balance", &[], &acct_h).await.body;
    let available = bal["available"][0]["amount"].as_i64().unwrap();
    assert!(available > 0, "{bal}");
    let payout = c.ok("POST", &format!("{api}/payouts"), &[]).await;
    assert_eq!(payout["amount"], available);
    assert_eq!(payout["automatic"], true);
    assert_eq!(payout["status"], "pending");
    let adv = c
        .ok("POST", "/_sandbox/api/clock/advance", &[("days", "3")])
        .await;
    assert_eq!(adv["payouts_settled"], 1);
    let po = c
        .send(
            "GET",
            &format!("/v1/payouts/{}", payout["id"].as_str().unwrap()),
            &[],
            &acct_h,
        )
        .await
        .body;
    assert_eq!(po["status"], "paid");
    let paid = events_of(&c, "payout.paid").await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0]["account"], json!(id));
    h.shutdown().await;
}

#[tokio::test]
async fn injected_api_faults_answer_500_429_and_add_latency() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let f = c
        .ok("POST", "/_sandbox/api/faults", &[("error_500_rate", "1")])
        .await;
    assert_eq!(f["error_500_rate"], 1.0);
    let r = c.get("/v1/accounts", &[]).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.body["error"]["type"], "api_error");
    assert_eq!(r.headers["stripe-should-retry"], "true");
    let r = c
        .json("GET", "/v2/core/events/evt_x", &json!({}), &[])
        .await;
    assert_eq!(r.status, 500);
    c.ok(
        "POST",
        "/_sandbox/api/faults",
        &[("error_500_rate", "0"), ("error_429_rate", "1")],
    )
    .await;
    let r = c.get("/v1/accounts", &[]).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.body["error"]["code"], "rate_limit");
    c.ok(
        "POST",
        "/_sandbox/api/faults",
        &[("error_429_rate", "0"), ("latency_ms", "300")],
    )
    .await;
    let t = Instant::now();
    assert_eq!(c.get("/v1/accounts", &[]).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        c.post("/_sandbox/api/faults", &[("latency_ms", "-1")])
            .await
            .status,
        400
    );
    assert_eq!(
        c.post("/_sandbox/api/faults", &[("webhook_drop_rate", "1.5")])
            .await
            .status,
        400
    );
    let f = c.ok("POST", "/_sandbox/api/faults/reset", &[]).await;
    assert_eq!(f["latency_ms"], 0);
    let t = Instant::now();
    c.ok("GET", "/v1/accounts", &[]).await;
    assert!(t.elapsed() < Duration::from_millis(300));
    h.shutdown().await;
}

async fn event_ids_in_order(c: &Client, n: usize) -> Vec<String> {
    let data = c.ok("GET", "/v1/events", &[("limit", "100")]).await["data"]
        .as_array()
        .unwrap()
        .clone();
    let mut ids: Vec<String> = data
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    ids.reverse();
    assert_eq!(ids.len(), n);
    ids
}

fn received_ids(got: &Received) -> Vec<String> {
    got.lock()
        .unwrap()
        .iter()
        .map(|(_, b)| {
            serde_json::from_str::<Value>(b).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn webhook_faults_drop_duplicate_and_reorder_deliveries_to_an_api_endpoint() {
    let h = start(SandboxConfig {
        webhook_retry_base_ms: 50,
        ..seeded()
    })
    .await;
    let c = Client::new(&h.base_url);
    let (url, got) = receiver(0).await;
    let ep = c
        .ok(
            "POST",
            "/v1/webhook_endpoints",
            &[
                ("url", url.as_str()),
                ("enabled_events[]", "*"),
                ("connect", "true"),
            ],
        )
        .await;
    let secret = ep["secret"].as_str().unwrap().to_string();
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let update = |i: usize| {
        let c = &c;
        let id = id.clone();
        async move {
            c.ok(
                "POST",
                &format!("/v1/accounts/{id}"),
                &[("metadata[n]", i.to_string().as_str())],
            )
            .await;
        }
    };
    // No fault: delivered once each, signed with the endpoint's secret.
    update(1).await;
    wait_for(&got, |g| g.len() == 1).await;
    {
        let g = got.lock().unwrap();
        let sig = g[0].0["stripe-signature"].to_str().unwrap();
        assert!(verify(&secret, sig, &g[0].1));
        let e: Value = serde_json::from_str(&g[0].1).unwrap();
        assert_eq!(e["type"], "account.updated");
        assert_eq!(e["account"], json!(id));
    }

    // Dropped: never arrives, and is not retried.
    c.ok(
        "POST",
        "/_sandbox/api/faults",
        &[("webhook_drop_rate", "1")],
    )
    .await;
    update(2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(got.lock().unwrap().len(), 1);
    let state = c.ok("GET", "/_sandbox/api/state", &[]).await;
    assert_eq!(state["deliveries"]["pending"], 0);

    // Duplicated: the same event arrives twice.
    c.ok(
        "POST",
        "/_sandbox/api/faults",
        &[("webhook_drop_rate", "0"), ("webhook_duplicate_rate", "1")],
    )
    .await;
    update(3).await;
    wait_for(&got, |g| g.len() == 3).await;
    let ids = received_ids(&got);
    assert_eq!(ids[1], ids[2]);

    // Reordered: ten events arrive, not in the order they were created.
    got.lock().unwrap().clear();
    c.ok(
        "POST",
        "/_sandbox/api/faults",
        &[
            ("webhook_duplicate_rate", "0"),
            ("webhook_reorder_rate", "1"),
        ],
    )
    .await;
    for i in 0..10 {
        update(10 + i).await;
    }
    wait_for(&got, |g| g.len() == 10).await;
    let all = event_ids_in_order(&c, 13).await;
    let emitted: Vec<String> = all[3..].to_vec();
    let arrived = received_ids(&got);
    let mut sorted_arrived = arrived.clone();
    sorted_arrived.sort();
    let mut sorted_emitted = emitted.clone();
    sorted_emitted.sort();
    assert_eq!(sorted_arrived, sorted_emitted, "every event arrives once");
    assert_ne!(arrived, emitted, "delivered out of order");
    h.shutdown().await;
}

#[tokio::test]
async fn documents_and_id_numbers_stay_pending_until_verified() {
    let h = start(SandboxConfig {
        verification_secs: 3600,
        ..seeded()
    })
    .await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = complete_account(&c, &id).await;
    assert_eq!(
        strs(&a["requirements"]["pending_verification"]),
        vec!["individual.id_number"]
    );
    assert_eq!(a["capabilities"]["card_payments"], "pending");
    assert_eq!(
        a["requirements"]["disabled_reason"],
        "requirements.pending_verification"
    );
    assert_eq!(a["charges_enabled"], false);
    let adv = c
        .ok(
            "POST",
            "/_sandbox/api/clock/advance",
            &[("seconds", "3601")],
        )
        .await;
    assert!(adv["events_emitted"].as_u64().unwrap() >= 2);
    let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    assert_eq!(a["requirements"]["pending_verification"], json!([]));
    assert_eq!(a["capabilities"]["card_payments"], "active");
    assert_eq!(a["charges_enabled"], true);
    let ev = &events_of(&c, "account.updated").await[0];
    assert_eq!(
        ev["data"]["previous_attributes"]["requirements"]["pending_verification"],
        json!(["individual.id_number"])
    );
    h.shutdown().await;

    // Real time finishes verification too (the delivery worker applies the passing of time).
    let h = start(SandboxConfig {
        verification_secs: 1,
        ..seeded()
    })
    .await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = complete_account(&c, &id).await;
    assert_eq!(a["charges_enabled"], false);
    let mut enabled = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
        if a["charges_enabled"] == true {
            enabled = true;
            break;
        }
    }
    assert!(enabled, "verification finished within 5 s");
    let caps = events_of(&c, "capability.updated").await;
    assert!(caps
        .iter()
        .any(|e| e["data"]["object"]["status"] == "active"));
    h.shutdown().await;
}

#[tokio::test]
async fn the_account_page_offers_every_action() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let id = ready_account(&c).await;
    let html = c
        .http
        .get(format!("{}/_sandbox/accounts/{id}", h.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for action in [
        "requirements/add",
        "requirements/escalate",
        "requirements/error",
        "requirements/future",
        "requirements/clear",
        "capabilities/card_payments",
        "reject",
        "payments",
        "payouts",
    ] {
        assert!(
            html.contains(&format!("action=\"/_sandbox/api/accounts/{id}/{action}\"")),
            "{action}"
        );
    }
    let token = page_token(&html);
    let r = c
        .http
        .post(format!(
            "{}/_sandbox/api/accounts/{id}/requirements/add",
            h.base_url
        ))
        .form(&[
            ("_token", token.as_str()),
            ("_return", &format!("/_sandbox/accounts/{id}")),
            ("field", "individual.verification.document"),
            ("deadline_days", "7"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let html = c
        .http
        .get(format!("{}{location}", h.base_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("is now currently due"));
    assert!(html.contains("<code>individual.verification.document</code>"));
    assert_eq!(
        c.http
            .get(format!("{}/_sandbox/accounts/acct_nobody", h.base_url))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    h.shutdown().await;
}
