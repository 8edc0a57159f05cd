//! Mail end to end through a real SMTP server (mailin-embedded, in this process): the mails'
//! headers and both parts, links that work when followed, password reset, retries while the
//! SMTP server refuses, and two instances on one database sending each mail once.

#[macro_use]
mod common;

use app::account_email::{ConfirmEmail, RequestPasswordReset, ResetPassword};
use common::*;
use leptos::server_fn::ServerFn;
use mailin_embedded::{response, Handler, Response, Server, SslConfig};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One received mail: envelope recipients and the raw message.
#[derive(Debug, Clone)]
struct Received {
    to: Vec<String>,
    raw: String,
}

/// Keeps what arrives; refuses the first `refuse` recipients with a transient 451.
#[derive(Clone)]
struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
    current_to: Vec<String>,
    current: Vec<u8>,
}

impl Handler for Inbox {
    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }

    fn rcpt(&mut self, _to: &str) -> Response {
        // "Try again later" for the first `refuse` recipients: the server refuses for a while.
        let left = self.refuse.load(Ordering::SeqCst);
        if left > 0 {
            self.refuse.store(left - 1, Ordering::SeqCst);
            return response::INTERNAL_ERROR;
        }
        response::OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current_to = to.to_vec();
        self.current.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.received.lock().unwrap().push(Received {
            to: self.current_to.clone(),
            raw: String::from_utf8_lossy(&self.current).into_owned(),
        });
        response::OK
    }
}

/// A real SMTP server on a free loopback port, serving on its own threads until the test ends.
fn smtp_server(refuse: usize) -> (String, Arc<Mutex<Vec<Received>>>, Arc<AtomicUsize>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let refusals = Arc::new(AtomicUsize::new(refuse));
    let inbox = Inbox {
        received: received.clone(),
        refuse: refusals.clone(),
        current_to: Vec::new(),
        current: Vec::new(),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(inbox);
    server
        .with_name("smtp.test")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_num_threads(2)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), received, refusals)
}

async fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < timeout, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Decodes a quoted-printable part (lettre encodes long lines that way).
fn unfold_qp(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn sign_up_and_confirm_by_smtp(db: &TestDb) {
    let (url, received, _) = smtp_server(0);
    let server = TestServer::start_with(db, |c| {
        c.mail.smtp_url = Some(url);
        c.mail.mail_from = "Payouts <payouts@platform.example>".into();
    })
    .await;
    let person = client();
    let answer = sign_up_form(&person, &server, "smtp-owner@example.com").await;
    assert_eq!(answer.status(), 200);
    wait_for("the confirmation mail", Duration::from_secs(15), || {
        !received.lock().unwrap().is_empty()
    })
    .await;
    let mail = received.lock().unwrap()[0].clone();
    assert_eq!(mail.to, vec!["smtp-owner@example.com".to_string()]);
    let raw = unfold_qp(&mail.raw);
    assert!(
        raw.contains("From: Payouts <payouts@platform.example>"),
        "{raw}"
    );
    assert!(raw.contains("To: smtp-owner@example.com"), "{raw}");
    assert!(raw.contains("Subject: Confirm your email address"), "{raw}");
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("Content-Type: text/plain"), "{raw}");
    assert!(raw.contains("Content-Type: text/html"), "{raw}");
    let token = token_in(&raw);

    // Sent: the outbox no longer keeps the link.
    let row = newest_mail(&server, "smtp-owner@example.com", "confirm_email")
        .await
        .unwrap();
    assert_eq!(row.state, "sent");
    assert!(row.text_body.is_empty() && row.html_body.is_empty());

    // Before confirming, onboarding waits.
    let early = call(
        &person,
        &server,
        app::onboarding::StartOnboarding::PATH,
        &[],
    )
    .await;
    assert_eq!(early.status(), 401, "not signed in before the link");

    // The link's page, then its button.
    let page = client()
        .get(server.url(&format!("/confirm-email?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Confirm my address"));
    let confirmed = call(&person, &server, ConfirmEmail::PATH, &[("token", &token)]).await;
    assert_eq!(confirmed.status(), 200);
    // The link alone signs nobody in: the password does.
    let me: serde_json::Value = call(&person, &server, app::auth::GetCurrentUser::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null(), "{me}");
    sign_in(&person, &server, "smtp-owner@example.com", PASSWORD).await;
    let me: serde_json::Value = call(&person, &server, app::auth::GetCurrentUser::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "smtp-owner@example.com");
    assert_eq!(me["email_confirmed"], true);
    // Single use.
    let again = call(&client(), &server, ConfirmEmail::PATH, &[("token", &token)]).await;
    assert_eq!(again.status(), 409);
    server.stop().await;
}
on_both_databases!(sign_up_and_confirm_by_smtp);

async fn onboarding_waits_for_a_confirmed_address(db: &TestDb) {
    let server = TestServer::start(db).await;
    let person = client();
    sign_up_form(&person, &server, "unconfirmed@example.com").await;
    // Signed in with the password but not confirmed: no Stripe account is made.
    sign_in(&person, &server, "unconfirmed@example.com", PASSWORD).await;
    let start = call(
        &person,
        &server,
        app::onboarding::StartOnboarding::PATH,
        &[],
    )
    .await;
    assert_eq!(start.status(), 409);
    assert!(app::db::connected_accounts::find_by_owner(
        server.db(),
        app::db::users::find_by_email(server.db(), "unconfirmed@example.com")
            .await
            .unwrap()
            .unwrap()
            .id
    )
    .await
    .unwrap()
    .is_none());
    // A resend is spaced out.
    let resend = call(
        &person,
        &server,
        app::account_email::ResendConfirmation::PATH,
        &[],
    )
    .await;
    assert_eq!(resend.status(), 429);
    server.stop().await;
}
on_both_databases!(onboarding_waits_for_a_confirmed_address);

async fn password_reset_ends_every_other_session(db: &TestDb) {
    let server = TestServer::start(db).await;
    let elsewhere = client();
    let cookie = session_cookie(&sign_up(&elsewhere, &server, "forgetful@example.com").await)
        .expect("signed in by the confirmation");

    // The same answer for an address without a login, and no mail.
    let unknown = call(
        &client(),
        &server,
        RequestPasswordReset::PATH,
        &[("email", "nobody@example.com")],
    )
    .await;
    let known = call(
        &client(),
        &server,
        RequestPasswordReset::PATH,
        &[("email", "Forgetful@example.com")],
    )
    .await;
    assert_eq!(unknown.status(), 200);
    assert_eq!(known.status(), 200);
    assert_eq!(unknown.text().await.unwrap(), known.text().await.unwrap());
    let mail = mail_to(&server, "forgetful@example.com", "password_reset").await;
    assert!(newest_mail(&server, "nobody@example.com", "password_reset")
        .await
        .is_none());
    let token = token_in(&mail.text_body);

    // A bad token or a weak password changes nothing and keeps the link.
    let browser = client();
    let forged = call(
        &browser,
        &server,
        ResetPassword::PATH,
        &[
            ("token", &"0".repeat(64)),
            ("new_password", "a new long password"),
            ("new_password_confirm", "a new long password"),
        ],
    )
    .await;
    assert_eq!(forged.status(), 409);
    let weak = call(
        &browser,
        &server,
        ResetPassword::PATH,
        &[
            ("token", &token),
            ("new_password", "short"),
            ("new_password_confirm", "short"),
        ],
    )
    .await;
    assert_eq!(weak.status(), 422);
    let reset = call(
        &browser,
        &server,
        ResetPassword::PATH,
        &[
            ("token", &token),
            ("new_password", "a new long password"),
            ("new_password_confirm", "a new long password"),
        ],
    )
    .await;
    assert_eq!(reset.status(), 200);
    assert!(session_cookie(&reset).is_some(), "signed in here");

    // The other browser's session is over; the old password is over; the link is used.
    let home = with_cookie(&cookie)
        .get(server.url("/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 302);
    assert_eq!(
        sign_in(&client(), &server, "forgetful@example.com", PASSWORD)
            .await
            .status(),
        422
    );
    assert_eq!(
        sign_in(
            &client(),
            &server,
            "forgetful@example.com",
            "a new long password"
        )
        .await
        .status(),
        200
    );
    let reused = call(
        &client(),
        &server,
        ResetPassword::PATH,
        &[
            ("token", &token),
            ("new_password", "another long password"),
            ("new_password_confirm", "another long password"),
        ],
    )
    .await;
    assert_eq!(reused.status(), 409);

    // An expired link does nothing.
    call(
        &client(),
        &server,
        RequestPasswordReset::PATH,
        &[("email", "forgetful@example.com")],
    )
    .await;
    let late = loop {
        let newest = mail_to(&server, "forgetful@example.com", "password_reset").await;
        if newest.id != mail.id {
            break newest;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    sqlx::query("UPDATE email_tokens SET expires_at = 0 WHERE purpose = 'reset_password'")
        .execute(server.db().pool())
        .await
        .unwrap();
    let expired = call(
        &client(),
        &server,
        ResetPassword::PATH,
        &[
            ("token", &token_in(&late.text_body)),
            ("new_password", "another long password"),
            ("new_password_confirm", "another long password"),
        ],
    )
    .await;
    assert_eq!(expired.status(), 409);

    // Asking is limited per address, silently: the answer stays the same, no more mail is
    // made, and the newest link mailed still works.
    for _ in 0..6 {
        let r = call(
            &client(),
            &server,
            RequestPasswordReset::PATH,
            &[("email", "forgetful@example.com")],
        )
        .await;
        assert_eq!(r.status(), 200);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let resets = app::db::mail_outbox::list_recent(server.db(), 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.to_address == "forgetful@example.com" && m.kind == "password_reset")
        .count();
    assert_eq!(resets, 5, "five an hour per address");
    server.stop().await;
}
on_both_databases!(password_reset_ends_every_other_session);

async fn mail_waits_while_smtp_refuses_and_arrives_once(db: &TestDb) {
    let (url, received, refusals) = smtp_server(2);
    let server = TestServer::start_with(db, |c| c.mail.smtp_url = Some(url)).await;
    sign_up_form(&client(), &server, "patient@example.com").await;
    // Each refusal is recorded and the mail waits; the pauses are skipped here.
    for _ in 0..40 {
        if received.lock().unwrap().len() == 1 {
            break;
        }
        sqlx::query("UPDATE mail_outbox SET next_attempt_at = 0 WHERE state = 'pending'")
            .execute(server.db().pool())
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(refusals.load(Ordering::SeqCst), 0, "both refusals were met");
    let row = newest_mail(&server, "patient@example.com", "confirm_email")
        .await
        .unwrap();
    assert_eq!(row.state, "sent");
    assert_eq!(row.attempts, 3);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(received.lock().unwrap().len(), 1, "sent once");
    server.stop().await;
}
on_both_databases!(mail_waits_while_smtp_refuses_and_arrives_once);

async fn two_instances_send_each_mail_once(db: &TestDb) {
    let (url, received, _) = smtp_server(0);
    let a = TestServer::start_with(db, |c| c.mail.smtp_url = Some(url.clone())).await;
    let b_dir = db.data_dir().join("instance-b");
    let b = TestServer::start_with(db, |c| {
        c.data_dir = b_dir;
        c.mail.smtp_url = Some(url);
    })
    .await;
    // Mail queued through both instances; both workers race for every mail.
    for i in 0..12 {
        let server = if i % 2 == 0 { &a } else { &b };
        let answer = sign_up_form(&client(), server, &format!("twin{i}@example.com")).await;
        assert_eq!(answer.status(), 200);
    }
    wait_for("12 mails", Duration::from_secs(30), || {
        received.lock().unwrap().len() >= 12
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got = received.lock().unwrap().clone();
    let mut to: Vec<String> = got.iter().flat_map(|r| r.to.clone()).collect();
    to.sort();
    let before = to.len();
    to.dedup();
    assert_eq!(before, 12, "each mail once: {to:?}");
    assert_eq!(to.len(), 12);
    a.stop().await;
    b.stop().await;
}
on_both_databases!(two_instances_send_each_mail_once);

#[tokio::test]
async fn the_development_mailbox_is_for_this_machine_only() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start(&db).await;
    sign_up_form(&client(), &server, "local@example.com").await;
    let index = client()
        .get(server.url("/dev/mailbox"))
        .send()
        .await
        .unwrap();
    assert_eq!(index.status(), 200);
    let page = index.text().await.unwrap();
    assert!(page.contains("Confirm your email address"), "{page}");
    let mail = newest_mail(&server, "local@example.com", "confirm_email")
        .await
        .unwrap();
    let one = client()
        .get(server.url(&format!("/dev/mailbox/{}", mail.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(one.contains(&token_in(&mail.text_body)));
    let html = client()
        .get(server.url(&format!("/dev/mailbox/{}/html", mail.id)))
        .send()
        .await
        .unwrap();
    let policy = html.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script"), "{policy}");
    assert!(html.text().await.unwrap().contains("Confirm my address"));
    // Through a proxy (even one on this machine) it is not there.
    let proxied = client()
        .get(server.url("/dev/mailbox"))
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 404);
    server.stop().await;

    // With an SMTP server configured there is no development mailbox.
    let (url, _, _) = smtp_server(0);
    let server = TestServer::start_with(&db, |c| c.mail.smtp_url = Some(url)).await;
    let none = client()
        .get(server.url("/dev/mailbox"))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 404);
    server.stop().await;
    db.drop_now().await;
}

/// Someone signs up with another person's address and signs in before it is confirmed; when the
/// address's owner follows the link, that session is over and the link signed nobody in.
async fn confirming_signs_out_whoever_signed_in_before(db: &TestDb) {
    let server = TestServer::start(db).await;
    let squatter = client();
    sign_up_form(&squatter, &server, "owner-to-be@example.com").await;
    let early =
        session_cookie(&sign_in(&squatter, &server, "owner-to-be@example.com", PASSWORD).await)
            .expect("an unconfirmed login may sign in");
    let link = mail_to(&server, "owner-to-be@example.com", "confirm_email").await;
    let owner = client();
    let confirmed = call(
        &owner,
        &server,
        ConfirmEmail::PATH,
        &[("token", &token_in(&link.text_body))],
    )
    .await;
    assert_eq!(confirmed.status(), 200);
    assert!(
        session_cookie(&confirmed).is_none(),
        "no session from a link"
    );
    let home = with_cookie(&early)
        .get(server.url("/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        home.status(),
        302,
        "the session from before the confirmation is over"
    );
    server.stop().await;
}
on_both_databases!(confirming_signs_out_whoever_signed_in_before);

/// A reset link mailed before a password change, and one mailed to an address the login has left,
/// no longer work.
async fn links_die_with_the_password_or_the_address_they_were_mailed_for(db: &TestDb) {
    use app::account_email::ConfirmEmailChange;
    use app::profile::ChangeEmail;
    let server = TestServer::start(db).await;
    let me = client();
    sign_up(&me, &server, "careful@example.com").await;
    let ask_reset = || async {
        call(
            &client(),
            &server,
            RequestPasswordReset::PATH,
            &[("email", "careful@example.com")],
        )
        .await
    };
    ask_reset().await;
    let before = mail_to(&server, "careful@example.com", "password_reset").await;
    assert_eq!(
        change_password(&me, &server, PASSWORD, "a changed password here")
            .await
            .status(),
        200
    );
    let reset = |token: String| {
        let server = &server;
        async move {
            call(
                &client(),
                server,
                ResetPassword::PATH,
                &[
                    ("token", token.as_str()),
                    ("new_password", "the attacker's password"),
                    ("new_password_confirm", "the attacker's password"),
                ],
            )
            .await
            .status()
        }
    };
    assert_eq!(reset(token_in(&before.text_body)).await, 409);

    // A fresh reset link, then the address moves: the link mailed to the old address dies.
    ask_reset().await;
    let old_address_link = loop {
        let newest = mail_to(&server, "careful@example.com", "password_reset").await;
        if newest.id != before.id {
            break newest;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let asked = call(
        &me,
        &server,
        ChangeEmail::PATH,
        &[
            ("new_email", "moved@example.com"),
            ("password", "a changed password here"),
        ],
    )
    .await;
    assert_eq!(asked.status(), 200);
    let change = mail_to(&server, "moved@example.com", "confirm_email_change").await;
    let moved = call(
        &me,
        &server,
        ConfirmEmailChange::PATH,
        &[("token", &token_in(&change.text_body))],
    )
    .await;
    assert_eq!(moved.status(), 200);
    assert_eq!(reset(token_in(&old_address_link.text_body)).await, 409);
    server.stop().await;
}
on_both_databases!(links_die_with_the_password_or_the_address_they_were_mailed_for);
