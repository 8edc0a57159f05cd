//! Mail to an account's owner about what Stripe needs (issue 17 item 4), driven by webhooks, on
//! SQLite and PostgreSQL: once per change however often, in whatever order and however many
//! times Stripe delivers the events; reminders before the deadline; the owner's choices.

#[macro_use]
mod common;

use app::db::connected_accounts;
use app::db::mail_outbox::MailRow;
use app::db::{stripe_events, Db};
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use std::future::Future;
use std::time::{Duration, Instant};
use stripe_client::webhook::{sign, unix_now};

const OWNER: &str = "owner@example.com";
const DAY: i64 = 86_400;

/// The account as an `account.updated` snapshot carries it.
#[derive(Clone)]
struct State {
    currently_due: Vec<&'static str>,
    past_due: Vec<&'static str>,
    deadline: Option<i64>,
    charges_enabled: bool,
    payouts_enabled: bool,
    disabled_reason: Option<&'static str>,
    card_payments: &'static str,
}

impl Default for State {
    fn default() -> Self {
        State {
            currently_due: vec![],
            past_due: vec![],
            deadline: None,
            charges_enabled: true,
            payouts_enabled: true,
            disabled_reason: None,
            card_payments: "active",
        }
    }
}

fn account_updated(event_id: &str, account: &str, created: i64, s: &State) -> String {
    let mut eventually: Vec<&str> = s.currently_due.clone();
    eventually.extend(&s.past_due);
    let mut currently = eventually.clone();
    currently.dedup();
    json!({
        "id": event_id, "object": "event", "api_version": "2026-09-30.endive",
        "account": account, "created": created, "livemode": false, "type": "account.updated",
        "data": {"object": {
            "id": account, "object": "account", "type": "express", "country": "US",
            "email": OWNER, "created": 1_700_000_000,
            "business_profile": {"name": "Owner's shop"},
            "capabilities": {"card_payments": s.card_payments, "transfers": "active"},
            "charges_enabled": s.charges_enabled, "payouts_enabled": s.payouts_enabled,
            "details_submitted": true,
            // Stripe's lists nest: eventually_due ⊇ currently_due ⊇ past_due.
            "requirements": {"currently_due": currently, "eventually_due": eventually,
                             "past_due": s.past_due, "pending_verification": [], "errors": [],
                             "current_deadline": s.deadline, "disabled_reason": s.disabled_reason},
            "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}}
        }}
    })
    .to_string()
}

fn payout_failed(event_id: &str, account: &str, created: i64, payout: &str) -> String {
    json!({
        "id": event_id, "object": "event", "api_version": "2026-09-30.endive",
        "account": account, "created": created, "livemode": false, "type": "payout.failed",
        "data": {"object": {
            "id": payout, "object": "payout", "amount": 12_345, "currency": "usd",
            "status": "failed", "failure_code": "account_closed",
            "failure_message": "The bank account has been closed."
        }}
    })
    .to_string()
}

async fn deliver(http: &reqwest::Client, server: &TestServer, body: &str) {
    let signature = sign(body.as_bytes(), WEBHOOK_SECRET, unix_now());
    let status = http
        .post(server.url("/webhooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < timeout, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn all_processed(db: &Db) {
    eventually("every event processed", Duration::from_secs(30), || async {
        stripe_events::count_pending(db).await.unwrap() == 0
    })
    .await;
}

async fn mails(db: &Db, kind: &str) -> Vec<MailRow> {
    app::db::mail_outbox::list_recent(db, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.to_address == OWNER && m.kind == kind)
        .collect()
}

/// An owner with a submitted account that needs nothing; returns the signed-in client.
async fn owner_with_account(
    server: &TestServer,
    http: &reqwest::Client,
    account: &str,
) -> reqwest::Client {
    let client = client();
    sign_up(&client, server, OWNER).await;
    deliver(
        http,
        server,
        &account_updated("evt_start", account, unix_now() - 1_000, &State::default()),
    )
    .await;
    all_processed(server.db()).await;
    let user = app::db::users::find_by_email(server.db(), OWNER)
        .await
        .unwrap()
        .unwrap();
    assert!(connected_accounts::set_owner(server.db(), account, user.id)
        .await
        .unwrap());
    client
}

async fn requirements_due_are_mailed_once(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let account = "acct_notice_due";
    owner_with_account(&server, &http, account).await;
    let now = unix_now();
    let deadline = now + 3 * DAY;
    let due = State {
        currently_due: vec!["company.tax_id"],
        deadline: Some(deadline),
        ..State::default()
    };
    let body = account_updated("evt_due", account, now - 100, &due);
    // The same event three times at once, then an older snapshot (another set due) after it.
    let mut deliveries = tokio::task::JoinSet::new();
    for _ in 0..3 {
        let (http, body, url) = (http.clone(), body.clone(), server.url("/webhooks/stripe"));
        deliveries.spawn(async move {
            let signature = sign(body.as_bytes(), WEBHOOK_SECRET, unix_now());
            http.post(url)
                .header("stripe-signature", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    while let Some(status) = deliveries.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    // Processed before the older one arrives: Stripe delivered it late (two workers would
    // otherwise take them in either order, and the older one, applied first, is news then).
    all_processed(server.db()).await;
    let older = State {
        currently_due: vec!["individual.id_number"],
        deadline: Some(deadline - DAY),
        ..State::default()
    };
    deliver(
        &http,
        &server,
        &account_updated("evt_older", account, now - 500, &older),
    )
    .await;
    // The same state from another event (a later duplicate of the change).
    deliver(
        &http,
        &server,
        &account_updated("evt_due_again", account, now - 50, &due),
    )
    .await;
    all_processed(server.db()).await;

    let sent = mails(server.db(), "requirements_due").await;
    assert_eq!(sent.len(), 1, "one mail for one change");
    let mail = &sent[0];
    assert!(
        mail.text_body.contains("Tax ID") || mail.text_body.contains("tax"),
        "{}",
        mail.text_body
    );
    assert!(
        mail.text_body
            .contains(&domain::account_status::deadline_date_label(deadline)),
        "Stripe's deadline in the mail: {}",
        mail.text_body
    );
    assert!(mail.text_body.contains(&server.url("/account")));
    assert!(!mail.text_body.contains("individual") && !mail.text_body.contains("ID number"));

    // A new deadline for the same field is a new change: one more mail.
    let later = State {
        deadline: Some(deadline + DAY),
        ..due.clone()
    };
    deliver(
        &http,
        &server,
        &account_updated("evt_later", account, now - 10, &later),
    )
    .await;
    all_processed(server.db()).await;
    assert_eq!(mails(server.db(), "requirements_due").await.len(), 2);
    server.stop().await;
}
on_both_databases!(requirements_due_are_mailed_once, multi_thread);

async fn past_due_and_restriction_are_mailed_once(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let account = "acct_notice_past";
    owner_with_account(&server, &http, account).await;
    let now = unix_now();
    let past = State {
        past_due: vec!["external_account"],
        deadline: Some(now - DAY),
        payouts_enabled: false,
        disabled_reason: Some("requirements.past_due"),
        ..State::default()
    };
    let body = account_updated("evt_past", account, now - 100, &past);
    deliver(&http, &server, &body).await;
    deliver(&http, &server, &body).await;
    deliver(
        &http,
        &server,
        &account_updated("evt_past_2", account, now - 90, &past),
    )
    .await;
    all_processed(server.db()).await;
    let sent = mails(server.db(), "account_restricted").await;
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].text_body.contains("paused payouts"),
        "{}",
        sent[0].text_body
    );
    assert!(sent[0].text_body.contains(&server.url("/account")));
    // Nothing currently due (only past due): no "requirements due" mail besides.
    assert!(mails(server.db(), "requirements_due").await.is_empty());
    server.stop().await;
}
on_both_databases!(past_due_and_restriction_are_mailed_once, multi_thread);

async fn a_reminder_a_week_before_the_deadline(db: &TestDb) {
    // The reminder job looks every second here (15 minutes by default).
    let server = TestServer::start_with(db, |c| c.stripe.owner_reminders_every_secs = 1).await;
    let http = reqwest::Client::new();
    let account = "acct_notice_remind";
    owner_with_account(&server, &http, account).await;
    let now = unix_now();
    let due = State {
        currently_due: vec!["company.tax_id"],
        deadline: Some(now + 6 * DAY),
        ..State::default()
    };
    deliver(
        &http,
        &server,
        &account_updated("evt_remind", account, now - 100, &due),
    )
    .await;
    all_processed(server.db()).await;
    eventually("the 7-day reminder", Duration::from_secs(20), || async {
        !mails(server.db(), "deadline_reminder").await.is_empty()
    })
    .await;
    // Several more runs of the job: still one reminder, and not the 1-day one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = mails(server.db(), "deadline_reminder").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, "Reminder: Stripe's deadline is in a week");
    assert_eq!(mails(server.db(), "requirements_due").await.len(), 1);
    // Run by hand as another instance would: nothing new.
    assert_eq!(
        app::owner_notices::send_reminders(server.db(), now)
            .await
            .unwrap(),
        0
    );
    server.stop().await;
}
on_both_databases!(a_reminder_a_week_before_the_deadline, multi_thread);

async fn choices_and_failed_payouts(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let account = "acct_notice_payout";
    let owner = owner_with_account(&server, &http, account).await;
    let now = unix_now();

    // A failed payout, delivered twice and once more as another event: one mail.
    let body = payout_failed("evt_po_1", account, now - 100, "po_one");
    deliver(&http, &server, &body).await;
    deliver(&http, &server, &body).await;
    deliver(
        &http,
        &server,
        &payout_failed("evt_po_1b", account, now - 99, "po_one"),
    )
    .await;
    eventually("the payout mail", Duration::from_secs(20), || async {
        !mails(server.db(), "payout_failed").await.is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = mails(server.db(), "payout_failed").await;
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].text_body.contains("$123.45"),
        "{}",
        sent[0].text_body
    );
    assert!(sent[0]
        .text_body
        .contains("The bank account has been closed."));
    assert!(sent[0].text_body.contains(&server.url("/account/payouts")));

    // The owner turns payout and capability mail off (reminders stay on).
    let answer = call(
        &owner,
        &server,
        app::mail_choices::SaveMailChoices::PATH,
        &[("reminders", "true")],
    )
    .await;
    assert!(answer.status().is_success(), "{}", answer.status());
    let choices: Value = call(
        &owner,
        &server,
        app::mail_choices::GetMailChoices::PATH,
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        choices,
        json!({"reminders": true, "payouts_and_capabilities": false})
    );

    deliver(
        &http,
        &server,
        &payout_failed("evt_po_2", account, now - 90, "po_two"),
    )
    .await;
    // A capability that was active stops: optional too.
    let lost = State {
        card_payments: "inactive",
        ..State::default()
    };
    deliver(
        &http,
        &server,
        &account_updated("evt_lost", account, now - 80, &lost),
    )
    .await;
    // A restriction is always mailed.
    let restricted = State {
        charges_enabled: false,
        disabled_reason: Some("under_review"),
        ..lost.clone()
    };
    deliver(
        &http,
        &server,
        &account_updated("evt_review", account, now - 70, &restricted),
    )
    .await;
    eventually("the restriction mail", Duration::from_secs(20), || async {
        !mails(server.db(), "account_restricted").await.is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        mails(server.db(), "payout_failed").await.len(),
        1,
        "turned off"
    );
    assert!(
        mails(server.db(), "capability_lost").await.is_empty(),
        "turned off"
    );
    let sent = mails(server.db(), "account_restricted").await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text_body.contains("paused payments"));
    server.stop().await;
}
on_both_databases!(choices_and_failed_payouts, multi_thread);

async fn capability_lost_and_rejection_are_mailed_once(db: &TestDb) {
    let server = TestServer::start(db).await;
    let http = reqwest::Client::new();
    let account = "acct_notice_reject";
    owner_with_account(&server, &http, account).await;
    let now = unix_now();
    let lost = State {
        card_payments: "inactive",
        ..State::default()
    };
    deliver(
        &http,
        &server,
        &account_updated("evt_cap", account, now - 100, &lost),
    )
    .await;
    deliver(
        &http,
        &server,
        &account_updated("evt_cap_2", account, now - 95, &lost),
    )
    .await;
    all_processed(server.db()).await;
    let rejected = State {
        charges_enabled: false,
        payouts_enabled: false,
        disabled_reason: Some("rejected.fraud"),
        ..lost.clone()
    };
    let body = account_updated("evt_rejected", account, now - 90, &rejected);
    deliver(&http, &server, &body).await;
    deliver(&http, &server, &body).await;
    all_processed(server.db()).await;
    let sent = mails(server.db(), "capability_lost").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].subject,
        "Card payments stopped working on your account"
    );
    let sent = mails(server.db(), "account_rejected").await;
    assert_eq!(sent.len(), 1);
    assert!(mails(server.db(), "account_restricted").await.is_empty());
    server.stop().await;
}
on_both_databases!(capability_lost_and_rejection_are_mailed_once, multi_thread);
