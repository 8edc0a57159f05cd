//! Sign-up, sign-in, sign-out, role guards, throttling and sessions, driven over HTTP against the
//! real server, once on SQLite and once on PostgreSQL.

#[macro_use]
mod common;

use app::auth::{SignOut, SignUp};
use app::pages::admin::GetPeopleCounts;
use common::*;
use leptos::server_fn::ServerFn;

async fn error_message(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.unwrap();
    // AppError is an externally tagged enum: {"Invalid": {"field": …, "message": …}} etc.
    body.as_object()
        .and_then(|o| o.values().next())
        .map(|v| match v {
            serde_json::Value::String(text) => text.clone(),
            other => other
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or_default()
                .to_string(),
        })
        .unwrap_or_default()
}

async fn sign_up_then_guards(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();

    let response = sign_up(&owner, &server, "Owner@Example.com ").await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response).expect("signing up starts a session");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");

    let page = owner.get(server.url("/account")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("owner@example.com"), "normalised email shown");

    let console = owner.get(server.url("/admin")).send().await.unwrap();
    assert_eq!(console.status(), 403);

    let counts = call(&owner, &server, GetPeopleCounts::PATH, &[]).await;
    assert_eq!(
        counts.status(),
        403,
        "server functions check the role themselves"
    );

    let anonymous = client();
    let redirect = anonymous.get(server.url("/account")).send().await.unwrap();
    assert_eq!(redirect.status(), 302);
    assert_eq!(redirect.headers()["location"], "/sign-in?next=%2Faccount");
    let counts = call(&anonymous, &server, GetPeopleCounts::PATH, &[]).await;
    assert_eq!(counts.status(), 401);

    server.stop().await;
}
on_both_databases!(sign_up_then_guards);

async fn bad_input_is_refused_clearly(db: &TestDb) {
    let server = TestServer::start(db).await;
    let person = client();

    let short = call(
        &person,
        &server,
        SignUp::PATH,
        &[
            ("email", "a@example.com"),
            ("password", "short"),
            ("password_confirm", "short"),
        ],
    )
    .await;
    assert_eq!(short.status(), 422);
    assert_eq!(
        error_message(short).await,
        "Use at least 10 characters for your password."
    );

    let bad_email = call(
        &person,
        &server,
        SignUp::PATH,
        &[
            ("email", "not-an-email"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(bad_email.status(), 422);

    assert_eq!(
        sign_up(&person, &server, "taken@example.com")
            .await
            .status(),
        200
    );
    // An address with a login gets the same answer as a new one (nothing tells them apart);
    // the address's owner is told by mail instead.
    let new_one = sign_up_form(&client(), &server, "new@example.com").await;
    let again = sign_up_form(&client(), &server, "TAKEN@example.com").await;
    assert_eq!(again.status(), new_one.status());
    assert_eq!(
        again.headers().get("serverfnredirect"),
        new_one.headers().get("serverfnredirect")
    );
    assert_eq!(again.text().await.unwrap(), new_one.text().await.unwrap());
    assert!(newest_mail(&server, "taken@example.com", "sign_up_taken")
        .await
        .is_some());
    assert!(newest_mail(&server, "new@example.com", "confirm_email")
        .await
        .is_some());

    let wrong = sign_in(&client(), &server, "taken@example.com", "wrong password!").await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(
        error_message(wrong).await,
        "The email or password is not right."
    );
    let unknown = sign_in(&client(), &server, "nobody@example.com", PASSWORD).await;
    assert_eq!(
        unknown.status(),
        422,
        "unknown emails look like wrong passwords"
    );

    server.stop().await;
}
on_both_databases!(bad_input_is_refused_clearly);

async fn repeated_failures_are_throttled(db: &TestDb) {
    let server = TestServer::start(db).await;
    assert_eq!(
        sign_up(&client(), &server, "target@example.com")
            .await
            .status(),
        200
    );
    let attacker = client();
    for _ in 0..app::throttle::Limits::default().password_per_email.max {
        let r = sign_in(
            &attacker,
            &server,
            "target@example.com",
            "guess guess guess",
        )
        .await;
        assert_eq!(r.status(), 422);
    }
    let blocked = sign_in(&attacker, &server, "target@example.com", PASSWORD).await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    assert!(error_message(blocked)
        .await
        .starts_with("Too many failed sign-in attempts. Try again in 15 minutes"));
    // Another email from elsewhere is not affected.
    assert_eq!(
        sign_up(&client(), &server, "other@example.com")
            .await
            .status(),
        200
    );
    server.stop().await;
}
on_both_databases!(repeated_failures_are_throttled);

async fn sign_in_cycles_the_session_and_sign_out_deletes_it(db: &TestDb) {
    let server = TestServer::start(db).await;
    assert_eq!(
        sign_up(&client(), &server, "cycle@example.com")
            .await
            .status(),
        200
    );

    let browser = client();
    let first = sign_in(&browser, &server, "cycle@example.com", PASSWORD).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["location"], "/account");
    let first_cookie = session_cookie(&first).unwrap();
    let second = sign_in(&browser, &server, "cycle@example.com", PASSWORD).await;
    let second_cookie = session_cookie(&second).unwrap();
    assert_ne!(
        cookie_value(&first_cookie),
        cookie_value(&second_cookie),
        "new id at sign-in"
    );

    // The old id no longer signs anyone in.
    let replay = raw_get(&server, "/account", &first_cookie).await;
    assert_eq!(replay.status(), 302);

    let out = call(&browser, &server, SignOut::PATH, &[]).await;
    assert_eq!(out.status(), 200);
    // The cookie is deleted in the browser and, what matters, the session on the server.
    let stolen = raw_get(&server, "/account", &second_cookie).await;
    assert_eq!(
        stolen.status(),
        302,
        "a copied cookie is worthless after sign-out"
    );
    server.stop().await;
}
on_both_databases!(sign_in_cycles_the_session_and_sign_out_deletes_it);

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

async fn raw_get(server: &TestServer, path: &str, set_cookie: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .default_headers(browser_headers())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(server.url(path))
        .header("cookie", cookie_value(set_cookie))
        .send()
        .await
        .unwrap()
}

async fn sessions_survive_a_restart(db: &TestDb) {
    let server = TestServer::start(db).await;
    let response = sign_up(&client(), &server, "restart@example.com").await;
    let cookie = session_cookie(&response).unwrap();
    server.stop().await;

    let server = TestServer::start(db).await;
    let page = raw_get(&server, "/account", &cookie).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("restart@example.com"));
    server.stop().await;
}
on_both_databases!(sessions_survive_a_restart);

async fn admin_from_env_sees_the_console(db: &TestDb) {
    let server = TestServer::start(db).await;
    let admin = client();
    let response = sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/admin");
    let console = admin.get(server.url("/admin")).send().await.unwrap();
    assert_eq!(console.status(), 200);
    let counts: serde_json::Value = call(&admin, &server, GetPeopleCounts::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["admins"], 1);
    // The portal is for owners only.
    assert_eq!(
        admin
            .get(server.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    server.stop().await;

    // A second start with the same env does not make a second admin.
    let server = TestServer::start(db).await;
    let admin = client();
    sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let counts: serde_json::Value = call(&admin, &server, GetPeopleCounts::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["admins"], 1);
    server.stop().await;
}
on_both_databases!(admin_from_env_sees_the_console);

async fn cross_origin_posts_and_planted_sessions_are_refused(db: &TestDb) {
    use app::profile::ChangeEmail;
    let server = TestServer::start(db).await;
    let victim = client();
    let signed_up = sign_up(&victim, &server, "victim@example.com").await;
    let cookie = session_cookie(&signed_up).unwrap();

    // Another origin's page posting to a server function with the victim's cookie (as a
    // same-site origin would get it sent): refused before the function runs.
    for (header, value) in [
        ("origin", "http://127.0.0.1:1"),
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "same-site"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let forged = reqwest::Client::new()
            .post(server.url(ChangeEmail::PATH))
            .header("cookie", cookie_value(&cookie))
            .header(header, value)
            .form(&[
                ("new_email", "attacker@example.com"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "{header}: {value}");
    }
    assert!(
        app::db::users::find_by_email(server.db(), "attacker@example.com")
            .await
            .unwrap()
            .is_none()
    );
    // The portal's own pages (same origin) pass.
    let own = reqwest::Client::new()
        .post(server.url(ChangeEmail::PATH))
        .header("cookie", cookie_value(&cookie))
        .header("origin", server.url("").trim_end_matches('/'))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&[("new_email", "victim2@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200, "{}", own.text().await.unwrap());

    // Session fixation: an attacker signed in as themselves plants their session id in the
    // victim's browser; the victim signs in with it. The planted id is then worth nothing.
    let attacker = client();
    sign_up(&attacker, &server, "attacker2@example.com").await;
    let planted =
        session_cookie(&sign_in(&attacker, &server, "attacker2@example.com", PASSWORD).await)
            .unwrap();
    let victim_browser = reqwest::Client::builder()
        .default_headers(browser_headers())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed_in = victim_browser
        .post(server.url(app::auth::SignIn::PATH))
        .header("cookie", cookie_value(&planted))
        .header("accept", "application/json")
        .form(&[("email", "victim@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let fresh = session_cookie(&signed_in).expect("a new session id at sign-in");
    assert_ne!(cookie_value(&fresh), cookie_value(&planted));
    let with_planted = raw_get(&server, "/account", &planted).await;
    assert_eq!(with_planted.status(), 302, "the planted id signs nobody in");
    let with_fresh = raw_get(&server, "/profile", &fresh).await;
    assert!(with_fresh
        .text()
        .await
        .unwrap()
        .contains("victim@example.com"));
    server.stop().await;
}
on_both_databases!(cross_origin_posts_and_planted_sessions_are_refused);
