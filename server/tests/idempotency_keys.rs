//! The idempotency keys the portal derives, on both databases: unique per installation (two
//! portals sharing one Stripe key never get each other's accounts), the same for every instance
//! on one database, and new when the request changed (a settings change between a failed
//! attempt and the retry does not block the owner with Stripe's `idempotency_error`).

#[macro_use]
mod common;

use app::db::{connected_accounts, users};
use app::onboarding::StartOnboarding;
use common::*;
use domain::platform::PlatformConfig;
use leptos::server_fn::ServerFn;

async fn owned_account(server: &TestServer, email: &str) -> Option<String> {
    let user = users::find_by_email(server.db(), email)
        .await
        .unwrap()
        .unwrap();
    connected_accounts::find_by_owner(server.db(), user.id)
        .await
        .unwrap()
        .map(|row| row.stripe_account_id)
}

/// Two portals on two databases share one Stripe key (the first one's emulator): their first
/// owners — same id in each database, even the same email — get two different accounts.
async fn two_portals_sharing_a_stripe_key_get_their_own_accounts(db: &TestDb) {
    let first = TestServer::start(db).await;
    let other_db = match db {
        TestDb::Sqlite { .. } => TestDb::sqlite().await,
        TestDb::Postgres { .. } => TestDb::postgres().await,
    };
    let emulator = first.emulator.clone();
    let second = TestServer::start_with(&other_db, |config| {
        config.stripe.stripe_secret_key = Some(server::stripe_setup::EMULATOR_SECRET_KEY.into());
        config.stripe.stripe_api_base = Some(emulator.clone());
        config.stripe.stripe_connect_base = Some(emulator);
    })
    .await;
    assert_ne!(
        first.state.settings.installation_id, second.state.settings.installation_id,
        "each database has its own installation id"
    );

    let mut accounts = Vec::new();
    for server in [&first, &second] {
        let owner = client();
        sign_up(&owner, server, "owner@example.com").await;
        let response = call(&owner, server, StartOnboarding::PATH, &[]).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        accounts.push(owned_account(server, "owner@example.com").await.unwrap());
    }
    assert_ne!(
        accounts[0], accounts[1],
        "owner #1 of one portal must not get owner #1 of the other's account"
    );

    second.stop().await;
    other_db.drop_now().await;
    first.stop().await;
}

/// Instances starting at once on one database agree on the installation id (the first INSERT
/// wins, the others read it), and every later start keeps it.
async fn instances_on_one_database_share_the_installation_id(db: &TestDb) {
    let config = common::config(db);
    let pools = [
        server::open_database(&config).await.unwrap(),
        server::open_database(&config).await.unwrap(),
        server::open_database(&config).await.unwrap(),
    ];
    let (a, b, c) = tokio::join!(
        app::db::installation::ensure(&pools[0]),
        app::db::installation::ensure(&pools[1]),
        app::db::installation::ensure(&pools[2]),
    );
    let id = a.unwrap();
    assert_eq!(id.len(), 32, "{id}");
    assert_eq!(b.unwrap(), id);
    assert_eq!(c.unwrap(), id);
    for pool in pools {
        pool.close().await;
    }
    let first = TestServer::start(db).await;
    let b_dir = db.data_dir().join("instance-b");
    let second = TestServer::start_with(db, |c| c.data_dir = b_dir).await;
    assert_eq!(first.state.settings.installation_id, id);
    assert_eq!(second.state.settings.installation_id, id);
    first.stop().await;
    second.stop().await;
}

/// Stripe refuses the first create (the admin set a country Stripe does not support) and keeps
/// that answer under its key; the admin fixes the settings; the owner's retry is a different
/// request, so it gets a new key and the account is made.
async fn a_settings_change_between_retries_does_not_block_the_owner(db: &TestDb) {
    let server = TestServer::start(db).await;
    let misconfigured = PlatformConfig {
        country: "ZZ".into(),
        ..PlatformConfig::default()
    };
    app::platform::save(&server.state, &misconfigured, 1)
        .await
        .unwrap();
    let owner = client();
    sign_up(&owner, &server, "retry@example.com").await;
    let failed = call(&owner, &server, StartOnboarding::PATH, &[]).await;
    assert!(
        !failed.status().is_success(),
        "Stripe refused the country: {}",
        failed.status()
    );
    assert_eq!(owned_account(&server, "retry@example.com").await, None);

    app::platform::save(&server.state, &PlatformConfig::default(), 1)
        .await
        .unwrap();
    let retried = call(&owner, &server, StartOnboarding::PATH, &[]).await;
    assert_eq!(retried.status(), 200, "{}", retried.text().await.unwrap());
    let account = owned_account(&server, "retry@example.com").await.unwrap();

    // A plain retry still gets the same account back (nothing new is created on Stripe).
    let again = call(&owner, &server, StartOnboarding::PATH, &[]).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        owned_account(&server, "retry@example.com").await.unwrap(),
        account
    );
    assert_eq!(
        connected_accounts::list_all(server.db())
            .await
            .unwrap()
            .len(),
        1
    );
    server.stop().await;
}

on_both_databases!(two_portals_sharing_a_stripe_key_get_their_own_accounts);
on_both_databases!(instances_on_one_database_share_the_installation_id);
on_both_databases!(a_settings_change_between_retries_does_not_block_the_owner);
