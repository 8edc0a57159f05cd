//! Disputes: `charge.dispute.*` events reach the disputes table whatever their order and however
//! often Stripe delivers them; the console and the owner see them, each only their own. Against
//! the real server and the offline Stripe emulator, on SQLite and PostgreSQL.

#[macro_use]
mod common;

use app::db::disputes;
use app::db::stripe_events;
use app::disputes::{GetDisputeSummary, ListAccountDisputes, ListOpenDisputes};
use app::onboarding::GetMyAccount;
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use std::time::Duration;
use stripe_client::webhook::unix_now;
use stripe_client::{Params, RequestOptions};

async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn all_processed(server: &TestServer) {
    eventually("every stored event processed", || async {
        stripe_events::count_pending(server.db()).await.unwrap() == 0
    })
    .await;
}

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "HTTP {status}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// A payment with Stripe's test card that always ends in a dispute (`pm_card_createDispute`).
async fn disputed_payment(server: &TestServer, account: &str, amount: i64) -> String {
    let pi: Value = server
        .state
        .stripe
        .post_form(
            "/v1/payment_intents",
            &Params::new()
                .set("amount", amount)
                .set("currency", "usd")
                .set("payment_method", "pm_card_createDispute")
                .set("confirm", "true")
                .set("automatic_payment_methods[enabled]", "true")
                .set("automatic_payment_methods[allow_redirects]", "never"),
            &RequestOptions::for_account(account.to_string()),
        )
        .await
        .unwrap();
    pi["id"].as_str().unwrap().to_string()
}

/// A `charge.dispute.*` event carrying `dispute` with `status`.
fn dispute_event(
    id: &str,
    kind: &str,
    account: &str,
    created: i64,
    dispute: &Value,
    status: &str,
) -> String {
    let mut object = dispute.clone();
    object["status"] = json!(status);
    json!({
        "id": id, "object": "event", "api_version": "2026-09-30.endive", "account": account,
        "created": created, "livemode": false, "type": kind, "data": {"object": object}
    })
    .to_string()
}

async fn stored_dispute(server: &TestServer, account: &str) -> disputes::DisputeRow {
    let rows = disputes::of_account(server.db(), account, false, 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows[0].clone()
}

async fn disputes_follow_stripe_in_any_order(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    assert_eq!(
        sign_up(&owner, &server, "disputed@example.com")
            .await
            .status(),
        200
    );
    let account = onboarded_account(&server, "disputed@example.com").await;
    let payment = disputed_payment(&server, &account, 2_000).await;

    // The emulator's `charge.dispute.created` and `.funds_withdrawn` reach the table.
    eventually("the dispute in the table", || async {
        disputes::of_account(server.db(), &account, true, 10)
            .await
            .unwrap()
            .len()
            == 1
    })
    .await;
    all_processed(&server).await;
    let row = stored_dispute(&server, &account).await;
    assert_eq!(row.status, "needs_response");
    assert_eq!((row.amount, row.currency.as_str()), (2_000, "usd"));
    assert_eq!(row.payment_intent_id.as_deref(), Some(payment.as_str()));
    let due_by = row.due_by.expect("Stripe gave an evidence deadline");
    assert!(due_by > unix_now());

    // What Stripe has, for the events below.
    let stripe_dispute: Value = server
        .state
        .stripe
        .get(
            &format!("/v1/disputes/{}", row.stripe_dispute_id),
            &Params::new(),
            &RequestOptions::for_account(account.clone()),
        )
        .await
        .unwrap();

    // A newer event is applied from its snapshot; an older one delivered after it is not; each
    // redelivery is stored once and applied once.
    let http = reqwest::Client::new();
    let later = row.last_event_at.max(row.fetched_at) + 100;
    let newer = dispute_event(
        "evt_dp_newer",
        "charge.dispute.updated",
        &account,
        later,
        &stripe_dispute,
        "under_review",
    );
    let older = dispute_event(
        "evt_dp_older",
        "charge.dispute.updated",
        &account,
        later - 50,
        &stripe_dispute,
        "warning_closed",
    );
    for body in [&newer, &older, &newer, &older, &newer] {
        assert_eq!(deliver_signed(&server, "/webhooks/stripe", body).await, 200);
    }
    all_processed(&server).await;
    let row = stored_dispute(&server, &account).await;
    assert_eq!(row.status, "under_review", "the newer event wins");
    assert_eq!(row.last_event_at, later);
    for id in ["evt_dp_newer", "evt_dp_older"] {
        let e = stripe_events::find(server.db(), id).await.unwrap().unwrap();
        assert_eq!((e.status.as_str(), e.attempts), ("processed", 1), "{id}");
    }

    // Same second as what the table reflects: which is newer cannot be told, so the dispute is
    // read from Stripe, whose answer (still `needs_response`) wins over both events.
    let same = dispute_event(
        "evt_dp_same",
        "charge.dispute.updated",
        &account,
        later,
        &stripe_dispute,
        "won",
    );
    assert_eq!(
        deliver_signed(&server, "/webhooks/stripe", &same).await,
        200
    );
    all_processed(&server).await;
    let row = stored_dispute(&server, &account).await;
    assert_eq!(row.status, "needs_response", "Stripe's own answer");
    assert!(row.fetched_at > 0);

    // An event naming this dispute under another account changes nothing.
    let foreign = dispute_event(
        "evt_dp_foreign",
        "charge.dispute.closed",
        "acct_someone_else1",
        later + 500,
        &stripe_dispute,
        "lost",
    );
    assert_eq!(
        deliver_signed(&server, "/webhooks/stripe", &foreign).await,
        200
    );
    all_processed(&server).await;
    assert_eq!(
        stored_dispute(&server, &account).await.status,
        "needs_response"
    );
    drop(http);

    // The owner sees their open dispute; the console sees it with its account.
    let mine = json_of(call(&owner, &server, GetMyAccount::PATH, &[]).await).await;
    let lines = mine["disputes"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["amount"], "$20.00");
    assert_eq!(lines[0]["payment_intent"], json!(payment));
    assert_eq!(lines[0]["needs_response"], true);
    assert_eq!(mine["respond_to_disputes"], true);

    let admin = client();
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let page = json_of(call(&admin, &server, ListOpenDisputes::PATH, &[]).await).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["lines"][0]["account_id"], json!(account));
    let summary = json_of(call(&admin, &server, GetDisputeSummary::PATH, &[]).await).await;
    assert_eq!(summary["open"], 1);
    assert_eq!(summary["amounts"], json!(["$20.00"]));
    assert!(summary["nearest_deadline"].is_string());
    let of_account = json_of(
        call(
            &admin,
            &server,
            ListAccountDisputes::PATH,
            &[("account", account.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(of_account.as_array().unwrap().len(), 1);

    // Owners never reach the console's lists; nobody signed out reaches either.
    for path in [ListOpenDisputes::PATH, GetDisputeSummary::PATH] {
        assert_eq!(
            call(&owner, &server, path, &[]).await.status(),
            403,
            "{path}"
        );
        assert_eq!(
            call(&client(), &server, path, &[]).await.status(),
            401,
            "{path}"
        );
    }
    let status = call(
        &owner,
        &server,
        ListAccountDisputes::PATH,
        &[("account", account.as_str())],
    )
    .await
    .status();
    assert_eq!(status, 403);

    // The owner accepts the dispute in the payments component: Stripe closes it as lost, and
    // the closed dispute leaves the open lists.
    let closed = dispute_event(
        "evt_dp_closed",
        "charge.dispute.closed",
        &account,
        later + 1_000,
        &stripe_dispute,
        "lost",
    );
    assert_eq!(
        deliver_signed(&server, "/webhooks/stripe", &closed).await,
        200
    );
    all_processed(&server).await;
    assert_eq!(stored_dispute(&server, &account).await.status, "lost");
    let mine = json_of(call(&owner, &server, GetMyAccount::PATH, &[]).await).await;
    assert_eq!(mine["disputes"], json!([]));
    let summary = json_of(call(&admin, &server, GetDisputeSummary::PATH, &[]).await).await;
    assert_eq!(summary["open"], 0);
    server.stop().await;
}
on_both_databases!(disputes_follow_stripe_in_any_order, multi_thread);
