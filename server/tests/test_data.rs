//! Test-data tools over HTTP against the offline Stripe emulator, on both databases: payments
//! with the platform's application fee, a declined and a disputed one, a refund, a payout on a
//! manual schedule; who may use them; and their absence with a live key.

#[macro_use]
mod common;

use app::db::connected_accounts::{self, AccountRecord, ApiVersion, FetchedAt};
use app::db::users;
use app::fee_revenue::GetFeeRevenue;
use app::test_data::{CreateTestPayments, CreateTestPayout, RefundTestPayment, TestDataAvailable};
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::Value;
use stripe_client::{Params, RequestOptions};

async fn report(response: reqwest::Response) -> Vec<Value> {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

async fn owner_creates_payments_refund_and_payout(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    assert_eq!(
        sign_up(&owner, &server, "shop@example.com").await.status(),
        200
    );
    let account = onboarded_account(&server, "shop@example.com").await;

    let available: bool = call(&owner, &server, TestDataAvailable::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(available, "the emulator is a test mode");

    let items = report(
        call(
            &owner,
            &server,
            CreateTestPayments::PATH,
            &[
                ("count", "3"),
                ("with_dispute", "true"),
                ("with_decline", "true"),
            ],
        )
        .await,
    )
    .await;
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        vec![
            "Payment",
            "Payment",
            "Payment",
            "Disputed payment",
            "Declined payment"
        ]
    );
    assert!(items
        .iter()
        .all(|i| i["id"].as_str().unwrap().starts_with("pi_")));
    assert_eq!(items[4]["succeeded"], false);

    // What Stripe holds: the charges on the account, the platform's application fees from it.
    let stripe = &server.state.stripe;
    let on_account = RequestOptions::for_account(account.clone());
    let charges: Value = stripe
        .get(
            "/v1/charges",
            &Params::new().set("limit", "100"),
            &on_account,
        )
        .await
        .unwrap();
    let statuses: Vec<&str> = charges["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "succeeded").count(), 4);
    assert_eq!(statuses.iter().filter(|s| **s == "failed").count(), 1);
    let fees = stripe
        .list_application_fees(
            &stripe_client::api::ListParams::limit(100),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        fees.data
            .iter()
            .filter(|f| f.account.as_deref() == Some(account.as_str()))
            .count(),
        4,
        "a fee on every successful payment"
    );
    let config = domain::platform::PlatformConfig::default();
    for charge in charges["data"].as_array().unwrap() {
        if charge["status"] == "succeeded" {
            let amount = charge["amount"].as_i64().unwrap();
            let currency = charge["currency"].as_str().unwrap();
            assert_eq!(
                charge["application_fee_amount"].as_i64().unwrap(),
                config.application_fee.fee_for(amount, currency),
                "{charge}"
            );
        }
    }

    let refund = report(call(&owner, &server, RefundTestPayment::PATH, &[]).await).await;
    assert_eq!(refund[0]["kind"], "Refund");
    assert!(refund[0]["id"].as_str().unwrap().starts_with("re_"));

    // The refund takes the platform's fee back with it (`refund_application_fee`): Stripe's
    // fee and the portal's table say so.
    let refunded: Vec<_> = stripe
        .list_application_fees(
            &stripe_client::api::ListParams::limit(100),
            &RequestOptions::new(),
        )
        .await
        .unwrap()
        .data
        .into_iter()
        .filter(|f| f.refunded)
        .collect();
    assert_eq!(refunded.len(), 1, "{refunded:?}");
    let start = std::time::Instant::now();
    loop {
        let row = app::db::application_fees::find(server.db(), &refunded[0].id)
            .await
            .unwrap();
        if row.is_some_and(|r| r.amount_refunded == refunded[0].amount) {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "the fee refund never reached the table"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    server.stop().await;
}
on_both_databases!(owner_creates_payments_refund_and_payout, multi_thread);

async fn payout_on_a_manual_schedule(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    sign_up(&owner, &server, "payouts@example.com").await;
    let account = onboarded_account(&server, "payouts@example.com").await;
    let stripe = &server.state.stripe;
    // Plain payments only (no dispute, no refund): the balance can only grow.
    report(call(&owner, &server, CreateTestPayments::PATH, &[("count", "4")]).await).await;

    // Automatic schedule: the payout tool says why it does nothing.
    let refused = call(&owner, &server, CreateTestPayout::PATH, &[]).await;
    assert_eq!(refused.status(), 409);
    let text = refused.text().await.unwrap();
    assert!(text.contains("manual"), "{text}");

    let _: Value = stripe
        .post_form(
            &format!("/v1/accounts/{account}"),
            &Params::new().set("settings[payouts][schedule][interval]", "manual"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    // Funds are pending for two days after a card payment.
    let pending = call(&owner, &server, CreateTestPayout::PATH, &[]).await;
    assert_eq!(pending.status(), 409);
    assert!(pending
        .text()
        .await
        .unwrap()
        .contains("no available balance"));
    let advanced = reqwest::Client::new()
        .post(format!("{}/_sandbox/api/clock/advance", server.emulator))
        .bearer_auth(server::stripe_setup::EMULATOR_SECRET_KEY)
        .json(&serde_json::json!({"days": 3}))
        .send()
        .await
        .unwrap();
    assert!(advanced.status().is_success(), "{}", advanced.status());
    let available = stripe
        .retrieve_balance(&RequestOptions::for_account(account.clone()))
        .await
        .unwrap();
    let payouts = report(call(&owner, &server, CreateTestPayout::PATH, &[]).await).await;
    let positive: Vec<_> = available
        .available
        .iter()
        .filter(|a| a.amount > 0)
        .collect();
    assert_eq!(payouts.len(), positive.len(), "one payout per currency");
    assert!(payouts
        .iter()
        .all(|p| p["kind"] == "Payout" && p["id"].as_str().unwrap().starts_with("po_")));
    let after = stripe
        .retrieve_balance(&RequestOptions::for_account(account.clone()))
        .await
        .unwrap();
    assert!(after.available.iter().all(|a| a.amount == 0), "{after:?}");
    server.stop().await;
}
on_both_databases!(payout_on_a_manual_schedule, multi_thread);

async fn only_admins_name_an_account(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    let other = client();
    sign_up(&owner, &server, "first@example.com").await;
    sign_up(&other, &server, "second@example.com").await;
    let account = onboarded_account(&server, "first@example.com").await;

    // An owner naming any account (even their own) is refused: owners never pass ids.
    for who in [&owner, &other] {
        let response = call(
            who,
            &server,
            CreateTestPayments::PATH,
            &[("account", account.as_str()), ("count", "1")],
        )
        .await;
        assert_eq!(response.status(), 403);
    }
    // The second owner has no account of their own.
    let response = call(&other, &server, CreateTestPayments::PATH, &[("count", "1")]).await;
    assert_eq!(response.status(), 409);
    // Anonymous callers are asked to sign in.
    let response = call(
        &client(),
        &server,
        CreateTestPayments::PATH,
        &[("count", "1")],
    )
    .await;
    assert_eq!(response.status(), 401);
    // Out-of-range counts are refused next to the field.
    let response = call(&owner, &server, CreateTestPayments::PATH, &[("count", "0")]).await;
    assert_eq!(response.status(), 422);

    let admin = client();
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let items = report(
        call(
            &admin,
            &server,
            CreateTestPayments::PATH,
            &[("account", account.as_str()), ("count", "2")],
        )
        .await,
    )
    .await;
    assert_eq!(items.len(), 2);
    // The console's revenue line: the platform's fees from this account, admins only, kept
    // from the platform's `application_fee.created` events once they are processed.
    let start = std::time::Instant::now();
    let revenue = loop {
        let revenue: Value = call(
            &admin,
            &server,
            GetFeeRevenue::PATH,
            &[("account", account.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
        if revenue["fees"] == 2 || start.elapsed() > std::time::Duration::from_secs(30) {
            break revenue;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(revenue["fees"], 2, "{revenue}");
    assert!(revenue["by_currency"][0]["net"].as_i64().unwrap() > 0);
    let response = call(
        &owner,
        &server,
        GetFeeRevenue::PATH,
        &[("account", account.as_str())],
    )
    .await;
    assert_eq!(response.status(), 403);
    let response = call(
        &admin,
        &server,
        CreateTestPayments::PATH,
        &[("account", "acct_doesnotexist"), ("count", "1")],
    )
    .await;
    assert_eq!(response.status(), 404);
    server.stop().await;
}
on_both_databases!(only_admins_name_an_account, multi_thread);

async fn absent_with_a_live_key(db: &TestDb) {
    // A live key and an address where nothing listens: any Stripe call would fail loudly, so a
    // 404 proves the tools refused before calling.
    let server = TestServer::start_with(db, |config| {
        config.stripe.stripe_secret_key = Some("sk_live_not_a_real_key".into());
        config.stripe.stripe_api_base = Some("http://127.0.0.1:9".into());
    })
    .await;
    let owner = client();
    sign_up(&owner, &server, "live@example.com").await;
    let user = users::find_by_email(server.db(), "live@example.com")
        .await
        .unwrap()
        .unwrap();
    let record = AccountRecord {
        stripe_account_id: "acct_1LiveAccount".into(),
        requirements: "{}".into(),
        future_requirements: "{}".into(),
        capabilities: "{}".into(),
        controller: "{}".into(),
        charges_enabled: true,
        payouts_enabled: true,
        ..AccountRecord::default()
    };
    connected_accounts::store_fetched(
        server.db(),
        &record,
        ApiVersion::V1,
        true,
        FetchedAt {
            started_ms: 1,
            finished: 1,
            stripe_time: 1,
            event_created: 0,
            reconnected: false,
        },
    )
    .await
    .unwrap();
    connected_accounts::set_owner(server.db(), "acct_1LiveAccount", user.id)
        .await
        .unwrap();

    let available: bool = call(&owner, &server, TestDataAvailable::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(!available);
    for path in [
        CreateTestPayments::PATH,
        RefundTestPayment::PATH,
        CreateTestPayout::PATH,
    ] {
        let response = call(&owner, &server, path, &[("count", "1")]).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    server.stop().await;
}
on_both_databases!(absent_with_a_live_key);
