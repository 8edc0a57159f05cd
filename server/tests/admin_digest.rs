//! The admins' digest (issue 17 item 5), on SQLite and PostgreSQL: what it reports and links to,
//! each period once (a second run, two at once), nothing mailed when nothing happened, the
//! admin's choice, and the schedule.

#[macro_use]
mod common;

use app::admin_digest::{send, SendResult, Trigger};
use app::db::mail_outbox::{self, MailRow, NewMail};
use app::db::{admin_digests, stripe_events, users, Db};
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use stripe_client::webhook::unix_now;

const DAY: i64 = 86_400;

/// An `account.updated` snapshot: `due` currently due by `deadline`, or past due (payouts
/// paused, Stripe's `requirements.past_due` reason) when `past_due`.
fn account_updated(account: &str, created: i64, deadline: i64, past_due: bool) -> String {
    let due = ["external_account"];
    let none: [&str; 0] = [];
    json!({
        "id": format!("evt_{account}"), "object": "event", "api_version": "2026-09-30.endive",
        "account": account, "created": created, "livemode": false, "type": "account.updated",
        "data": {"object": {
            "id": account, "object": "account", "type": "express", "country": "US",
            "email": format!("{account}@example.com"), "created": 1_700_000_000,
            "business_profile": {"name": format!("Shop {account}")},
            "capabilities": {"card_payments": "active", "transfers": "active"},
            "charges_enabled": true, "payouts_enabled": !past_due, "details_submitted": true,
            "requirements": {"currently_due": due, "eventually_due": due,
                             "past_due": if past_due { &due[..] } else { &none[..] },
                             "pending_verification": [], "errors": [],
                             "current_deadline": deadline,
                             "disabled_reason": if past_due { Some("requirements.past_due") } else { None }},
            "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}}
        }}
    })
    .to_string()
}

async fn deliver(server: &TestServer, path: &str, body: &str) {
    assert_eq!(deliver_signed(server, path, body).await, 200);
}

async fn wait_for<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn digests_to(db: &Db, to: &str) -> Vec<MailRow> {
    mail_outbox::list_recent(db, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.to_address == to && m.kind == "admin_digest")
        .collect()
}

/// A mail the SMTP server refused for good, as the mail worker records it. Queued to be tried
/// only far in the future, so this instance's worker leaves it to the test.
async fn failed_mail(db: &Db, to: &str, now: i64) {
    let later = now + 100 * DAY;
    let mail = NewMail {
        kind: "password_reset",
        to_address: to.into(),
        subject: "s".into(),
        text_body: "t".into(),
        html_body: "h".into(),
    };
    let id = mail_outbox::enqueue_in(db.pool(), &mail, later)
        .await
        .unwrap();
    let claimed = mail_outbox::claim_next(db, later, 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, id);
    mail_outbox::mark_failed_attempt(db, id, claimed.attempts, "550 no such mailbox", None, now)
        .await
        .unwrap();
}

async fn the_digest_reports_what_needs_the_staff_once(db: &TestDb) {
    let server = TestServer::start_with(db, |c| {
        // An event that cannot be processed fails at once.
        c.stripe.webhook_max_attempts = 1;
        c.stripe.stripe_max_retries = 0;
    })
    .await;
    // The server's own handle, which knows the portal's address for the mail's links.
    let db = &server.state.db;
    let start = unix_now();

    // Nothing has happened: nothing is mailed, and the period counts as reported.
    assert_eq!(
        send(db, start, DAY, Trigger::Schedule).await.unwrap(),
        SendResult::NothingToReport
    );
    assert!(digests_to(db, ADMIN_EMAIL).await.is_empty());

    // A deadline in 3 days, one in 10 days (not this week's), an account restricted.
    let soon = start + 3 * DAY;
    deliver(
        &server,
        "/webhooks/stripe",
        &account_updated("acct_digest_soon", start - 30, soon, false),
    )
    .await;
    deliver(
        &server,
        "/webhooks/stripe",
        &account_updated("acct_digest_later", start - 30, start + 10 * DAY, false),
    )
    .await;
    deliver(
        &server,
        "/webhooks/stripe",
        &account_updated("acct_digest_past", start - 30, start - DAY, true),
    )
    .await;
    // Stripe answers only 500s while a thin event about an account arrives: it fails.
    let faults = reqwest::Client::new()
        .post(format!("{}/_sandbox/api/faults", server.emulator))
        .bearer_auth(server::stripe_setup::EMULATOR_SECRET_KEY)
        .json(&json!({ "error_500_rate": 1.0 }))
        .send()
        .await
        .unwrap();
    assert!(faults.status().is_success());
    let thin = json!({
        "id": "evt_digest_thin", "object": "v2.core.event",
        "type": "v2.core.account[requirements].updated",
        "created": "2026-12-05T10:00:00.000Z",
        "related_object": {"id": "acct_digest_thin", "type": "v2.core.account",
                           "url": "/v2/core/accounts/acct_digest_thin"}
    })
    .to_string();
    deliver(&server, "/webhooks/stripe/thin", &thin).await;
    wait_for("the thin event failed", || async {
        stripe_events::list(db, Some("failed"), None, None, 10)
            .await
            .unwrap()
            .len()
            == 1
    })
    .await;
    wait_for("the snapshots applied", || async {
        stripe_events::count_pending(db).await.unwrap() == 0
    })
    .await;
    failed_mail(db, "gone@example.com", unix_now()).await;

    let at = unix_now() + 1;
    assert_eq!(
        send(db, at, DAY, Trigger::Schedule).await.unwrap(),
        SendResult::Mailed(1)
    );
    let mails = digests_to(db, ADMIN_EMAIL).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.subject,
        "Platform digest: 1 account restricted, 1 deadline this week, 1 failed event, 1 failed mail"
    );
    let text = &mail.text_body;
    for expected in [
        "Shop acct_digest_soon (acct_digest_soon)".to_string(),
        domain::account_status::deadline_date_label(soon),
        server.url("/admin/accounts/acct_digest_soon"),
        "Shop acct_digest_past (acct_digest_past): Restricted".to_string(),
        server.url("/admin/accounts/acct_digest_past"),
        "evt_digest_thin".to_string(),
        server.url("/admin/events?status=failed"),
        "Password reset link to gone@example.com: 550 no such mailbox".to_string(),
        server.url("/admin/mail"),
    ] {
        assert!(text.contains(&expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("acct_digest_later"), "{text}");
    assert!(mail.html_body.contains(&format!(
        "href=\"{}\"",
        server.url("/admin/accounts/acct_digest_soon")
    )));

    // The next digest reports only what happened since: the deadline, still this week, again.
    let next = at + DAY;
    assert_eq!(
        send(db, next, DAY, Trigger::Schedule).await.unwrap(),
        SendResult::Mailed(1)
    );
    let newest = &digests_to(db, ADMIN_EMAIL).await[0];
    assert_eq!(newest.subject, "Platform digest: 1 deadline this week");
    assert!(!newest.text_body.contains("evt_digest_thin"));
    assert!(!newest.text_body.contains("gone@example.com"));
    // The failed event is still failed: said, not listed again.
    assert!(newest
        .text_body
        .contains("1 webhook event(s) are failed in all"));

    // An admin asking right after gets nothing twice; two at once, one digest between them.
    let admin = users::find_by_email(db, ADMIN_EMAIL)
        .await
        .unwrap()
        .unwrap();
    let by = Trigger::Admin {
        id: admin.id,
        email: ADMIN_EMAIL,
    };
    assert_eq!(
        send(db, next + 60, DAY, by).await.unwrap(),
        SendResult::TooSoon
    );
    let later = next + 600;
    let (a, b) = tokio::join!(send(db, later, DAY, by), send(db, later, DAY, by));
    let mut results = [a.unwrap(), b.unwrap()];
    results.sort_by_key(|r| matches!(r, SendResult::TooSoon));
    assert_eq!(results, [SendResult::Mailed(1), SendResult::TooSoon]);
    assert_eq!(digests_to(db, ADMIN_EMAIL).await.len(), 3);

    // Periods follow one another, without a gap or an overlap.
    let mut rows = admin_digests::recent(db, 10).await.unwrap();
    rows.reverse();
    assert_eq!(rows.len(), 4);
    for pair in rows.windows(2) {
        assert_eq!(pair[0].period_end, pair[1].period_start);
    }
    assert_eq!(rows[3].started_by, Some(admin.id));

    // An admin who turned it off gets none.
    users::set_wants_digest(db, admin.id, false).await.unwrap();
    assert_eq!(
        send(db, later + DAY, DAY, Trigger::Schedule).await.unwrap(),
        SendResult::Mailed(0)
    );
    assert_eq!(digests_to(db, ADMIN_EMAIL).await.len(), 3);
    server.stop().await;
}
on_both_databases!(the_digest_reports_what_needs_the_staff_once, multi_thread);

/// On its schedule (every second here), two instances send each digest once: the periods follow
/// one another and each mail belongs to one.
async fn two_instances_send_each_scheduled_digest_once(db: &TestDb) {
    let every = |c: &mut server::config::Config| c.mail.admin_digest_every_secs = 1;
    let first = TestServer::start_with(db, every).await;
    let second = TestServer::start_with(db, every).await;
    let db = first.db();
    let now = unix_now();
    deliver(
        &first,
        "/webhooks/stripe",
        &account_updated("acct_digest_sched", now - 30, now + 2 * DAY, false),
    )
    .await;
    wait_for("a scheduled digest", || async {
        !digests_to(db, ADMIN_EMAIL).await.is_empty()
    })
    .await;
    // Let both instances run a few more times: every digest covers its own period.
    tokio::time::sleep(Duration::from_secs(4)).await;
    second.stop().await;
    let mut rows = admin_digests::recent(db, 100).await.unwrap();
    rows.reverse();
    assert!(rows.len() >= 2, "{rows:?}");
    for pair in rows.windows(2) {
        assert_eq!(pair[0].period_end, pair[1].period_start);
    }
    let mailed: i64 = rows.iter().map(|r| r.mailed).sum();
    assert_eq!(mailed as usize, digests_to(db, ADMIN_EMAIL).await.len());
    assert!(digests_to(db, ADMIN_EMAIL).await[0]
        .text_body
        .contains("acct_digest_sched"));
    first.stop().await;
}
on_both_databases!(two_instances_send_each_scheduled_digest_once, multi_thread);

/// "Send now" from the console, as the page calls it, and the admin's choice on the profile.
async fn an_admin_sends_it_from_the_console(db: &TestDb) {
    use leptos::server_fn::ServerFn;
    let server = TestServer::start(db).await;
    let admin = client();
    sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let now = unix_now();
    deliver(
        &server,
        "/webhooks/stripe",
        &account_updated("acct_digest_console", now - 30, now + DAY, false),
    )
    .await;
    wait_for("the snapshot applied", || async {
        stripe_events::count_pending(server.db()).await.unwrap() == 0
    })
    .await;
    let sent = call(&admin, &server, app::admin_digest::SendDigestNow::PATH, &[]).await;
    assert_eq!(sent.status(), 200);
    let result: SendResult = sent.json().await.unwrap();
    assert_eq!(result, SendResult::Mailed(1));
    let again = call(&admin, &server, app::admin_digest::SendDigestNow::PATH, &[]).await;
    assert_eq!(
        again.json::<SendResult>().await.unwrap(),
        SendResult::TooSoon
    );
    let mail = mail_to(&server, ADMIN_EMAIL, "admin_digest").await;
    assert!(mail.text_body.contains("acct_digest_console"));
    // The admin's choice, as the profile form sends it (an unticked box sends nothing).
    let off = call(
        &admin,
        &server,
        app::admin_digest::SaveDigestChoice::PATH,
        &[],
    )
    .await;
    assert_eq!(off.status(), 200);
    let admin_id = users::find_by_email(server.db(), ADMIN_EMAIL)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(!users::wants_digest(server.db(), admin_id).await.unwrap());
    let odd = call(
        &admin,
        &server,
        app::admin_digest::SaveDigestChoice::PATH,
        &[("digest", "<script>")],
    )
    .await;
    assert_eq!(odd.status(), 422);
    assert!(!users::wants_digest(server.db(), admin_id).await.unwrap());
    server.stop().await;
}
on_both_databases!(an_admin_sends_it_from_the_console, multi_thread);
