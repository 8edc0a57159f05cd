//! OAuth for Express and Standard platforms: consent pages, redirects with `code`/`state` or
//! `access_denied`, the token endpoint (authorization code, `assert_capabilities[]`, reuse, refresh),
//! deauthorization, access tokens acting for the account, and the `account.application.*` events.

mod common;

use common::*;
use serde_json::{json, Value};

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden inputs of the consent form.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<input type=\"hidden\" name=\"").skip(1) {
        let name_end = part.find('"').unwrap();
        let name = &part[..name_end];
        let rest = &part[name_end..];
        let v_start = rest.find("value=\"").unwrap() + 7;
        let v_end = v_start + rest[v_start..].find('"').unwrap();
        out.push((unescape(name), unescape(&rest[v_start..v_end])));
    }
    out
}

fn query_of(location: &str) -> Vec<(String, String)> {
    let q = location.split_once('?').map(|(_, q)| q).unwrap_or("");
    serde_urlencoded::from_str(q).unwrap()
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

async fn consent(c: &Client, path_and_query: &str) -> (u16, String) {
    let r = c
        .http
        .get(format!("{}{path_and_query}", c.base))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn decide(c: &Client, path: &str, html: &str, extra: &[(&str, &str)]) -> (u16, String) {
    let mut form = hidden_inputs(html);
    for (k, v) in extra {
        form.push((k.to_string(), v.to_string()));
    }
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location)
}

async fn token(c: &Client, form: &[(&str, &str)]) -> (u16, Value) {
    let r = c
        .http
        .post(format!("{}/oauth/token", c.base))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn as_token(c: &Client, access_token: &str, path: &str) -> Resp {
    let mut other = Client::new(&c.base);
    other.key = access_token.to_string();
    other.get(path, &[]).await
}

#[tokio::test]
async fn express_oauth_creates_an_onboarded_account_and_exchanges_the_code_once() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let (status, html) = consent(
        &c,
        "/express/oauth/authorize?client_id=ca_platform123&state=st%26te&redirect_uri=http%3A%2F%2Fportal.test%2Foauth%2Fcallback\
&stripe_user[email]=jenny%40example.com&stripe_user[business_type]=company&suggested_capabilities[]=transfers",
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("ca_platform123") && html.contains("value=\"jenny@example.com\""));
    assert!(html.contains("<option value=\"company\" selected>"));
    let (status, location) = decide(
        &c,
        "/express/oauth/authorize",
        &html,
        &[
            ("decision", "allow"),
            ("mode", "new"),
            ("email", "jenny@example.com"),
            ("country", "US"),
            ("business_type", "company"),
            ("complete_onboarding", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{location}");
    assert!(location.starts_with("http://portal.test/oauth/callback?"));
    let q = query_of(&location);
    assert_eq!(get(&q, "state"), Some("st&te"));
    assert_eq!(get(&q, "scope"), Some("express"));
    let code = get(&q, "code").unwrap().to_string();
    assert!(code.starts_with("ac_"));

    // The code is exchanged with the secret key as client_secret.
    let (status, body) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("code", &code),
            ("grant_type", "authorization_code"),
            ("assert_capabilities[]", "transfers"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "access_token",
            "livemode",
            "refresh_token",
            "scope",
            "stripe_publishable_key",
            "stripe_user_id",
            "token_type"
        ]
    );
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["livemode"], false);
    assert_eq!(body["scope"], "express");
    assert!(body["refresh_token"].as_str().unwrap().starts_with("rt_"));
    assert!(body["stripe_publishable_key"]
        .as_str()
        .unwrap()
        .starts_with("pk_test_"));
    let user = body["stripe_user_id"].as_str().unwrap().to_string();
    let access = body["access_token"].as_str().unwrap().to_string();

    let a = c.ok("GET", &format!("/v1/accounts/{user}"), &[]).await;
    assert_eq!(a["type"], "express");
    assert_eq!(a["email"], "jenny@example.com");
    assert_eq!(a["business_type"], "company");
    assert_eq!(a["details_submitted"], true);
    assert_eq!(a["capabilities"]["transfers"], "active", "{a:#}");
    assert_eq!(a["payouts_enabled"], true);
    assert!(a["capabilities"].get("card_payments").is_none());

    // The access token acts for the account.
    let r = as_token(&c, &access, "/v1/account").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["id"], json!(user));

    let ev = c
        .ok(
            "GET",
            "/v1/events",
            &[("type", "account.application.authorized")],
        )
        .await;
    let ev = &ev["data"][0];
    assert_eq!(ev["account"], json!(user));
    assert_eq!(ev["data"]["object"]["object"], "application");
    assert_eq!(ev["data"]["object"]["id"], "ca_platform123");

    // A code works once; replaying it revokes the token issued with it.
    let (status, body) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("code", &code),
            ("grant_type", "authorization_code"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(as_token(&c, &access, "/v1/account").await.status, 401);
    let (status, body) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("code", "ac_unknown"),
            ("grant_type", "authorization_code"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(
        body["error_description"],
        "Authorization code does not exist: ac_unknown"
    );
    let (status, body) = token(
        &c,
        &[
            ("client_secret", "sk_test_wrong"),
            ("code", "ac_x"),
            ("grant_type", "authorization_code"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    let (status, body) = token(&c, &[("client_secret", KEY), ("grant_type", "password")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
    h.shutdown().await;
}

#[tokio::test]
async fn standard_oauth_denies_connects_existing_refreshes_and_deauthorizes() {
    let h = start(seeded()).await;
    let c = Client::new(&h.base_url);
    let base_q =
        "client_id=ca_std&scope=read_write&redirect_uri=https%3A%2F%2Fportal.test%2Fcb&state=s1";

    // Errors Stripe shows on its own page (nothing trustworthy to redirect to).
    let (status, _) = consent(
        &c,
        "/oauth/authorize?response_type=code&redirect_uri=https%3A%2F%2Fp.test",
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = consent(
        &c,
        "/oauth/authorize?response_type=code&client_id=ca_x&redirect_uri=javascript:alert(1)",
    )
    .await;
    assert_eq!(status, 400);
    // Errors sent back to the platform.
    let r = c
        .http
        .get(format!(
            "{}/oauth/authorize?response_type=token&{base_q}",
            h.base_url
        ))
        .send()
        .await
        .unwrap();
    let q = query_of(r.headers()["location"].to_str().unwrap());
    assert_eq!(get(&q, "error"), Some("unsupported_response_type"));
    assert_eq!(get(&q, "state"), Some("s1"));

    // The user denies.
    let (status, html) =
        consent(&c, &format!("/oauth/authorize?response_type=code&{base_q}")).await;
    assert_eq!(status, 200);
    let (status, location) = decide(&c, "/oauth/authorize", &html, &[("decision", "deny")]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("https://portal.test/cb?"));
    let q = query_of(&location);
    assert_eq!(get(&q, "error"), Some("access_denied"));
    assert!(get(&q, "error_description").is_some());
    assert_eq!(get(&q, "state"), Some("s1"));
    assert!(get(&q, "code").is_none());

    // A form whose parameters were changed is refused.
    let mut form = hidden_inputs(&html);
    for (k, v) in form.iter_mut() {
        if k == "redirect_uri" {
            *v = "https://attacker.test/cb".into();
        }
    }
    form.push(("decision".into(), "allow".into()));
    let r = c
        .http
        .post(format!("{}/oauth/authorize", h.base_url))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // Connect an existing Standard account.
    let existing = c
        .ok(
            "POST",
            "/v1/accounts",
            &[("type", "standard"), ("email", "owner@example.com")],
        )
        .await;
    let id = existing["id"].as_str().unwrap().to_string();
    let (_, html) = consent(&c, &format!("/oauth/authorize?response_type=code&{base_q}")).await;
    assert!(html.contains(&id));
    let (status, location) = decide(
        &c,
        "/oauth/authorize",
        &html,
        &[
            ("decision", "allow"),
            ("mode", "existing"),
            ("account", &id),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let q = query_of(&location);
    assert_eq!(get(&q, "scope"), Some("read_write"));
    let code = get(&q, "code").unwrap().to_string();

    // A failed capability assertion does not consume the code.
    let (status, body) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("code", &code),
            ("grant_type", "authorization_code"),
            ("assert_capabilities[]", "card_payments"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    // Basic auth with the secret key instead of client_secret.
    let r = c
        .http
        .post(format!("{}/oauth/token", h.base_url))
        .basic_auth(KEY, Some(""))
        .form(&[
            ("code", code.as_str()),
            ("grant_type", "authorization_code"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["stripe_user_id"], json!(id));
    assert_eq!(body["scope"], "read_write");
    let access = body["access_token"].as_str().unwrap().to_string();
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(as_token(&c, &access, "/v1/balance").await.status, 200);

    // Rolling the access token with the refresh token.
    let (status, rolled) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{rolled}");
    assert_eq!(rolled["refresh_token"], json!(refresh));
    assert_eq!(rolled["stripe_user_id"], json!(id));
    let new_access = rolled["access_token"].as_str().unwrap().to_string();
    assert_ne!(new_access, access);
    assert_eq!(as_token(&c, &access, "/v1/account").await.status, 401);
    assert_eq!(
        as_token(&c, &new_access, "/v1/account").await.body["id"],
        json!(id)
    );
    let (status, body) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("grant_type", "refresh_token"),
            ("refresh_token", "rt_nope"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");

    // Deauthorize: the tokens stop working and Stripe tells the platform.
    let r = c
        .post(
            "/oauth/deauthorize",
            &[("client_id", "ca_std"), ("stripe_user_id", &id)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, json!({"stripe_user_id": id}));
    assert_eq!(as_token(&c, &new_access, "/v1/account").await.status, 401);
    let ev = c
        .ok(
            "GET",
            "/v1/events",
            &[("type", "account.application.deauthorized")],
        )
        .await;
    assert_eq!(ev["data"][0]["account"], json!(id));
    assert_eq!(ev["data"][0]["data"]["object"]["id"], "ca_std");
    let r = c
        .post(
            "/oauth/deauthorize",
            &[("client_id", "ca_std"), ("stripe_user_id", &id)],
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"], "invalid_client");
    let (status, _) = token(
        &c,
        &[
            ("client_secret", KEY),
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
        ],
    )
    .await;
    assert_eq!(status, 400);
    let anon = reqwest::Client::new();
    let r = anon
        .post(format!("{}/oauth/deauthorize", h.base_url))
        .form(&[("client_id", "ca_std"), ("stripe_user_id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    h.shutdown().await;
}
