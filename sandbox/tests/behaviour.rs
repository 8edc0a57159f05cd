//! Stripe semantics: errors, idempotency, pagination, payout schedules, account links and hosted
//! onboarding, webhooks (signature, retries), persistence, concurrency and deterministic ids.

mod common;

use common::*;
use sandbox::{SandboxConfig, WebhookEndpointConfig};
use serde_json::{json, Value};

#[tokio::test]
async fn authentication_and_error_objects() {
    let h = start(seeded()).await;
    let mut c = Client::new(&h.base_url);
    let r = c.get("/v1/accounts", &[]).await;
    assert_eq!(r.status, 200);
    assert!(r
        .headers
        .get("request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("req_"));
    assert_eq!(
        r.headers.get("stripe-version").unwrap(),
        "2026-09-30.endive"
    );
    let r = c
        .send(
            "GET",
            "/v1/accounts",
            &[],
            &[("Stripe-Version", "2024-06-20")],
        )
        .await;
    assert_eq!(r.headers.get("stripe-version").unwrap(), "2024-06-20");

    // Basic auth with the key as user name works like Bearer.
    let basic = c
        .http
        .get(format!("{}/v1/accounts", h.base_url))
        .basic_auth(KEY, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);

    c.key = "sk_test_wrong".into();
    let r = c.get("/v1/accounts", &[]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"]["type"], "invalid_request_error");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Invalid API Key provided"));
    assert!(r.headers.get("request-id").is_some());
    let r = c
        .http
        .get(format!("{}/v1/accounts", h.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    c.key = KEY.into();

    let r = c.get("/v1/accounts/acct_missing", &[]).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["error"]["code"], "resource_missing");
    assert_eq!(r.body["error"]["param"], "account");

    let r = c
        .post(
            "/v1/account_sessions",
            &[("components[payments][enabled]", "true")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "parameter_missing");
    assert_eq!(r.body["error"]["param"], "account");
    assert!(r.body["error"]["doc_url"]
        .as_str()
        .unwrap()
        .contains("parameter-missing"));

    let r = c
        .post("/v1/accounts", &[("country", "US"), ("bogus[x]", "1")])
        .await;
    assert_eq!(r.body["error"]["code"], "parameter_unknown");
    assert_eq!(r.body["error"]["param"], "bogus");
    let r = c
        .post("/v1/accounts", &[("business_profile[nope]", "1")])
        .await;
    assert_eq!(r.body["error"]["param"], "business_profile[nope]");
    let r = c
        .post(
            "/v1/account_links",
            &[("account", ""), ("type", "account_onboarding")],
        )
        .await;
    assert_eq!(r.body["error"]["code"], "parameter_invalid_empty");

    let r = c.get("/v1/nonexistent", &[]).await;
    assert_eq!(r.status, 404);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Unrecognized request URL"));

    let r = c
        .send(
            "GET",
            "/v1/balance",
            &[],
            &[("Stripe-Account", "acct_nobody")],
        )
        .await;
    assert_eq!(r.status, 403);
    h.shutdown().await;
}

#[tokio::test]
async fn idempotency_replays_and_rejects_changed_parameters() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let form = [
        ("country", "US"),
        ("email", "a@example.com"),
        ("capabilities[transfers][requested]", "true"),
    ];
    let first = c
        .send("POST", "/v1/accounts", &form, &[("Idempotency-Key", "k1")])
        .await;
    let again = c
        .send("POST", "/v1/accounts", &form, &[("Idempotency-Key", "k1")])
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body, again.body);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(
        c.get("/v1/accounts", &[]).await.body["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let other = c
        .send(
            "POST",
            "/v1/accounts",
            &[("country", "GB")],
            &[("Idempotency-Key", "k1")],
        )
        .await;
    assert_eq!(other.status, 400);
    assert_eq!(other.body["error"]["type"], "idempotency_error");

    // Without a key every request is new.
    c.post("/v1/accounts", &form).await;
    c.post("/v1/accounts", &form).await;
    assert_eq!(
        c.get("/v1/accounts", &[]).await.body["data"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    h.shutdown().await;
}

/// Stripe compares the parameters of a reused key, not the bytes that carried them (Stripe API
/// reference, "Idempotent requests"): the same fields in another order replay the first result;
/// v2 requests are held to the same rule.
#[tokio::test]
async fn idempotency_compares_parameters_not_their_order() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let first = c
        .send(
            "POST",
            "/v1/accounts",
            &[("country", "US"), ("email", "order@example.com")],
            &[("Idempotency-Key", "order-k")],
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    let reordered = c
        .send(
            "POST",
            "/v1/accounts",
            &[("email", "order@example.com"), ("country", "US")],
            &[("Idempotency-Key", "order-k")],
        )
        .await;
    assert_eq!(reordered.status, 200, "{}", reordered.body);
    assert_eq!(reordered.body["id"], first.body["id"]);
    assert_eq!(
        reordered.headers.get("idempotent-replayed").unwrap(),
        "true"
    );

    // v2: a reused key with a changed body is refused with Stripe's idempotency_error.
    let body = serde_json::json!({
        "contact_email": "v2@example.com",
        "identity": {"country": "us"},
        "configuration": {"customer": {}}
    });
    let created = c
        .json(
            "POST",
            "/v2/core/accounts",
            &body,
            &[("Idempotency-Key", "v2-k")],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let replayed = c
        .json(
            "POST",
            "/v2/core/accounts",
            &body,
            &[("Idempotency-Key", "v2-k")],
        )
        .await;
    assert_eq!(replayed.body["id"], created.body["id"]);
    let mut changed = body.clone();
    changed["identity"]["country"] = "gb".into();
    let refused = c
        .json(
            "POST",
            "/v2/core/accounts",
            &changed,
            &[("Idempotency-Key", "v2-k")],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.body["error"]["type"], "idempotency_error");
    h.shutdown().await;
}

#[tokio::test]
async fn lists_paginate_like_stripe() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let mut ids = Vec::new();
    for i in 0..5 {
        let email = format!("p{i}@example.com");
        ids.push(
            c.ok("POST", "/v1/accounts", &[("email", &email)]).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids.reverse(); // newest first
    let p1 = c.ok("GET", "/v1/accounts", &[("limit", "2")]).await;
    assert_eq!(p1["object"], "list");
    assert_eq!(p1["url"], "/v1/accounts");
    assert_eq!(p1["has_more"], true);
    let got: Vec<&str> = p1["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![ids[0].as_str(), ids[1].as_str()]);
    let p2 = c
        .ok(
            "GET",
            "/v1/accounts",
            &[("limit", "2"), ("starting_after", &ids[1])],
        )
        .await;
    assert_eq!(p2["data"][0]["id"], json!(ids[2]));
    let p3 = c
        .ok(
            "GET",
            "/v1/accounts",
            &[("limit", "2"), ("starting_after", &ids[3])],
        )
        .await;
    assert_eq!(p3["data"].as_array().unwrap().len(), 1);
    assert_eq!(p3["has_more"], false);
    let back = c
        .ok(
            "GET",
            "/v1/accounts",
            &[("limit", "2"), ("ending_before", &ids[4])],
        )
        .await;
    assert_eq!(back["data"][0]["id"], json!(ids[2]));
    assert_eq!(back["has_more"], true);
    let bad = c.get("/v1/accounts", &[("limit", "101")]).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["error"]["param"], "limit");
    h.shutdown().await;
}

#[tokio::test]
async fn payout_schedule_is_validated_as_stripe_does() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/accounts/{id}");
    let ok = c
        .ok(
            "POST",
            &path,
            &[
                ("settings[payouts][schedule][interval]", "weekly"),
                ("settings[payouts][schedule][weekly_anchor]", "friday"),
            ],
        )
        .await;
    assert_eq!(
        ok["settings"]["payouts"]["schedule"],
        json!({"delay_days": 2, "interval": "weekly", "weekly_anchor": "friday"})
    );
    let ok = c
        .ok(
            "POST",
            &path,
            &[
                ("settings[payouts][schedule][interval]", "monthly"),
                ("settings[payouts][schedule][monthly_anchor]", "15"),
                ("settings[payouts][schedule][delay_days]", "5"),
            ],
        )
        .await;
    assert_eq!(
        ok["settings"]["payouts"]["schedule"],
        json!({"delay_days": 5, "interval": "monthly", "monthly_anchor": 15})
    );
    for (form, param) in [
        (
            vec![("settings[payouts][schedule][interval]", "hourly")],
            "settings[payouts][schedule][interval]",
        ),
        (
            vec![
                ("settings[payouts][schedule][interval]", "daily"),
                ("settings[payouts][schedule][weekly_anchor]", "monday"),
            ],
            "settings[payouts][schedule][weekly_anchor]",
        ),
        (
            vec![
                ("settings[payouts][schedule][interval]", "monthly"),
                ("settings[payouts][schedule][monthly_anchor]", "32"),
            ],
            "settings[payouts][schedule][monthly_anchor]",
        ),
        (
            vec![
                ("settings[payouts][schedule][interval]", "daily"),
                ("settings[payouts][schedule][delay_days]", "1"),
            ],
            "settings[payouts][schedule][delay_days]",
        ),
    ] {
        let r = c.post(&path, &form).await;
        assert_eq!(r.status, 400, "{form:?} should fail");
        assert_eq!(r.body["error"]["param"], param);
    }
    // A refused update changes nothing.
    let now = c.ok("GET", &path, &[]).await;
    assert_eq!(
        now["settings"]["payouts"]["schedule"]["interval"],
        "monthly"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn login_links_and_account_update_links_follow_stripes_rules() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let standard = c.ok("POST", "/v1/accounts", &[("type", "standard")]).await;
    let sid = standard["id"].as_str().unwrap();
    let r = c
        .post(&format!("/v1/accounts/{sid}/login_links"), &[])
        .await;
    assert_eq!(r.status, 400);
    let r = c
        .post(
            "/v1/account_links",
            &[
                ("account", sid),
                ("type", "account_update"),
                ("refresh_url", "http://x/r"),
                ("return_url", "http://x/b"),
            ],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["error"]["param"], "type");
    let custom = custom_account(&c, &[]).await;
    let r = c
        .post(
            "/v1/account_links",
            &[
                ("account", custom["id"].as_str().unwrap()),
                ("type", "account_update"),
                ("refresh_url", "http://x/r"),
                ("return_url", "http://x/b"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    let r = c
        .post(
            "/v1/account_sessions",
            &[
                ("account", sid),
                ("components[account_onboarding][enabled]", "true"),
                (
                    "components[account_onboarding][features][disable_stripe_user_authentication]",
                    "true",
                ),
            ],
        )
        .await;
    assert_eq!(
        r.status, 400,
        "disable_stripe_user_authentication needs platform collection"
    );
    let r = c
        .post(
            "/v1/account_sessions",
            &[
                ("account", custom["id"].as_str().unwrap()),
                ("components[account_onboarding][enabled]", "true"),
                (
                    "components[account_onboarding][features][disable_stripe_user_authentication]",
                    "true",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body["client_secret"]
        .as_str()
        .unwrap()
        .starts_with("accs_secret__"));
    h.shutdown().await;
}

async fn form_token(html: &str) -> String {
    let i = html.find("name=\"form_token\" value=\"").unwrap() + 25;
    html[i..i + 24].to_string()
}

#[tokio::test]
async fn account_links_are_single_use_and_onboarding_updates_the_account() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let acct = custom_account(&c, &[]).await;
    let id = acct["id"].as_str().unwrap();
    assert_eq!(acct["charges_enabled"], false);
    let link = c
        .ok(
            "POST",
            "/v1/account_links",
            &[
                ("account", id),
                ("type", "account_onboarding"),
                ("refresh_url", "http://portal/refresh"),
                ("return_url", "http://portal/return"),
                ("collection_options[fields]", "eventually_due"),
            ],
        )
        .await;
    let url = link["url"].as_str().unwrap();
    let page = c.http.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("individual.ssn_last_4") && html.contains("individual.id_number"),
        "eventually_due fields are asked"
    );
    let token = form_token(&html).await;
    // A second visit goes to refresh_url.
    let again = c.http.get(url).send().await.unwrap();
    assert!(again.status().is_redirection());
    assert_eq!(again.headers()["location"], "http://portal/refresh");

    // Invalid data: verification errors.
    let mut form: Vec<(String, String)> = vec![
        ("form_token".into(), token.clone()),
        ("action".into(), "submit".into()),
        ("simulate_failure".into(), "1".into()),
    ];
    for f in [
        "individual.first_name",
        "individual.last_name",
        "individual.email",
        "individual.phone",
        "individual.ssn_last_4",
        "individual.id_number",
        "individual.address.line1",
        "individual.address.city",
        "individual.address.state",
        "individual.address.postal_code",
        "business_profile.url",
        "business_profile.mcc",
    ] {
        let v = match f {
            "individual.email" => "j@example.com",
            "individual.phone" => "000-000-0000",
            "business_profile.mcc" => "5734",
            "business_profile.url" => "https://accessible.stripe.com",
            _ => "0000",
        };
        form.push((format!("field:{f}"), v.into()));
    }
    form.push(("dob:individual".into(), "1901-01-01".into()));
    form.push(("sms_code".into(), "000-000".into()));
    form.push(("tos".into(), "accepted".into()));
    form.push(("external_account".into(), "btok_us_verified".into()));
    let r = c.http.post(url).form(&form).send().await.unwrap();
    assert_eq!(r.headers()["location"], "http://portal/return");
    let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    let codes: Vec<&str> = a["requirements"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"invalid_dob_age_over_maximum")
            && codes.contains(&"verification_failed_keyed_identity"),
        "{codes:?}"
    );
    assert_eq!(a["charges_enabled"], false);
    assert_eq!(a["details_submitted"], true);

    // A new link with valid data enables the account.
    let link = c
        .ok(
            "POST",
            "/v1/account_links",
            &[
                ("account", id),
                ("type", "account_onboarding"),
                ("refresh_url", "http://portal/refresh"),
                ("return_url", "http://portal/return"),
            ],
        )
        .await;
    let url = link["url"].as_str().unwrap();
    let html = c.http.get(url).send().await.unwrap().text().await.unwrap();
    let token = form_token(&html).await;
    let form = vec![
        ("form_token", token.as_str()),
        ("action", "submit"),
        ("dob:individual", "1901-01-01"),
        ("field:individual.id_number", "000000000"),
        ("field:individual.address.line1", "address_full_match"),
    ];
    let r = c.http.post(url).form(&form).send().await.unwrap();
    assert_eq!(r.headers()["location"], "http://portal/return");
    let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    assert_eq!(a["requirements"]["currently_due"], json!([]), "{a:#}");
    assert_eq!(a["charges_enabled"], true);
    assert_eq!(a["payouts_enabled"], true);
    assert_eq!(a["capabilities"]["card_payments"], "active");
    // The form cannot be replayed.
    let r = c.http.post(url).form(&form).send().await.unwrap();
    assert_eq!(r.headers()["location"], "http://portal/refresh");
    let events = c
        .ok("GET", "/v1/events", &[("type", "capability.updated")])
        .await;
    assert!(!events["data"].as_array().unwrap().is_empty());
    h.shutdown().await;
}

#[tokio::test]
async fn expired_links_redirect_and_save_for_later_keeps_requirements() {
    let h = start(SandboxConfig {
        link_ttl_secs: 0,
        ..seeded()
    })
    .await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let link = c
        .ok(
            "POST",
            "/v1/account_links",
            &[
                ("account", &id),
                ("type", "account_onboarding"),
                ("refresh_url", "http://portal/refresh"),
                ("return_url", "http://portal/return"),
            ],
        )
        .await;
    let r = c
        .http
        .get(link["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "http://portal/refresh");
    h.shutdown().await;

    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let link = c
        .ok(
            "POST",
            "/v1/account_links",
            &[
                ("account", &id),
                ("type", "account_onboarding"),
                ("refresh_url", "http://portal/refresh"),
                ("return_url", "http://portal/return"),
            ],
        )
        .await;
    let url = link["url"].as_str().unwrap();
    let html = c.http.get(url).send().await.unwrap().text().await.unwrap();
    let token = form_token(&html).await;
    let r = c
        .http
        .post(url)
        .form(&[
            ("form_token", token.as_str()),
            ("action", "save"),
            ("field:individual.first_name", "Jenny"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "http://portal/return");
    let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    let due = a["requirements"]["currently_due"].as_array().unwrap();
    assert!(!due.is_empty());
    assert!(
        !due.contains(&json!("individual.first_name")),
        "what was typed is kept: {due:?}"
    );
    assert!(due.contains(&json!("individual.last_name")));
    assert_eq!(a["details_submitted"], false);
    // A new link shows the saved value again.
    let link = c
        .ok(
            "POST",
            "/v1/account_links",
            &[
                ("account", &id),
                ("type", "account_onboarding"),
                ("refresh_url", "http://portal/refresh"),
                ("return_url", "http://portal/return"),
                ("collection_options[fields]", "eventually_due"),
            ],
        )
        .await;
    let html = c
        .http
        .get(link["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("name=\"field:individual.last_name\""));
    assert!(
        !html.contains("name=\"field:individual.first_name\""),
        "the saved first name is not asked again"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn webhooks_are_signed_as_stripe_signs_and_retried() {
    let (url, got) = receiver(1).await;
    let secret = "whsec_test_secret_value";
    let config = SandboxConfig {
        webhook_endpoints: vec![WebhookEndpointConfig {
            url,
            secret: secret.into(),
            connect: true,
            thin: false,
        }],
        webhook_retry_base_ms: 50,
        ..seeded()
    };
    let h = start(config).await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.ok(
        "POST",
        &format!("/v1/accounts/{id}/external_accounts"),
        &[("external_account", "btok_us_verified")],
    )
    .await;
    wait_for(&got, |g| {
        g.iter()
            .any(|(_, b)| b.contains("account.external_account.created"))
    })
    .await;
    let deliveries = got.lock().unwrap().clone();
    for (headers, body) in &deliveries {
        let sig = headers["stripe-signature"].to_str().unwrap();
        assert!(sig.starts_with("t=") && sig.contains(",v1="), "{sig}");
        assert!(verify(secret, sig, body), "signature verifies");
        assert!(!verify("whsec_other", sig, body));
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["object"], "event");
        assert_eq!(event["account"], json!(id));
    }
    // The first attempt was answered 500; the event still arrived (retried).
    let events = c.ok("GET", "/v1/events", &[("limit", "100")]).await;
    let all: Vec<String> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    wait_for(&got, |g| {
        all.iter()
            .all(|id| g.iter().any(|(_, b)| b.contains(id.as_str())))
    })
    .await;
    let updated = deliveries
        .iter()
        .map(|(_, b)| serde_json::from_str::<Value>(b).unwrap())
        .find(|e| e["type"] == "account.updated");
    if let Some(e) = updated {
        assert!(e["data"]["previous_attributes"].is_object());
    }
    h.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart_and_reset_starts_clean() {
    let dir = std::env::temp_dir().join(format!("sandbox-persist-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = SandboxConfig {
        data_dir: Some(dir.clone()),
        ..seeded()
    };
    let h = start(config.clone()).await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[("metadata[k]", "v")]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    h.shutdown().await;
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sandbox-state.json")).unwrap())
            .unwrap();
    assert!(file["accounts"][&id].is_object());

    let h = start(config.clone()).await;
    let c = Client::new(&h.base_url);
    let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    assert_eq!(a["metadata"]["k"], "v");
    let next = custom_account(&c, &[]).await;
    assert_ne!(
        next["id"],
        json!(id),
        "the id counter continues after a restart"
    );
    h.shutdown().await;

    let h = start(SandboxConfig {
        reset: true,
        ..config
    })
    .await;
    let c = Client::new(&h.base_url);
    assert_eq!(c.get(&format!("/v1/accounts/{id}"), &[]).await.status, 404);
    h.shutdown().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn same_seed_gives_same_ids() {
    let a = start(SandboxConfig {
        seed: Some(42),
        ..SandboxConfig::default()
    })
    .await;
    let b = start(SandboxConfig {
        seed: Some(42),
        ..SandboxConfig::default()
    })
    .await;
    let ia = custom_account(&Client::new(&a.base_url), &[]).await["id"].clone();
    let ib = custom_account(&Client::new(&b.base_url), &[]).await["id"].clone();
    assert_eq!(ia, ib);
    assert!(ia.as_str().unwrap().starts_with("acct_"));
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_clients_lose_no_update() {
    let dir = std::env::temp_dir().join(format!("sandbox-conc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let h = start(SandboxConfig {
        data_dir: Some(dir.clone()),
        ..seeded()
    })
    .await;
    let base = h.base_url.clone();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let c = Client::new(&base);
            let email = format!("client{i}@example.com");
            let id = c
                .ok(
                    "POST",
                    "/v1/accounts",
                    &[("email", &email), ("metadata[client]", &i.to_string())],
                )
                .await["id"]
                .as_str()
                .unwrap()
                .to_string();
            for round in 0..3 {
                let key = format!("round{round}");
                c.ok(
                    "POST",
                    &format!("/v1/accounts/{id}"),
                    &[(&format!("metadata[{key}]"), "done")],
                )
                .await;
            }
            (i, id)
        }));
    }
    let mut created = Vec::new();
    for t in tasks {
        created.push(t.await.unwrap());
    }
    let c = Client::new(&base);
    for (i, id) in &created {
        let a = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
        assert_eq!(a["metadata"]["client"], json!(i.to_string()));
        for round in 0..3 {
            assert_eq!(
                a["metadata"][format!("round{round}")],
                "done",
                "{id} lost an update"
            );
        }
    }
    h.shutdown().await;
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sandbox-state.json")).unwrap())
            .expect("state file is valid JSON");
    let accounts = file["accounts"].as_object().unwrap();
    assert_eq!(accounts.len(), 50);
    for (_, id) in &created {
        assert_eq!(accounts[id]["metadata"].as_object().unwrap().len(), 4);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A PaymentIntent whose automatic payment methods may redirect (Stripe's default when no
/// `payment_method_types` are given) is confirmed only with a `return_url`; without redirects
/// (`automatic_payment_methods[allow_redirects]=never`) it needs none (Stripe's
/// `PaymentIntentAutomaticPaymentMethods.allow_redirects`).
#[tokio::test]
async fn confirming_with_redirecting_payment_methods_needs_a_return_url() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let account = custom_account(&c, &[]).await;
    let id = account["id"].as_str().unwrap().to_string();
    complete_account(&c, &id).await;
    let acct_h = [("Stripe-Account", id.as_str())];
    let base = [
        ("amount", "2000"),
        ("currency", "usd"),
        ("payment_method", "pm_card_visa"),
        ("confirm", "true"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut form = base.to_vec();
        form.extend_from_slice(extra);
        form
    };

    for refused in [
        with(&[]),
        with(&[("automatic_payment_methods[enabled]", "true")]),
        with(&[
            ("automatic_payment_methods[enabled]", "true"),
            ("automatic_payment_methods[allow_redirects]", "always"),
        ]),
    ] {
        let r = c
            .send("POST", "/v1/payment_intents", &refused, &acct_h)
            .await;
        assert_eq!(r.status, 400, "{refused:?}: {}", r.body);
        assert_eq!(r.body["error"]["type"], "invalid_request_error");
        assert_eq!(r.body["error"]["param"], "return_url");
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("A `return_url` must be specified"));
    }

    for accepted in [
        with(&[("return_url", "https://example.com/return")]),
        with(&[
            ("automatic_payment_methods[enabled]", "true"),
            ("automatic_payment_methods[allow_redirects]", "never"),
        ]),
    ] {
        let r = c
            .send("POST", "/v1/payment_intents", &accepted, &acct_h)
            .await;
        assert_eq!(r.status, 200, "{accepted:?}: {}", r.body);
        assert_eq!(r.body["status"], "succeeded");
    }
    h.shutdown().await;
}

/// Stripe: "By default, providing an external account sets it as the new default external account
/// for its currency, and deletes the old default if one exists" (the `external_account`
/// parameter of the account's update, as Stripe's SDKs document it).
#[tokio::test]
async fn an_updated_external_account_replaces_the_default() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let id = custom_account(&c, &[("external_account", "btok_us_verified")]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/accounts/{id}");
    let updated = c
        .ok(
            "POST",
            &path,
            &[("external_account", "btok_us_verified_noAccount")],
        )
        .await;
    let banks = updated["external_accounts"]["data"].as_array().unwrap();
    assert_eq!(banks.len(), 1, "the old default is gone: {banks:?}");
    assert_eq!(banks[0]["last4"], "1116");
    // Another one added with the external accounts API stays beside it.
    c.ok(
        "POST",
        &format!("{path}/external_accounts"),
        &[("external_account", "btok_us_verified")],
    )
    .await;
    let listed = c.ok("GET", &format!("{path}/external_accounts"), &[]).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
}
