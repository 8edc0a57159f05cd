//! Sessions that stay dead and limits that hold under concurrency, over HTTP against the real
//! server on both databases: a request in flight while its session is ended cannot bring the
//! session back; a password change ends sessions even if their rows survive; sessions end a
//! fixed time after sign-in; concurrent wrong passwords and sign-ups cannot pass their limits.

#[macro_use]
mod common;

use app::onboarding::{StartOnboarding, SyncMyAccount};
use app::profile::{ChangeEmail, EndSession, ListMySessions};
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::json;
use std::time::Duration;

async fn home_status(server: &TestServer, cookie: &str) -> u16 {
    with_cookie(cookie)
        .get(server.url("/account"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// How a session is ended while one of its requests is still in flight.
#[derive(Debug, Clone, Copy)]
enum Ending {
    SignOut,
    EndedFromAnotherSession,
    PasswordChangedElsewhere,
}

/// Signs up an owner with an account on the emulator, starts a request that waits on Stripe with
/// the owner's cookie, ends the session meanwhile, and checks the cookie is refused once the slow
/// request has finished (and saved whatever it held).
async fn a_request_in_flight_cannot_revive_its_session(db: &TestDb, ending: Ending) {
    let server = TestServer::start(db).await;
    let email = "in-flight@example.com";
    let first = client();
    let cookie = session_cookie(&sign_up(&first, &server, email).await).unwrap();
    assert_eq!(
        call(&first, &server, StartOnboarding::PATH, &[])
            .await
            .status(),
        200
    );
    let second = client();
    assert_eq!(
        sign_in(&second, &server, email, PASSWORD).await.status(),
        200
    );
    assert_eq!(home_status(&server, &cookie).await, 200);

    stripe_latency(&server, 1_500).await;
    let slow = {
        let stolen = with_cookie(&cookie);
        let url = server.url(SyncMyAccount::PATH);
        tokio::spawn(async move {
            stolen
                .post(url)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    match ending {
        Ending::SignOut => {
            let out = with_cookie(&cookie)
                .post(server.url(app::auth::SignOut::PATH))
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            assert!(out.status().is_success(), "{}", out.status());
        }
        Ending::EndedFromAnotherSession => {
            let list: Vec<serde_json::Value> = call(&second, &server, ListMySessions::PATH, &[])
                .await
                .json()
                .await
                .unwrap();
            let other = list.iter().find(|s| s["current"] == false).unwrap();
            let handle = other["handle"].as_str().unwrap();
            let ended = call(&second, &server, EndSession::PATH, &[("handle", handle)]).await;
            assert_eq!(ended.status(), 200);
        }
        Ending::PasswordChangedElsewhere => {
            let changed = change_password(&second, &server, PASSWORD, "a brand new password").await;
            assert_eq!(changed.status(), 200);
        }
    }
    assert!(slow.await.unwrap().is_success());
    stripe_latency(&server, 0).await;
    assert_eq!(
        home_status(&server, &cookie).await,
        302,
        "{ending:?}: the ended session stays ended after its slow request saved"
    );
    server.stop().await;
}

async fn sign_out_during_a_slow_request(db: &TestDb) {
    a_request_in_flight_cannot_revive_its_session(db, Ending::SignOut).await;
}
on_both_databases!(sign_out_during_a_slow_request);

async fn ended_from_another_session_during_a_slow_request(db: &TestDb) {
    a_request_in_flight_cannot_revive_its_session(db, Ending::EndedFromAnotherSession).await;
}
on_both_databases!(ended_from_another_session_during_a_slow_request);

async fn password_changed_during_a_slow_request(db: &TestDb) {
    a_request_in_flight_cannot_revive_its_session(db, Ending::PasswordChangedElsewhere).await;
}
on_both_databases!(password_changed_during_a_slow_request);

/// The stored session row of a cookie, as a copy an attacker (or a lagging replica) could put
/// back.
async fn session_row(server: &TestServer, cookie: &str) -> (String, Option<i64>, String, i64) {
    let id = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("portal_session=")
        .to_string();
    sqlx::query_as("SELECT id, user_id, data, expires_at FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_one(server.db().pool())
        .await
        .unwrap()
}

async fn put_back(server: &TestServer, row: &(String, Option<i64>, String, i64)) {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at, updated_at) VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data",
    )
    .bind(&row.0)
    .bind(row.1)
    .bind(&row.2)
    .bind(row.3)
    .execute(server.db().pool())
    .await
    .unwrap();
}

async fn a_password_change_ends_sessions_whose_rows_survive(db: &TestDb) {
    let server = TestServer::start(db).await;
    let email = "survivor@example.com";
    let old = session_cookie(&sign_up(&client(), &server, email).await).unwrap();
    let row = session_row(&server, &old).await;
    let me = client();
    let mine = session_cookie(&sign_in(&me, &server, email, PASSWORD).await).unwrap();
    let changed = change_password(&me, &server, PASSWORD, "a brand new password").await;
    assert_eq!(changed.status(), 200);
    let renewed = session_cookie(&changed).expect("the password change cycles this session's id");
    assert_ne!(
        renewed.split(';').next(),
        mine.split(';').next(),
        "a new session id after a password change"
    );
    assert_eq!(home_status(&server, &mine).await, 302, "the old id is gone");
    assert_eq!(home_status(&server, &renewed).await, 200);

    put_back(&server, &row).await;
    assert_eq!(
        home_status(&server, &old).await,
        302,
        "a session from before the change is over even when its row is back"
    );
    server.stop().await;
}
on_both_databases!(a_password_change_ends_sessions_whose_rows_survive);

async fn an_email_change_ends_the_other_sessions(db: &TestDb) {
    let server = TestServer::start(db).await;
    let other = session_cookie(&sign_up(&client(), &server, "before@example.com").await).unwrap();
    let me = client();
    sign_in(&me, &server, "before@example.com", PASSWORD).await;
    let changed = call(
        &me,
        &server,
        ChangeEmail::PATH,
        &[("new_email", "after@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        home_status(&server, &other).await,
        200,
        "nothing changes before the new address confirms"
    );
    let link = newest_mail(&server, "after@example.com", "confirm_email_change")
        .await
        .unwrap();
    let confirmed = call(
        &me,
        &server,
        app::account_email::ConfirmEmailChange::PATH,
        &[("token", &token_in(&link.text_body))],
    )
    .await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(home_status(&server, &other).await, 302);
    let page = me.get(server.url("/account")).send().await.unwrap();
    assert_eq!(page.status(), 200, "this session goes on");
    server.stop().await;
}
on_both_databases!(an_email_change_ends_the_other_sessions);

async fn sessions_end_a_fixed_time_after_sign_in(db: &TestDb) {
    let server = TestServer::start(db).await;
    let cookie = session_cookie(&sign_up(&client(), &server, "old@example.com").await).unwrap();
    assert_eq!(home_status(&server, &cookie).await, 200);
    let mut row = session_row(&server, &cookie).await;
    let mut data: serde_json::Value = serde_json::from_str(&row.2).unwrap();
    let signed_in_at = data["signed_in_at"].as_i64().expect("sign-in time kept");
    data["signed_in_at"] = json!(signed_in_at - app::auth::ssr::MAX_SESSION_AGE_SECS - 1);
    row.2 = data.to_string();
    put_back(&server, &row).await;
    assert_eq!(
        home_status(&server, &cookie).await,
        302,
        "however recently it was used"
    );
    server.stop().await;
}
on_both_databases!(sessions_end_a_fixed_time_after_sign_in);

async fn concurrent_wrong_passwords_stay_within_the_limit(db: &TestDb) {
    let server = TestServer::start(db).await;
    let email = "target@example.com";
    sign_up(&client(), &server, email).await;
    let limit = app::throttle::Limits::default().password_per_email.max as usize;
    let tries: Vec<_> = (0..50)
        .map(|n| {
            let server_url = server.url(app::auth::SignIn::PATH);
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(server_url)
                    .header("accept", "application/json")
                    .form(&[("email", email), ("password", &format!("guess number {n}"))])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut verified = 0;
    let mut refused = 0;
    for t in tries {
        match t.await.unwrap() {
            422 => verified += 1,
            429 => refused += 1,
            503 => {} // the hashing queue was full: not verified either
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(
        verified <= limit,
        "{verified} wrong passwords were verified; the limit is {limit}"
    );
    assert!(refused >= 50 - limit - 10, "{refused} refused");
    let right = sign_in(&client(), &server, email, PASSWORD).await;
    assert_eq!(right.status(), 429, "the email stays locked for the window");
    server.stop().await;
}
on_both_databases!(
    concurrent_wrong_passwords_stay_within_the_limit,
    multi_thread
);

async fn re_checks_of_the_password_are_limited_too(db: &TestDb) {
    let server = TestServer::start(db).await;
    let me = client();
    sign_up(&me, &server, "recheck@example.com").await;
    let limit = app::throttle::Limits::default().password_per_email.max;
    let wrong = |n: i64| format!("not my password {n}");
    for n in 0..limit {
        let r = change_password(&me, &server, &wrong(n), "another long password").await;
        assert_eq!(r.status(), 422);
    }
    let r = change_password(&me, &server, &wrong(99), "another long password").await;
    assert_eq!(
        r.status(),
        429,
        "a stolen session cannot guess the password"
    );
    let remove = call(
        &me,
        &server,
        app::profile::DeleteMyLogin::PATH,
        &[("password", PASSWORD)],
    )
    .await;
    assert_eq!(remove.status(), 429, "removing the login re-checks it too");
    server.stop().await;
}
on_both_databases!(re_checks_of_the_password_are_limited_too);

async fn sign_ups_are_limited_per_client(db: &TestDb) {
    let server = TestServer::start_with(db, |c| c.limits.sign_ups_per_client_per_hour = 3).await;
    let tries: Vec<_> = (0..8)
        .map(|n| {
            let url = server.url(app::auth::SignUp::PATH);
            tokio::spawn(async move {
                let email = format!("new{n}@example.com");
                reqwest::Client::new()
                    .post(url)
                    .header("accept", "application/json")
                    .form(&[
                        ("email", email.as_str()),
                        ("password", PASSWORD),
                        ("password_confirm", PASSWORD),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut made = 0;
    for t in tries {
        match t.await.unwrap() {
            200 => made += 1,
            429 | 503 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(made <= 3, "{made} logins made; the limit is 3");
    let (logins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'owner'")
        .fetch_one(server.db().pool())
        .await
        .unwrap();
    assert_eq!(logins, made);
    server.stop().await;
}
on_both_databases!(sign_ups_are_limited_per_client, multi_thread);
