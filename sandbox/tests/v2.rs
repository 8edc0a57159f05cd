//! The v2 API: accounts (create with configurations, retrieve with `include`, update, list), one
//! account underneath v1 and v2, requirements as `entries[]`, account links through the hosted
//! onboarding page, thin events to event destinations, and `/v2/core/events/{id}`.

mod common;

use common::*;
use serde_json::{json, Value};

fn platform_collected() -> Value {
    json!({
        "contact_email": "jenny@example.com",
        "display_name": "Jenny's Rides",
        "dashboard": "none",
        "defaults": {"responsibilities": {"fees_collector": "application", "losses_collector": "application"}},
        "identity": {"country": "us", "entity_type": "individual"},
        "configuration": {
            "merchant": {"capabilities": {"card_payments": {"requested": true}}},
            "recipient": {"capabilities": {"stripe_balance": {"stripe_transfers": {"requested": true}}}}
        },
        "metadata": {"ref": "42"}
    })
}

async fn create_v2(c: &Client, body: &Value) -> Value {
    let r = c.json("POST", "/v2/core/accounts", body, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

fn descriptions(v: &Value) -> Vec<String> {
    v["requirements"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["description"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn v2_accounts_are_v1_accounts_underneath() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let mut body = platform_collected();
    body["include"] = json!(["requirements", "configuration.merchant"]);
    let a = create_v2(&c, &body).await;
    let id = a["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("acct_"));
    assert_eq!(a["object"], "v2.core.account");
    assert_eq!(
        a["applied_configurations"],
        json!(["merchant", "recipient"])
    );
    assert_eq!(a["dashboard"], "none");
    assert_eq!(a["contact_email"], "jenny@example.com");
    assert_eq!(a["display_name"], "Jenny's Rides");
    assert_eq!(a["metadata"]["ref"], "42");
    assert!(a["created"].as_str().unwrap().ends_with('Z'));
    let card = &a["configuration"]["merchant"]["capabilities"]["card_payments"];
    assert_eq!(card["status"], "restricted");
    assert!(
        a["configuration"].get("recipient").is_none(),
        "only what was included"
    );
    let entries = a["requirements"]["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    let given = entries
        .iter()
        .find(|e| e["description"] == "identity.individual.given_name")
        .expect("given name required");
    assert_eq!(given["awaiting_action_from"], "user");
    assert_eq!(given["requested_reasons"][0]["code"], "routine_onboarding");
    let impact = given["impact"]["restricts_capabilities"]
        .as_array()
        .unwrap();
    assert!(impact
        .iter()
        .any(|i| i["capability"] == "card_payments" && i["configuration"] == "merchant"));
    assert!(impact
        .iter()
        .any(|i| i["capability"] == "stripe_balance.stripe_transfers"
            && i["configuration"] == "recipient"));
    let eventually = entries
        .iter()
        .find(|e| e["description"] == "identity.individual.id_numbers")
        .unwrap();
    assert!(["currently_due", "past_due"]
        .contains(&eventually["minimum_deadline"]["status"].as_str().unwrap()));
    assert!(a["requirements"]["summary"]["minimum_deadline"]["status"].is_string());

    // Requirements and configuration come back only when included.
    let r = c
        .json("GET", &format!("/v2/core/accounts/{id}"), &json!({}), &[])
        .await;
    assert_eq!(r.status, 200);
    for key in [
        "requirements",
        "configuration",
        "identity",
        "defaults",
        "future_requirements",
    ] {
        assert!(r.body.get(key).is_none(), "{key} not included");
    }
    let r = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?include=requirements&include=configuration.recipient&include=defaults&include=identity"),
            &json!({}),
            &[],
        )
        .await;
    assert!(r.body["requirements"]["entries"].is_array());
    assert_eq!(
        r.body["configuration"]["recipient"]["capabilities"]["stripe_balance"]["stripe_transfers"]
            ["status"],
        "restricted"
    );
    assert_eq!(
        r.body["defaults"]["responsibilities"],
        json!({"fees_collector": "application", "losses_collector": "application", "requirements_collector": "application"})
    );
    assert_eq!(r.body["identity"]["country"], "US");
    let r = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?include=bogus"),
            &json!({}),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);

    // The same account through v1.
    let v1 = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    assert_eq!(v1["type"], "custom");
    assert_eq!(v1["email"], "jenny@example.com");
    assert_eq!(v1["business_type"], "individual");
    assert_eq!(v1["controller"]["requirement_collection"], "application");
    assert_eq!(v1["capabilities"]["card_payments"], "inactive");
    assert_eq!(v1["capabilities"]["transfers"], "inactive");

    // Updating through v2 fills the v1 requirements; an external account added through v1 counts too.
    let update = json!({
        "identity": {
            "individual": {
                "given_name": "Jenny", "surname": "Rosen", "email": "jenny@example.com", "phone": "0000000000",
                "address": {"line1": "address_full_match", "city": "San Francisco", "state": "CA", "postal_code": "94103", "country": "US"},
                "date_of_birth": {"day": 1, "month": 1, "year": 1901},
                "id_numbers": [{"type": "us_ssn_last_4", "value": "0000"}, {"type": "us_ssn", "value": "000000000"}]
            },
            "attestations": {"terms_of_service": {"account": {"date": "2024-01-01T00:00:00.000Z", "ip": "127.0.0.1"}}}
        },
        "configuration": {"merchant": {"mcc": "5734", "statement_descriptor": {"descriptor": "JENNY RIDES"}}},
        "defaults": {"profile": {"business_url": "https://accessible.stripe.com"}},
        "include": ["requirements", "identity", "configuration.merchant"]
    });
    c.ok(
        "POST",
        &format!("/v1/accounts/{id}/external_accounts"),
        &[("external_account", "btok_us_verified")],
    )
    .await;
    let r = c
        .json("POST", &format!("/v2/core/accounts/{id}"), &update, &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["requirements"]["entries"], json!([]), "{:#}", r.body);
    assert_eq!(r.body["requirements"]["summary"], json!({}));
    assert_eq!(
        r.body["configuration"]["merchant"]["capabilities"]["card_payments"]["status"],
        "active"
    );
    assert_eq!(r.body["configuration"]["merchant"]["mcc"], "5734");
    assert_eq!(r.body["identity"]["individual"]["given_name"], "Jenny");
    assert_eq!(
        r.body["identity"]["individual"]["date_of_birth"],
        json!({"day": 1, "month": 1, "year": 1901})
    );
    assert_eq!(
        r.body["identity"]["attestations"]["terms_of_service"]["account"]["date"],
        "2024-01-01T00:00:00.000Z"
    );
    let v1 = c.ok("GET", &format!("/v1/accounts/{id}"), &[]).await;
    assert_eq!(v1["charges_enabled"], true, "{v1:#}");
    assert_eq!(v1["tos_acceptance"]["date"], 1_704_067_200);
    assert_eq!(
        v1["settings"]["payments"]["statement_descriptor"],
        "JENNY RIDES"
    );

    // v1 changes show through v2.
    c.ok(
        "POST",
        &format!("/v1/accounts/{id}"),
        &[("metadata[via]", "v1")],
    )
    .await;
    let r = c
        .json("GET", &format!("/v2/core/accounts/{id}"), &json!({}), &[])
        .await;
    assert_eq!(r.body["metadata"]["via"], "v1");

    // Thin events were emitted for the v2 account.
    let types: Vec<String> = h.app.read(|s| {
        s.v2_events
            .iter()
            .map(|e| e.value["type"].as_str().unwrap().to_string())
            .collect()
    });
    assert!(types.contains(&"v2.core.account.created".to_string()));
    assert!(types.contains(&"v2.core.account[requirements].updated".to_string()));
    assert!(types.contains(
        &"v2.core.account[configuration.merchant].capability_status_updated".to_string()
    ));
    assert!(types.contains(
        &"v2.core.account[configuration.recipient].capability_status_updated".to_string()
    ));

    // Errors in the v2 shape.
    let r = c
        .json(
            "POST",
            "/v2/core/accounts",
            &json!({"configuration": {"merchant": {"capabilities": {"teleport_payments": {"requested": true}}}}}),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "parameter_unknown");
    assert!(r.body["error"].get("param").is_none());
    let r = c
        .json("POST", "/v2/core/accounts", &json!({"bogus": 1}), &[])
        .await;
    assert_eq!(r.status, 400);
    let r = c
        .json("GET", "/v2/core/accounts/acct_nobody", &json!({}), &[])
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["error"]["code"], "not_found");
    let r = c
        .json(
            "POST",
            "/v2/core/accounts",
            &json!({"dashboard": "express", "defaults": {"responsibilities": {"fees_collector": "stripe", "losses_collector": "stripe"}}}),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    h.shutdown().await;
}

#[tokio::test]
async fn v2_accounts_list_pages_and_filters() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let first = create_v2(&c, &platform_collected()).await;
    let second = create_v2(
        &c,
        &json!({"identity": {"country": "US"}, "configuration": {"customer": {"capabilities": {"automatic_indirect_tax": {"requested": true}}}}, "include": ["configuration.customer"]}),
    )
    .await;
    assert_eq!(second["dashboard"], "full");
    assert_eq!(
        second["configuration"]["customer"]["capabilities"]["automatic_indirect_tax"]["status"],
        "active"
    );
    custom_account(&c, &[]).await; // a v1 account is not listed by v2
    let r = c
        .json("GET", "/v2/core/accounts?limit=1", &json!({}), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["data"][0]["id"], second["id"]);
    assert!(r.body["previous_page_url"].is_null());
    let next = r.body["next_page_url"].as_str().unwrap().to_string();
    let r = c.json("GET", &next, &json!({}), &[]).await;
    assert_eq!(r.body["data"][0]["id"], first["id"]);
    assert!(r.body["next_page_url"].is_null());
    assert!(r.body["previous_page_url"].is_string());
    let r = c
        .json(
            "GET",
            "/v2/core/accounts?applied_configurations=merchant",
            &json!({}),
            &[],
        )
        .await;
    let ids: Vec<&Value> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    assert_eq!(ids, vec![&first["id"]]);
    h.shutdown().await;
}

fn form_token(html: &str) -> String {
    let i = html.find("name=\"form_token\" value=\"").unwrap() + 25;
    html[i..i + 24].to_string()
}

#[tokio::test]
async fn v2_account_links_onboard_and_thin_events_reach_event_destinations() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let (url, got) = receiver(0).await;
    let dest = c
        .json(
            "POST",
            "/v2/core/event_destinations",
            &json!({
                "name": "portal", "type": "webhook_endpoint", "event_payload": "thin",
                "enabled_events": ["v2.core.account[requirements].updated", "v2.core.account_link.returned"],
                "events_from": ["@accounts"], "webhook_endpoint": {"url": url},
                "include": ["webhook_endpoint.signing_secret", "webhook_endpoint.url"]
            }),
            &[],
        )
        .await;
    assert_eq!(dest.status, 200, "{}", dest.body);
    assert_eq!(dest.body["object"], "v2.core.event_destination");
    let secret = dest.body["webhook_endpoint"]["signing_secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(dest.body["webhook_endpoint"]["url"], json!(url));
    let listed = c
        .json("GET", "/v2/core/event_destinations", &json!({}), &[])
        .await;
    assert_eq!(listed.body["data"][0]["id"], dest.body["id"]);
    assert_eq!(
        listed.body["data"][0]["webhook_endpoint"],
        json!({}),
        "redacted"
    );
    let r = c
        .json(
            "POST",
            "/v2/core/event_destinations",
            &json!({"name": "x", "type": "webhook_endpoint", "event_payload": "snapshot", "enabled_events": ["*"], "webhook_endpoint": {"url": url}}),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);

    let a = create_v2(&c, &platform_collected()).await;
    let id = a["id"].as_str().unwrap().to_string();
    let link_body = |kind: &str, configs: Value| {
        let mut uc = json!({"type": kind});
        uc[kind] = json!({
            "configurations": configs,
            "refresh_url": "https://portal.test/refresh",
            "return_url": "https://portal.test/return",
            "collection_options": {"fields": "eventually_due", "future_requirements": "include"}
        });
        json!({"account": id, "use_case": uc})
    };
    let r = c
        .json(
            "POST",
            "/v2/core/account_links",
            &link_body("account_onboarding", json!(["customer"])),
            &[],
        )
        .await;
    assert_eq!(r.status, 400, "customer is not applied");
    let r = c
        .json(
            "POST",
            "/v2/core/account_links",
            &json!({"account": id}),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["code"], "parameter_missing");
    let link = c
        .json(
            "POST",
            "/v2/core/account_links",
            &link_body("account_onboarding", json!(["merchant", "recipient"])),
            &[],
        )
        .await;
    assert_eq!(link.status, 200, "{}", link.body);
    assert_eq!(link.body["object"], "v2.core.account_link");
    assert_eq!(link.body["use_case"]["type"], "account_onboarding");
    assert_eq!(
        link.body["use_case"]["account_onboarding"]["collection_options"]["fields"],
        "eventually_due"
    );
    assert!(link.body["expires_at"].as_str().unwrap() > link.body["created"].as_str().unwrap());
    let link_url = link.body["url"].as_str().unwrap().to_string();

    let html = c
        .http
        .get(&link_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("individual.id_number"),
        "eventually_due fields asked"
    );
    let token = form_token(&html);
    let mut form: Vec<(String, String)> = vec![
        ("form_token".into(), token),
        ("action".into(), "submit".into()),
        ("dob:individual".into(), "1901-01-01".into()),
        ("sms_code".into(), "000-000".into()),
        ("tos".into(), "accepted".into()),
        ("external_account".into(), "btok_us_verified".into()),
    ];
    for (f, v) in [
        ("individual.first_name", "Jenny"),
        ("individual.last_name", "Rosen"),
        ("individual.email", "jenny@example.com"),
        ("individual.phone", "000-000-0000"),
        ("individual.ssn_last_4", "0000"),
        ("individual.id_number", "000000000"),
        ("individual.address.line1", "address_full_match"),
        ("individual.address.city", "San Francisco"),
        ("individual.address.state", "CA"),
        ("individual.address.postal_code", "94103"),
        ("business_profile.url", "https://accessible.stripe.com"),
        ("business_profile.mcc", "5734"),
    ] {
        form.push((format!("field:{f}"), v.into()));
    }
    let r = c.http.post(&link_url).form(&form).send().await.unwrap();
    assert_eq!(r.headers()["location"], "https://portal.test/return");

    wait_for(&got, |g| {
        g.iter()
            .any(|(_, b)| b.contains("v2.core.account_link.returned"))
            && g.iter()
                .any(|(_, b)| b.contains("v2.core.account[requirements].updated"))
    })
    .await;
    let deliveries = got.lock().unwrap().clone();
    let mut returned_id = String::new();
    for (headers, body) in &deliveries {
        let sig = headers["stripe-signature"].to_str().unwrap();
        assert!(
            verify(&secret, sig, body),
            "signed with the destination's secret"
        );
        let e: Value = serde_json::from_str(body).unwrap();
        assert_eq!(e["object"], "v2.core.event");
        assert!(e.get("data").is_none(), "thin payload");
        assert_eq!(e["related_object"]["id"], json!(id));
        assert_eq!(e["context"], json!(id));
        assert!(
            e["type"] != "v2.core.account.created",
            "only the enabled events are delivered"
        );
        if e["type"] == "v2.core.account_link.returned" {
            returned_id = e["id"].as_str().unwrap().to_string();
        }
    }
    // The full event, by id.
    let ev = c
        .json(
            "GET",
            &format!("/v2/core/events/{returned_id}"),
            &json!({}),
            &[],
        )
        .await;
    assert_eq!(ev.status, 200, "{}", ev.body);
    assert_eq!(ev.body["type"], "v2.core.account_link.returned");
    assert_eq!(ev.body["data"]["account_id"], json!(id));
    let other = custom_account(&c, &[]).await;
    let ev = c
        .json(
            "GET",
            &format!("/v2/core/events/{returned_id}"),
            &json!({}),
            &[("Stripe-Context", other["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(ev.status, 404);

    let a = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?include=requirements"),
            &json!({}),
            &[],
        )
        .await;
    assert_eq!(a.body["requirements"]["entries"], json!([]), "{:#}", a.body);

    // account_update links follow v1's rule: only where the platform collects requirements.
    let full = create_v2(
        &c,
        &json!({"dashboard": "full", "identity": {"country": "US"}, "configuration": {"merchant": {"capabilities": {"card_payments": {"requested": true}}}}}),
    )
    .await;
    let mut body = link_body("account_update", json!(["merchant"]));
    body["account"] = full["id"].clone();
    let r = c.json("POST", "/v2/core/account_links", &body, &[]).await;
    assert_eq!(r.status, 400);
    let r = c
        .json(
            "POST",
            "/v2/core/account_links",
            &link_body("account_update", json!(["merchant"])),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    h.shutdown().await;
}

#[tokio::test]
async fn future_requirements_and_escalation_show_in_v2() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let mut body = platform_collected();
    body["include"] = json!(["requirements"]);
    let a = create_v2(&c, &body).await;
    let id = a["id"].as_str().unwrap();
    c.ok(
        "POST",
        &format!("/_sandbox/api/accounts/{id}/requirements/future"),
        &[
            ("field", "individual.verification.additional_document"),
            ("deadline_days", "30"),
        ],
    )
    .await;
    let r = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?include=future_requirements&include=requirements"),
            &json!({}),
            &[],
        )
        .await;
    let fr = &r.body["future_requirements"];
    assert_eq!(
        fr["entries"][0]["description"],
        "identity.individual.documents.secondary_verification"
    );
    assert_eq!(
        fr["entries"][0]["requested_reasons"][0]["code"],
        "routine_verification"
    );
    assert!(fr["minimum_transition_date"].is_string());
    assert!(!descriptions(&r.body)
        .contains(&"identity.individual.documents.secondary_verification".to_string()));
    c.ok("POST", "/_sandbox/api/clock/advance", &[("days", "31")])
        .await;
    let r = c
        .json(
            "GET",
            &format!("/v2/core/accounts/{id}?include=requirements"),
            &json!({}),
            &[],
        )
        .await;
    let e = r.body["requirements"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["description"] == "identity.individual.documents.secondary_verification")
        .cloned()
        .expect("moved into requirements");
    assert_eq!(e["minimum_deadline"]["status"], "past_due");
    assert_eq!(
        r.body["requirements"]["summary"]["minimum_deadline"]["status"],
        "past_due"
    );
    h.shutdown().await;
}
