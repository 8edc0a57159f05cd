//! Onboarding through the server functions, on both databases: one account per owner whatever
//! the number of clicks, v1 and v2 (as the platform is configured), links to Stripe's hosted form,
//! and the return URL reading the account again.

#[macro_use]
mod common;

use app::db::{connected_accounts, users};
use app::onboarding::{GetMyAccount, StartOnboarding, SyncMyAccount};
use common::*;
use domain::platform::{AccountApi, PlatformConfig};
use leptos::server_fn::ServerFn;
use serde_json::Value;

async fn owner_id(server: &TestServer, email: &str) -> i64 {
    users::find_by_email(server.db(), email)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn start_twice_makes_one_account(db: &TestDb, api: AccountApi) {
    let server = TestServer::start(db).await;
    if api == AccountApi::V2 {
        let config = PlatformConfig {
            account_api: AccountApi::V2,
            ..PlatformConfig::default()
        };
        app::platform::save(&server.state, &config, 1)
            .await
            .unwrap();
    }
    let owner = client();
    sign_up(&owner, &server, "start@example.com").await;
    // Two clicks at once (and a retry): one account.
    let (a, b) = tokio::join!(
        call(&owner, &server, StartOnboarding::PATH, &[]),
        call(&owner, &server, StartOnboarding::PATH, &[])
    );
    for response in [a, b] {
        assert_eq!(response.status(), 200);
        let to = response
            .headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            to.starts_with(&server.emulator),
            "sent to the hosted form: {to}"
        );
        assert!(to.contains("/setup/s/acct_"), "{to}");
    }
    let again = call(&owner, &server, StartOnboarding::PATH, &[]).await;
    assert_eq!(again.status(), 200);
    let id = owner_id(&server, "start@example.com").await;
    let row = connected_accounts::find_by_owner(server.db(), id)
        .await
        .unwrap()
        .expect("the owner's account is cached");
    assert_eq!(
        row.api_version,
        if api == AccountApi::V2 { "v2" } else { "v1" }
    );
    let all = connected_accounts::list_all(server.db()).await.unwrap();
    assert_eq!(all.len(), 1, "one account for one owner");

    // The status view's data comes from the cache.
    let mine: Value = call(&owner, &server, GetMyAccount::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine["account"]["stripe_account_id"],
        row.stripe_account_id.as_str()
    );
    assert_eq!(mine["account"]["api_version"], row.api_version.as_str());
    assert!(mine["account"]["status"].is_string());

    // The return URL reads the account again and lands on the home page.
    let back = call(&owner, &server, SyncMyAccount::PATH, &[]).await;
    assert_eq!(back.status(), 200);
    assert_eq!(
        back.headers().get("location").unwrap(),
        "/account?returned=1"
    );

    // Another owner starting gets their own account, never the first one's.
    let other = client();
    sign_up(&other, &server, "other@example.com").await;
    assert_eq!(
        call(&other, &server, StartOnboarding::PATH, &[])
            .await
            .status(),
        200
    );
    let theirs = connected_accounts::find_by_owner(
        server.db(),
        owner_id(&server, "other@example.com").await,
    )
    .await
    .unwrap()
    .unwrap();
    assert_ne!(theirs.stripe_account_id, row.stripe_account_id);
    server.stop().await;
}

async fn v1_accounts(db: &TestDb) {
    start_twice_makes_one_account(db, AccountApi::V1).await;
}
on_both_databases!(v1_accounts, multi_thread);

async fn v2_accounts(db: &TestDb) {
    start_twice_makes_one_account(db, AccountApi::V2).await;
}
on_both_databases!(v2_accounts, multi_thread);

/// A v2 account's payout schedule is in no Stripe object the portal reads (the v2 Account has
/// none): the overview says where to see it, with no invented schedule or next payout date; a v1
/// account's comes from its `settings.payouts.schedule`.
async fn payout_schedule_only_as_stripe_reported(db: &TestDb) {
    use app::payouts::GetPayoutOverview;
    let server = TestServer::start(db).await;
    let v1 = client();
    sign_up(&v1, &server, "v1-payouts@example.com").await;
    assert_eq!(
        call(&v1, &server, StartOnboarding::PATH, &[])
            .await
            .status(),
        200
    );
    let config = PlatformConfig {
        account_api: AccountApi::V2,
        ..PlatformConfig::default()
    };
    app::platform::save(&server.state, &config, 1)
        .await
        .unwrap();
    let v2 = client();
    sign_up(&v2, &server, "v2-payouts@example.com").await;
    assert_eq!(
        call(&v2, &server, StartOnboarding::PATH, &[])
            .await
            .status(),
        200
    );

    let row = connected_accounts::find_by_owner(
        server.db(),
        owner_id(&server, "v2-payouts@example.com").await,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.api_version, "v2");
    let overview: Value = call(&v2, &server, GetPayoutOverview::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        overview["schedule"],
        domain::payout_schedule::SCHEDULE_NOT_REPORTED,
        "{overview}"
    );
    assert!(overview["next_payout"].is_null(), "{overview}");
    assert_eq!(overview["manual"], false);

    let overview: Value = call(&v1, &server, GetPayoutOverview::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    let words = overview["schedule"].as_str().unwrap();
    assert_ne!(words, domain::payout_schedule::SCHEDULE_NOT_REPORTED);
    assert!(!words.contains("as soon as Stripe allows"), "{words}");

    // The console says the same of each: the v1 schedule as Stripe reported it, none for v2.
    let admin = client();
    sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let detail = |account: String| {
        let (admin, server) = (&admin, &server);
        async move {
            let answer = call(
                admin,
                server,
                app::console::GetAccountDetail::PATH,
                &[("account", account.as_str())],
            )
            .await;
            assert_eq!(answer.status(), 200);
            answer.json::<Value>().await.unwrap()["payout_schedule"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let v2_words = detail(row.stripe_account_id.clone()).await;
    assert!(v2_words.starts_with("Not reported by Stripe"), "{v2_words}");
    let v1_row = connected_accounts::find_by_owner(
        server.db(),
        owner_id(&server, "v1-payouts@example.com").await,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(detail(v1_row.stripe_account_id).await, words);
    server.stop().await;
}

on_both_databases!(payout_schedule_only_as_stripe_reported);

/// The race behind a flaky run: the webhook worker fetched a new v2 account first (guessing v1,
/// as for any account it had never seen) and its later-started fetch won; the owner's own fetch,
/// which knows the account is v2, came second with stale data. The known version still holds.
async fn a_known_api_version_holds_against_a_later_guess(db: &TestDb) {
    use app::db::connected_accounts::{store_fetched, AccountRecord, ApiVersion, FetchedAt};
    let server = TestServer::start(db).await;
    let record = AccountRecord {
        stripe_account_id: "acct_raced".into(),
        requirements: "{}".into(),
        future_requirements: "{}".into(),
        capabilities: "{}".into(),
        controller: "{}".into(),
        ..AccountRecord::default()
    };
    let at = |started_ms| FetchedAt {
        started_ms,
        finished: 1_700_000_000,
        stripe_time: 1_700_000_000,
        event_created: 0,
        reconnected: false,
    };
    assert!(
        store_fetched(server.db(), &record, ApiVersion::V1, false, at(200))
            .await
            .unwrap()
    );
    assert!(
        !store_fetched(server.db(), &record, ApiVersion::V2, true, at(100))
            .await
            .unwrap()
    );
    let row = connected_accounts::find_by_stripe_id(server.db(), "acct_raced")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.api_version, "v2");
    server.stop().await;
}
on_both_databases!(a_known_api_version_holds_against_a_later_guess);
