//! Test-data tools over HTTP against the offline Stripe emulator, on both databases: payments
//! with the platform's application fee, a declined and a disputed one, a refund, a payout on a
//! manual schedule; who may use them; and their absence with a live key.

#[macro_use]
mod common;

use app::account_sync::{self, SyncCause, VersionHint};
use app::db::connected_accounts::{self, AccountRecord, ApiVersion, FetchedAt};
use app::db::users;
use app::fee_revenue::GetFeeRevenue;
use app::test_data::{CreateTestPayments, CreateTestPayout, RefundTestPayment, TestDataAvailable};
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::Value;
use std::time::Duration;
use stripe_client::{Params, RequestOptions};

/// A US individual account with every requirement provided (charges and payouts enabled), in
/// the portal's cache and owned by `owner_email`.
async fn onboarded_account(server: &TestServer, owner_email: &str) -> String {
    let stripe = &server.state.stripe;
    let none = RequestOptions::new();
    let account: Value = stripe
        .post_form(
            "/v1/accounts",
            &Params::new()
                .set("country", "US")
                .set("controller[stripe_dashboard][type]", "none")
                .set("controller[fees][payer]", "application")
                .set("controller[losses][payments]", "application")
                .set("controller[requirement_collection]", "application")
                .set("capabilities[card_payments][requested]", "true")
                .set("capabilities[transfers][requested]", "true")
                .set("business_type", "individual"),
            &none,
        )
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap().to_string();
    let fields = [
        ("business_profile[mcc]", "5734"),
        ("business_profile[url]", "https://accessible.stripe.com"),
        ("individual[first_name]", "Jenny"),
        ("individual[last_name]", "Rosen"),
        ("individual[email]", "jenny@example.com"),
        ("individual[phone]", "0000000000"),
        ("individual[dob][day]", "1"),
        ("individual[dob][month]", "1"),
        ("individual[dob][year]", "1901"),
        ("individual[address][line1]", "address_full_match"),
        ("individual[address][city]", "San Francisco"),
        ("individual[address][state]", "CA"),
        ("individual[address][postal_code]", "94103"),
        ("individual[ssn_last_4]", "0000"),
        ("individual[id_number]", "000000000"),
        ("tos_acceptance[date]", "1700000000"),
        ("tos_acceptance[ip]", "127.0.0.1"),
        ("external_account", "btok_us_verified"),
    ];
    let mut params = Params::new();
    for (k, v) in fields {
        params = params.set(k, v);
    }
    let _: Value = stripe
        .post_form(&format!("/v1/accounts/{id}"), &params, &none)
        .await
        .unwrap();
    // Verification takes a few (emulated) seconds, as on Stripe.
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    loop {
        let a: Value = stripe
            .get(&format!("/v1/accounts/{id}"), &Params::new(), &none)
            .await
            .unwrap();
        if a["charges_enabled"] == true && a["payouts_enabled"] == true {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never enabled: {a}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    account_sync::sync(
        server.db(),
        stripe,
        &id,
        VersionHint::Known(ApiVersion::V1),
        SyncCause::default(),
    )
    .await
    .unwrap();
    let owner = users::find_by_email(server.db(), owner_email)
        .await
        .unwrap()
        .unwrap();
    assert!(connected_accounts::set_owner(server.db(), &id, owner.id)
        .await
        .unwrap());
    id
}

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
    // The console's revenue line: the platform's fees from this account, admins only.
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
