//! Application fees: the platform's `application_fee.*` events reach the fee table whatever
//! their order and however often Stripe delivers them; the console reads one account's revenue
//! and the platform's last 30 days from it; reconciliation fills it from Stripe's list. Against
//! the real server and the offline Stripe emulator, on SQLite and PostgreSQL.

#[macro_use]
mod common;

use app::db::application_fees;
use app::db::stripe_events;
use app::fee_revenue::{GetFeeRevenue, GetPlatformFeeRevenue};
use common::*;
use domain::calendar::Date;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use stripe_client::webhook::unix_now;
use stripe_client::{Params, RequestOptions};

const DAY: i64 = 86_400;

/// A fee as Stripe's `application_fee` object has it (`PlatformFee` in Stripe's schema).
fn fee(
    id: &str,
    account: Value,
    amount: i64,
    refunded: i64,
    currency: &str,
    created: i64,
) -> Value {
    json!({
        "id": id, "object": "application_fee", "account": account, "amount": amount,
        "amount_refunded": refunded, "application": "ca_test", "balance_transaction": null,
        "charge": format!("ch_of_{id}"), "created": created, "currency": currency,
        "livemode": false, "refunded": refunded >= amount,
        "refunds": {"object": "list", "data": [], "has_more": false, "url": "/v1/application_fees"}
    })
}

/// A platform event (no `account`: the platform's own) carrying `object`.
fn platform_event(id: &str, kind: &str, created: i64, object: Value) -> String {
    json!({
        "id": id, "object": "event", "api_version": "2026-09-30.endive", "created": created,
        "livemode": false, "type": kind, "data": {"object": object}
    })
    .to_string()
}

async fn deliver(server: &TestServer, body: &str) {
    assert_eq!(deliver_signed(server, "/webhooks/stripe", body).await, 200);
}

async fn stored(server: &TestServer, id: &str) -> application_fees::FeeRow {
    application_fees::find(server.db(), id)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{id} not in the table"))
}

async fn processed_once(server: &TestServer, id: &str) {
    let e = stripe_events::find(server.db(), id).await.unwrap().unwrap();
    assert_eq!((e.status.as_str(), e.attempts), ("processed", 1), "{id}");
}

async fn fee_events_in_any_order(db: &TestDb) {
    let server = TestServer::start(db).await;
    let t = unix_now() - 3 * DAY;
    let a = json!("acct_1FeesA");

    // The refund's event arrives before the creation's: the refunded amount stays; each
    // redelivery is stored once and applied once.
    let created = platform_event(
        "evt_fee_created",
        "application_fee.created",
        t,
        fee("fee_1", a.clone(), 500, 0, "usd", t),
    );
    let refunded = platform_event(
        "evt_fee_refunded",
        "application_fee.refunded",
        t + 10,
        fee("fee_1", a.clone(), 500, 200, "usd", t),
    );
    for body in [&refunded, &created, &refunded, &created] {
        deliver(&server, body).await;
    }
    all_processed(&server).await;
    let row = stored(&server, "fee_1").await;
    assert_eq!(
        (
            row.stripe_account_id.as_str(),
            row.charge_id.as_str(),
            row.amount,
            row.amount_refunded,
            row.currency.as_str(),
            row.created,
            row.last_event_at
        ),
        ("acct_1FeesA", "ch_of_fee_1", 500, 200, "usd", t, t + 10)
    );
    processed_once(&server, "evt_fee_created").await;
    processed_once(&server, "evt_fee_refunded").await;

    // A later refund delivered before an earlier one: the larger refunded amount stays.
    let full = platform_event(
        "evt_fee_full",
        "application_fee.refunded",
        t + 30,
        fee("fee_1", a.clone(), 500, 500, "usd", t),
    );
    let partial = platform_event(
        "evt_fee_partial",
        "application_fee.refunded",
        t + 20,
        fee("fee_1", a.clone(), 500, 300, "usd", t),
    );
    deliver(&server, &full).await;
    deliver(&server, &partial).await;
    all_processed(&server).await;
    let row = stored(&server, "fee_1").await;
    assert_eq!((row.amount_refunded, row.last_event_at), (500, t + 30));

    // Same second: time cannot order them, the refunded amount (which only grows) does.
    let same_created = platform_event(
        "evt_fee2_created",
        "application_fee.created",
        t,
        fee("fee_2", a.clone(), 300, 0, "usd", t),
    );
    let same_refunded = platform_event(
        "evt_fee2_refunded",
        "application_fee.refunded",
        t,
        fee("fee_2", a.clone(), 300, 100, "usd", t),
    );
    deliver(&server, &same_created).await;
    all_processed(&server).await;
    deliver(&server, &same_refunded).await;
    all_processed(&server).await;
    assert_eq!(stored(&server, "fee_2").await.amount_refunded, 100);

    // The fee's account may come expanded; a fee naming no account is not stored.
    let expanded = platform_event(
        "evt_fee3",
        "application_fee.created",
        t,
        fee(
            "fee_3",
            json!({"id": "acct_1FeesB", "object": "account"}),
            700,
            0,
            "eur",
            t,
        ),
    );
    let orphan = platform_event(
        "evt_fee4",
        "application_fee.created",
        t,
        fee("fee_4", Value::Null, 700, 0, "eur", t),
    );
    deliver(&server, &expanded).await;
    deliver(&server, &orphan).await;
    all_processed(&server).await;
    assert_eq!(
        stored(&server, "fee_3").await.stripe_account_id,
        "acct_1FeesB"
    );
    assert!(application_fees::find(server.db(), "fee_4")
        .await
        .unwrap()
        .is_none());
    let e = stripe_events::find(server.db(), "evt_fee4")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.status, "ignored");
    server.stop().await;
}
on_both_databases!(fee_events_in_any_order, multi_thread);

async fn revenue_per_account_and_per_day(db: &TestDb) {
    let server = TestServer::start(db).await;
    let now = unix_now();
    let a = json!("acct_1RevenueA");
    let b = json!("acct_1RevenueB");
    let fees = [
        // id, account, amount, refunded, currency, created
        ("fee_a1", &a, 500, 200, "usd", now - 2 * DAY),
        ("fee_a2", &a, 300, 0, "usd", now - 40 * DAY),
        ("fee_a3", &a, 1_000, 0, "eur", now),
        ("fee_b1", &b, 800, 0, "usd", now - DAY),
    ];
    for (i, (id, account, amount, refunded, currency, created)) in fees.iter().enumerate() {
        let body = platform_event(
            &format!("evt_rev_{i}"),
            "application_fee.created",
            *created,
            fee(
                id,
                (*account).clone(),
                *amount,
                *refunded,
                currency,
                *created,
            ),
        );
        deliver(&server, &body).await;
    }
    all_processed(&server).await;

    let admin = client();
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    // One account: per currency (the largest net first) and per month, net of refunds.
    let r = json_of(
        call(
            &admin,
            &server,
            GetFeeRevenue::PATH,
            &[("account", "acct_1RevenueA")],
        )
        .await,
    )
    .await;
    assert_eq!(r["fees"], 3, "{r}");
    let by_currency: Vec<(&str, i64, &str)> = r["by_currency"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["currency"].as_str().unwrap(),
                c["net"].as_i64().unwrap(),
                c["formatted"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_currency,
        vec![("eur", 1_000, "€10.00"), ("usd", 600, "$6.00")]
    );
    assert_eq!(r["by_currency"][1]["refunded"], "$2.00");
    // Months as the calendar has them (UTC), newest first.
    let month = |t: i64| {
        let d = Date::from_unix(t);
        domain::fee_revenue::month_label(d.year, d.month)
    };
    let months: Vec<(String, String)> = r["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["label"].as_str().unwrap().to_string(),
                m["amounts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    let mut expected: Vec<(String, String)> = Vec::new();
    for (label, amount) in [
        (month(now), "€10.00"),
        (month(now - 2 * DAY), "$3.00"),
        (month(now - 40 * DAY), "$3.00"),
    ] {
        match expected.last_mut() {
            Some((l, amounts)) if *l == label => *amounts = format!("{amounts}, {amount}"),
            _ => expected.push((label, amount.to_string())),
        }
    }
    assert_eq!(months, expected);

    // The platform's last 30 days: one bar per day, zeros included, one chart per currency
    // (largest total first); the fee from 40 days ago is outside.
    let p = json_of(call(&admin, &server, GetPlatformFeeRevenue::PATH, &[]).await).await;
    let charts = p["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 2, "{p}");
    let net = |c: &Value| -> Vec<i64> {
        c["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["net"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(charts[0]["currency"], "usd");
    assert_eq!(charts[0]["total"], "$11.00");
    let usd = net(&charts[0]);
    assert_eq!(usd.len(), 30);
    assert_eq!(&usd[27..], &[300, 800, 0]);
    assert_eq!(usd[..27].iter().sum::<i64>(), 0);
    assert_eq!(charts[1]["currency"], "eur");
    assert_eq!(net(&charts[1])[29], 1_000);
    assert_eq!(p["to"], Date::from_unix(now).long_label());

    // The overview draws it: a bar per day, the total in words.
    let page = admin
        .get(server.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"fee-chart-usd\""), "{page}");
    assert!(page.contains("USD: $11.00 from 2 fees in the last 30 days."));
    assert_eq!(page.matches("data-net=").count(), 60);
    server.stop().await;
}
on_both_databases!(revenue_per_account_and_per_day, multi_thread);

/// Payments with a fee on the emulator: its `application_fee.created` events (the platform's
/// own, on the endpoint for the platform's events) fill the table; a refund that refunds the fee
/// sends `application_fee.refunded`; reconciliation fills a table that lost its rows from
/// Stripe's list, and a second run writes nothing.
async fn emulator_fees_and_backfill(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    sign_up(&owner, &server, "fees@example.com").await;
    let account = onboarded_account(&server, "fees@example.com").await;
    let stripe = &server.state.stripe;
    let on_account = RequestOptions::for_account(account.clone());
    let mut payments = Vec::new();
    for amount in [1_000, 2_000, 3_000] {
        let pi: Value = stripe
            .post_form(
                "/v1/payment_intents",
                &Params::new()
                    .set("amount", amount)
                    .set("currency", "usd")
                    .set("application_fee_amount", amount / 10)
                    .set("payment_method", "pm_card_visa")
                    .set("confirm", "true")
                    .set("automatic_payment_methods[enabled]", "true")
                    .set("automatic_payment_methods[allow_redirects]", "never"),
                &on_account,
            )
            .await
            .unwrap();
        payments.push(pi["id"].as_str().unwrap().to_string());
    }
    eventually("three fees in the table", || async {
        application_fees::sums_of_account(server.db(), &account)
            .await
            .unwrap()
            .first()
            .is_some_and(|s| s.fees == 3)
    })
    .await;

    // Half of the 3,000 payment back, with the fee: half the fee (300) goes back too.
    let _: Value = stripe
        .post_form(
            "/v1/refunds",
            &Params::new()
                .set("payment_intent", payments[2].as_str())
                .set("amount", 1_500)
                .set("refund_application_fee", "true"),
            &on_account,
        )
        .await
        .unwrap();
    eventually("the fee refund in the table", || async {
        application_fees::sums_of_account(server.db(), &account)
            .await
            .unwrap()
            .first()
            .is_some_and(|s| s.refunded == 150)
    })
    .await;
    let fees = stripe
        .list_application_fees(
            &stripe_client::api::ListParams::limit(100),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    for f in &fees.data {
        let row = stored(&server, &f.id).await;
        assert_eq!(
            (row.amount, row.amount_refunded),
            (f.amount, f.amount_refunded),
            "the table says what Stripe says"
        );
    }
    all_processed(&server).await;

    // A table without its rows (as before it existed) is filled from Stripe's list, once.
    sqlx::query("DELETE FROM application_fees")
        .execute(server.db().pool())
        .await
        .unwrap();
    let first = server::reconcile::run_once(server.db(), stripe)
        .await
        .unwrap();
    assert_eq!((first.fees_listed >= 3, first.fees_written), (true, 3));
    let sums = application_fees::sums_of_account(server.db(), &account)
        .await
        .unwrap();
    assert_eq!(
        (sums[0].fees, sums[0].amount, sums[0].refunded),
        (3, 600, 150)
    );
    let again = server::reconcile::run_once(server.db(), stripe)
        .await
        .unwrap();
    assert_eq!(again.fees_written, 0);

    // Listed data never lowers what a newer event said.
    let newest = &fees.data[0];
    let body = platform_event(
        "evt_after_list",
        "application_fee.refunded",
        unix_now() + 60,
        fee(
            &newest.id,
            json!(account),
            newest.amount,
            newest.amount,
            "usd",
            newest.created.unwrap(),
        ),
    );
    deliver(&server, &body).await;
    all_processed(&server).await;
    server::reconcile::run_once(server.db(), stripe)
        .await
        .unwrap();
    assert_eq!(
        stored(&server, &newest.id).await.amount_refunded,
        newest.amount
    );
    server.stop().await;
}
on_both_databases!(emulator_fees_and_backfill, multi_thread);
