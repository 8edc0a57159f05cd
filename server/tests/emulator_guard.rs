//! Without `STRIPE_SECRET_KEY` the server runs the offline emulator, but not behind a public
//! address by accident: a `PUBLIC_URL` that is not loopback `http` needs `ALLOW_EMULATOR=true`.

mod common;

use common::*;
use leptos::prelude::LeptosOptions;

/// Starts the portal as `main` would with this configuration change (no key: the emulator).
async fn start(
    db: &TestDb,
    change: impl FnOnce(&mut server::config::Config),
) -> Result<server::Portal, String> {
    let mut config = config(db);
    change(&mut config);
    let options = LeptosOptions::builder()
        .output_name("connect-portal")
        .site_root("../target/site")
        .site_pkg_dir("pkg")
        .site_addr("127.0.0.1:0".parse::<std::net::SocketAddr>().unwrap())
        .build();
    let database = server::open_database(&config).await.unwrap();
    let started = server::start(&config, options, database.clone()).await;
    database.close().await;
    started.map_err(|e| e.to_string())
}

#[tokio::test]
async fn the_emulator_does_not_serve_a_public_address_unless_allowed() {
    let db = TestDb::sqlite().await;
    let refused = start(&db, |c| {
        c.public_url = Some("https://portal.example.com".into());
    })
    .await;
    let message = refused.err().expect("start-up is refused");
    assert!(
        message.contains("PUBLIC_URL=https://portal.example.com")
            && message.contains("STRIPE_SECRET_KEY")
            && message.contains("ALLOW_EMULATOR=true"),
        "says what to set: {message}"
    );

    let allowed = start(&db, |c| {
        c.public_url = Some("https://portal.example.com".into());
        c.stripe.allow_emulator = true;
        c.mail.allow_dev_mailbox = true;
    })
    .await
    .expect("ALLOW_EMULATOR=true runs the emulator");
    assert!(allowed.emulator.is_some());
    allowed.shutdown().await;

    for local in [
        "http://127.0.0.1:3000",
        "http://localhost:3000",
        "http://[::1]:3000",
    ] {
        let portal = start(&db, |c| c.public_url = Some(local.into()))
            .await
            .unwrap_or_else(|e| panic!("{local}: {e}"));
        assert!(portal.emulator.is_some());
        portal.shutdown().await;
    }
    // With a key, the emulator is not involved and any address is fine. A key that is not
    // known to be a test key counts as live (no test-data tools).
    let with_key = start(&db, |c| {
        c.public_url = Some("https://portal.example.com".into());
        c.stripe.stripe_secret_key = Some("sk_unknown_prefix_key".into());
        c.mail.smtp_url = Some("smtps://mail.example.com".into());
    })
    .await
    .expect("real keys start anywhere");
    assert!(with_key.emulator.is_none());
    assert_eq!(
        with_key.state.settings.stripe_mode,
        app::state::StripeMode::Live
    );
    with_key.shutdown().await;
    db.drop_now().await;
}

#[tokio::test]
async fn a_public_portal_needs_an_smtp_server() {
    let db = TestDb::sqlite().await;
    let refused = start(&db, |c| {
        c.public_url = Some("https://portal.example.com".into());
        c.stripe.allow_emulator = true;
    })
    .await;
    let message = refused.err().expect("start-up is refused");
    assert!(
        message.contains("SMTP_URL") && message.contains("ALLOW_DEV_MAILBOX=true"),
        "says what to set: {message}"
    );
    let cleartext = start(&db, |c| {
        c.public_url = Some("https://portal.example.com".into());
        c.stripe.allow_emulator = true;
        c.mail.smtp_url = Some("smtp://user:secret@mail.example.com:587".into());
    })
    .await;
    let message = cleartext
        .err()
        .expect("plain SMTP to another machine is refused");
    assert!(message.contains("tls=required"), "{message}");
    assert!(
        !message.contains("secret"),
        "the password is not repeated: {message}"
    );
    db.drop_now().await;
}
