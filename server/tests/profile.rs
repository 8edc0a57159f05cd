//! A person's own login: email, password, sessions and removal, over HTTP on both databases.

#[macro_use]
mod common;

use app::profile::{ChangeEmail, DeleteMyLogin, EndSession, ListMySessions};
use common::*;
use leptos::server_fn::ServerFn;

fn browser(user_agent: &str) -> reqwest::Client {
    let mut headers = browser_headers();
    headers.insert("user-agent", user_agent.parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0";
const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async fn sessions(client: &reqwest::Client, server: &TestServer) -> Vec<serde_json::Value> {
    let response = call(client, server, ListMySessions::PATH, &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn sessions_are_listed_and_ended(db: &TestDb) {
    let server = TestServer::start(db).await;
    let laptop = browser(FIREFOX);
    let phone = browser(SAFARI);
    let signed_up = sign_up(&laptop, &server, "me@example.com").await;
    assert_eq!(signed_up.status(), 200);
    assert_eq!(
        sign_in(&phone, &server, "me@example.com", PASSWORD)
            .await
            .status(),
        200
    );

    let list = sessions(&laptop, &server).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["current"], true, "this browser is listed first");
    let current = list.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(current["device"], "Firefox on Linux");
    assert_eq!(current["last_seen"], "Active now");
    let other = list.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["device"], "Safari on iOS");
    let handle = other["handle"].as_str().unwrap().to_string();
    let body = serde_json::to_string(&list).unwrap();
    assert!(
        !body.contains("portal_session"),
        "no session id leaves the server"
    );

    // Someone else cannot end my session with its handle.
    let stranger = browser(FIREFOX);
    sign_up(&stranger, &server, "stranger@example.com").await;
    let refused = call(&stranger, &server, EndSession::PATH, &[("handle", &handle)]).await;
    assert_eq!(refused.status(), 404);
    assert_eq!(
        call(&phone, &server, ListMySessions::PATH, &[])
            .await
            .status(),
        200,
        "still signed in"
    );

    let ended = call(&laptop, &server, EndSession::PATH, &[("handle", &handle)]).await;
    assert_eq!(ended.status(), 200);
    assert_eq!(
        call(&phone, &server, ListMySessions::PATH, &[])
            .await
            .status(),
        401,
        "the phone is signed out"
    );
    assert_eq!(sessions(&laptop, &server).await.len(), 1);

    let anonymous = client();
    assert_eq!(
        call(&anonymous, &server, ListMySessions::PATH, &[])
            .await
            .status(),
        401
    );
    assert_eq!(
        call(
            &anonymous,
            &server,
            EndSession::PATH,
            &[("handle", &handle)]
        )
        .await
        .status(),
        401
    );
    server.stop().await;
}
on_both_databases!(sessions_are_listed_and_ended);

async fn password_change_signs_out_the_other_sessions(db: &TestDb) {
    let server = TestServer::start(db).await;
    let laptop = browser(FIREFOX);
    let phone = browser(SAFARI);
    sign_up(&laptop, &server, "pw@example.com").await;
    assert_eq!(
        sign_in(&phone, &server, "pw@example.com", PASSWORD)
            .await
            .status(),
        200
    );

    let wrong = change_password(&laptop, &server, "not my password", "a brand new password").await;
    assert_eq!(wrong.status(), 422);
    let short = change_password(&laptop, &server, PASSWORD, "short").await;
    assert_eq!(short.status(), 422);

    let changed = change_password(&laptop, &server, PASSWORD, "a brand new password").await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        call(&phone, &server, ListMySessions::PATH, &[])
            .await
            .status(),
        401,
        "other sessions end"
    );
    assert_eq!(
        call(&laptop, &server, ListMySessions::PATH, &[])
            .await
            .status(),
        200,
        "this one stays"
    );
    assert_eq!(
        sign_in(&client(), &server, "pw@example.com", PASSWORD)
            .await
            .status(),
        422,
        "old password no longer works"
    );
    assert_eq!(
        sign_in(&client(), &server, "pw@example.com", "a brand new password")
            .await
            .status(),
        200
    );
    server.stop().await;
}
on_both_databases!(password_change_signs_out_the_other_sessions);

async fn change_email(
    client: &reqwest::Client,
    server: &TestServer,
    new_email: &str,
    password: &str,
) -> reqwest::StatusCode {
    call(
        client,
        server,
        ChangeEmail::PATH,
        &[("new_email", new_email), ("password", password)],
    )
    .await
    .status()
}

async fn email_change_needs_the_password_and_a_free_address(db: &TestDb) {
    use app::account_email::ConfirmEmailChange;
    let server = TestServer::start(db).await;
    let me = browser(FIREFOX);
    sign_up(&me, &server, "old@example.com").await;
    sign_up(&client(), &server, "taken@example.com").await;

    assert_eq!(
        change_email(&me, &server, "new@example.com", "wrong password").await,
        422
    );
    assert_eq!(
        change_email(&me, &server, "not an email", PASSWORD).await,
        422
    );
    // An address with a login: the same answer as a free one; its owner is told by mail and
    // nothing changes.
    assert_eq!(
        change_email(&me, &server, "Taken@Example.com", PASSWORD).await,
        200
    );
    assert!(
        newest_mail(&server, "taken@example.com", "email_change_taken")
            .await
            .is_some()
    );
    assert!(
        newest_mail(&server, "taken@example.com", "confirm_email_change")
            .await
            .is_none()
    );

    assert_eq!(
        change_email(&me, &server, "New@Example.com", PASSWORD).await,
        200
    );
    // Nothing changes until the new address confirms; the old one is told.
    assert_eq!(
        sign_in(&client(), &server, "old@example.com", PASSWORD)
            .await
            .status(),
        200
    );
    assert!(
        newest_mail(&server, "old@example.com", "email_change_requested")
            .await
            .is_some()
    );
    let link = newest_mail(&server, "new@example.com", "confirm_email_change")
        .await
        .expect("a confirmation to the new address");
    let token = token_in(&link.text_body);
    let confirmed = call(&me, &server, ConfirmEmailChange::PATH, &[("token", &token)]).await;
    assert_eq!(confirmed.status(), 200);
    // Used once only.
    let again = call(&me, &server, ConfirmEmailChange::PATH, &[("token", &token)]).await;
    assert_eq!(again.status(), 409);

    assert_eq!(
        sign_in(&client(), &server, "new@example.com", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        sign_in(&client(), &server, "old@example.com", PASSWORD)
            .await
            .status(),
        422
    );
    assert!(newest_mail(&server, "old@example.com", "email_changed")
        .await
        .is_some());
    server.stop().await;
}
on_both_databases!(email_change_needs_the_password_and_a_free_address);

async fn removing_a_login(db: &TestDb) {
    let server = TestServer::start(db).await;
    let me = browser(FIREFOX);
    sign_up(&me, &server, "leaving@example.com").await;
    assert_eq!(
        call(
            &me,
            &server,
            DeleteMyLogin::PATH,
            &[("password", "wrong password")]
        )
        .await
        .status(),
        422
    );
    assert_eq!(
        call(&me, &server, DeleteMyLogin::PATH, &[("password", PASSWORD)])
            .await
            .status(),
        200
    );
    assert_eq!(
        call(&me, &server, ListMySessions::PATH, &[]).await.status(),
        401
    );
    assert_eq!(
        sign_in(&client(), &server, "leaving@example.com", PASSWORD)
            .await
            .status(),
        422
    );

    // The only admin cannot remove themselves and lock the platform out of its console.
    let admin = browser(FIREFOX);
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let refused = call(
        &admin,
        &server,
        DeleteMyLogin::PATH,
        &[("password", ADMIN_PASSWORD)],
    )
    .await;
    assert_eq!(refused.status(), 409);
    assert_eq!(
        sign_in(&client(), &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    server.stop().await;
}
on_both_databases!(removing_a_login);
