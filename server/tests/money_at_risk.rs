//! Money at risk: `charge.dispute.*` events reach the disputes table, and balances reach the
//! balances table, whatever the order and however often Stripe delivers them; the console and the
//! owner see them, each only what is theirs. Against the real server and the offline Stripe
//! emulator, on SQLite and PostgreSQL.

#[macro_use]
mod common;

use app::balances::GetExposure;
use app::db::stripe_events;
use app::db::{account_balances, disputes};
use app::disputes::{GetDisputeSummary, ListAccountDisputes, ListOpenDisputes};
use app::failed_payouts::ListFailedPayouts;
use app::onboarding::GetMyAccount;
use app::refunds::ListAccountRefunds;
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use stripe_client::webhook::unix_now;
use stripe_client::{Params, RequestOptions};

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

async fn control(server: &TestServer, path: &str, body: Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", server.emulator))
        .bearer_auth(server::stripe_setup::EMULATOR_SECRET_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
}

fn balance_event(id: &str, account: &str, created: i64, available: i64) -> String {
    json!({
        "id": id, "object": "event", "api_version": "2026-09-30.endive", "account": account,
        "created": created, "livemode": false, "type": "balance.available",
        "data": {"object": {"object": "balance", "livemode": false,
            "available": [{"amount": available, "currency": "usd", "source_types": {"card": available}}],
            "pending": [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}]}}
    })
    .to_string()
}

async fn usd(server: &TestServer, account: &str) -> account_balances::BalanceRow {
    let rows = account_balances::of_account(server.db(), account)
        .await
        .unwrap();
    rows.into_iter()
        .find(|r| r.currency == "usd")
        .expect("a usd balance")
}

async fn negative_balances_follow_stripe(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    assert_eq!(
        sign_up(&owner, &server, "negative@example.com")
            .await
            .status(),
        200
    );
    let account = onboarded_account(&server, "negative@example.com").await;

    // A dispute takes its amount and Stripe's fee from the available balance at once (the
    // payment's own funds are still pending): Stripe sends no balance.available for that, so the
    // portal reads the balance after the dispute's funds_withdrawn.
    disputed_payment(&server, &account, 2_000).await;
    eventually("a negative balance in the table", || async {
        account_balances::of_account(server.db(), &account)
            .await
            .unwrap()
            .iter()
            .any(|r| r.currency == "usd" && r.available < 0)
    })
    .await;
    all_processed(&server).await;
    let stripe_balance = server
        .state
        .stripe
        .retrieve_balance(&RequestOptions::for_account(account.clone()))
        .await
        .unwrap();
    let row = usd(&server, &account).await;
    assert_eq!(
        Some(row.available),
        stripe_balance.available_in("usd"),
        "as Stripe has it"
    );
    assert_eq!(Some(row.pending), stripe_balance.pending_in("usd"));

    let admin = client();
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let exposure = json_of(call(&admin, &server, GetExposure::PATH, &[]).await).await;
    assert_eq!(exposure["lines"][0]["account_id"], json!(account));
    assert!(exposure["lines"][0]["amount"]
        .as_str()
        .unwrap()
        .starts_with("-$"));
    assert!(exposure["by_currency"][0]
        .as_str()
        .unwrap()
        .ends_with("over 1 account"));
    assert_eq!(
        call(&owner, &server, GetExposure::PATH, &[]).await.status(),
        403
    );

    // balance.available events: a newer one is written, an older one delivered after it is not,
    // redeliveries change nothing.
    let later = row.as_of + 100;
    let newer = balance_event("evt_bal_newer", &account, later, 123);
    let older = balance_event("evt_bal_older", &account, later - 50, -999_999);
    for body in [&newer, &older, &newer, &older] {
        assert_eq!(deliver_signed(&server, "/webhooks/stripe", body).await, 200);
    }
    all_processed(&server).await;
    let row = usd(&server, &account).await;
    assert_eq!((row.available, row.as_of), (123, later));
    for id in ["evt_bal_newer", "evt_bal_older"] {
        let e = stripe_events::find(server.db(), id).await.unwrap().unwrap();
        assert_eq!((e.status.as_str(), e.attempts), ("processed", 1), "{id}");
    }
    let exposure = json_of(call(&admin, &server, GetExposure::PATH, &[]).await).await;
    assert_eq!(exposure["lines"], json!([]), "no longer negative");

    // The emulator's funds become available days later: Stripe sends balance.available with the
    // whole balance, which the table takes (it is newer than everything above).
    control(&server, "/_sandbox/api/clock/advance", json!({"days": 3})).await;
    eventually("the emulator's balance.available applied", || async {
        let events = stripe_events::list(
            server.db(),
            None,
            Some("balance.available"),
            Some(&account),
            50,
        )
        .await
        .unwrap();
        events.len() > 2
    })
    .await;
    all_processed(&server).await;
    let stripe_balance = server
        .state
        .stripe
        .retrieve_balance(&RequestOptions::for_account(account.clone()))
        .await
        .unwrap();
    let row = usd(&server, &account).await;
    assert!(row.as_of > later);
    assert_eq!(Some(row.available), stripe_balance.available_in("usd"));
    server.stop().await;
}
on_both_databases!(negative_balances_follow_stripe, multi_thread);

async fn failed_payouts_reach_the_owner_and_the_console(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    assert_eq!(
        sign_up(&owner, &server, "payout-fails@example.com")
            .await
            .status(),
        200
    );
    let account = onboarded_account(&server, "payout-fails@example.com").await;
    let stripe = &server.state.stripe;
    let as_account = RequestOptions::for_account(account.clone());
    // Money to pay out: a payment whose funds become available days later.
    let _: Value = stripe
        .post_form(
            "/v1/payment_intents",
            &Params::new()
                .set("amount", 10_000i64)
                .set("currency", "usd")
                .set("payment_method", "pm_card_visa")
                .set("confirm", "true")
                .set("automatic_payment_methods[enabled]", "true")
                .set("automatic_payment_methods[allow_redirects]", "never"),
            &as_account,
        )
        .await
        .unwrap();
    control(&server, "/_sandbox/api/clock/advance", json!({"days": 3})).await;
    // Stripe's test bank account whose payouts fail (`btok_us_verified_noAccount`), on a manual
    // schedule so a payout can be made by hand.
    let _: Value = stripe
        .post_form(
            &format!("/v1/accounts/{account}/external_accounts"),
            &Params::new()
                .set("external_account", "btok_us_verified_noAccount")
                .set("default_for_currency", "true"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let _: Value = stripe
        .post_form(
            &format!("/v1/accounts/{account}"),
            &Params::new().set("settings[payouts][schedule][interval]", "manual"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let payout: Value = stripe
        .post_form(
            "/v1/payouts",
            &Params::new().set("amount", 1_000i64).set("currency", "usd"),
            &as_account,
        )
        .await
        .unwrap();
    let payout_id = payout["id"].as_str().unwrap().to_string();
    control(&server, "/_sandbox/api/clock/advance", json!({"days": 5})).await;
    eventually("the failed payout in the table", || async {
        app::db::payouts::find(server.db(), &payout_id)
            .await
            .unwrap()
            .is_some_and(|p| p.status == "failed")
    })
    .await;
    all_processed(&server).await;
    let row = app::db::payouts::find(server.db(), &payout_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.failure_code.as_deref(), Some("no_account"));

    // The owner sees it in Stripe's words; the console lists it; nobody else does.
    let mine = json_of(call(&owner, &server, GetMyAccount::PATH, &[]).await).await;
    let lines = mine["failed_payouts"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["amount"], "$10.00");
    assert_eq!(
        lines[0]["reason"],
        json!(row.failure_message),
        "Stripe's failure_message"
    );
    assert!(row.failure_message.is_some());
    let admin = client();
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let listed = json_of(call(&admin, &server, ListFailedPayouts::PATH, &[]).await).await;
    assert_eq!(listed[0]["id"], json!(payout_id));
    assert_eq!(listed[0]["account_id"], json!(account));
    assert_eq!(
        call(&owner, &server, ListFailedPayouts::PATH, &[])
            .await
            .status(),
        403
    );

    // An older payout event delivered late (Stripe's `payout.created`, still pending) changes
    // nothing; redelivered, it is applied once.
    let mut pending = payout.clone();
    pending["status"] = json!("pending");
    let late = json!({
        "id": "evt_po_late", "object": "event", "api_version": "2026-09-30.endive",
        "account": account, "created": row.last_event_at - 1, "livemode": false,
        "type": "payout.created", "data": {"object": pending}
    })
    .to_string();
    for _ in 0..2 {
        assert_eq!(
            deliver_signed(&server, "/webhooks/stripe", &late).await,
            200
        );
    }
    all_processed(&server).await;
    assert_eq!(
        app::db::payouts::find(server.db(), &payout_id)
            .await
            .unwrap()
            .unwrap()
            .status,
        "failed"
    );
    let e = stripe_events::find(server.db(), "evt_po_late")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((e.status.as_str(), e.attempts), ("processed", 1));
    server.stop().await;
}
on_both_databases!(failed_payouts_reach_the_owner_and_the_console, multi_thread);

async fn refunds_reach_the_account_page(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    assert_eq!(
        sign_up(&owner, &server, "refunds@example.com")
            .await
            .status(),
        200
    );
    let account = onboarded_account(&server, "refunds@example.com").await;
    let stripe = &server.state.stripe;
    let as_account = RequestOptions::for_account(account.clone());
    let pi: Value = stripe
        .post_form(
            "/v1/payment_intents",
            &Params::new()
                .set("amount", 4_200i64)
                .set("currency", "usd")
                .set("payment_method", "pm_card_visa")
                .set("confirm", "true")
                .set("automatic_payment_methods[enabled]", "true")
                .set("automatic_payment_methods[allow_redirects]", "never"),
            &as_account,
        )
        .await
        .unwrap();
    let refund: Value = stripe
        .post_form(
            "/v1/refunds",
            &Params::new()
                .set("payment_intent", pi["id"].as_str().unwrap())
                .set("amount", 1_200i64)
                .set("reason", "requested_by_customer"),
            &as_account,
        )
        .await
        .unwrap();
    let id = refund["id"].as_str().unwrap().to_string();
    eventually("the refund in the table", || async {
        app::db::refunds::find(server.db(), &id)
            .await
            .unwrap()
            .is_some()
    })
    .await;
    all_processed(&server).await;
    let row = app::db::refunds::find(server.db(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.amount, row.status.as_str()), (1_200, "succeeded"));
    assert_eq!(row.payment_intent_id.as_deref(), pi["id"].as_str());
    // charge.refunded read the balance.
    assert!(!account_balances::of_account(server.db(), &account)
        .await
        .unwrap()
        .is_empty());

    // A later `refund.failed` is applied; an older `refund.updated` delivered after it is not.
    let event = |eid: &str, kind: &str, created: i64, status: &str| {
        let mut object = refund.clone();
        object["status"] = json!(status);
        if status == "failed" {
            object["failure_reason"] = json!("expired_or_canceled_card");
        }
        json!({
            "id": eid, "object": "event", "api_version": "2026-09-30.endive", "account": account,
            "created": created, "livemode": false, "type": kind, "data": {"object": object}
        })
        .to_string()
    };
    let later = row.last_event_at.max(row.fetched_at) + 100;
    let failed = event("evt_re_failed", "refund.failed", later, "failed");
    let stale = event("evt_re_stale", "refund.updated", later - 10, "pending");
    for body in [&failed, &stale, &failed] {
        assert_eq!(deliver_signed(&server, "/webhooks/stripe", body).await, 200);
    }
    all_processed(&server).await;
    let row = app::db::refunds::find(server.db(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "failed");
    assert_eq!(
        row.failure_reason.as_deref(),
        Some("expired_or_canceled_card")
    );

    let admin = client();
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let lines = json_of(
        call(
            &admin,
            &server,
            ListAccountRefunds::PATH,
            &[("account", account.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(lines[0]["amount"], "$12.00");
    assert_eq!(lines[0]["status_label"], "Failed");
    assert_eq!(lines[0]["reason"], "Requested by the customer");
    let status = call(
        &owner,
        &server,
        ListAccountRefunds::PATH,
        &[("account", account.as_str())],
    )
    .await
    .status();
    assert_eq!(status, 403);
    server.stop().await;
}
on_both_databases!(refunds_reach_the_account_page, multi_thread);
