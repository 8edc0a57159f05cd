//! `server create-admin`: the first platform admin from the command line.

mod common;

use app::auth::SignIn;
use common::*;
use leptos::server_fn::ServerFn;
use std::io::Write;
use std::process::{Command, Stdio};

fn create_admin(db: &TestDb, email: &str, password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["create-admin", "--email", email])
        .env("DATABASE_URL", db.url())
        .env_remove("ADMIN_PASSWORD")
        .env("LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_password_comes_from_stdin_and_the_admin_can_sign_in() {
    let db = TestDb::sqlite().await;
    let output = create_admin(&db, "Ops@Example.com", "a long admin password");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Created platform admin"));

    let again = create_admin(&db, "ops@example.com", "another long password");
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("a login with this email already exists")
    );

    let weak = create_admin(&db, "weak@example.com", "short");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));

    let server = TestServer::start(&db).await;
    let browser = client();
    let response = call(
        &browser,
        &server,
        SignIn::PATH,
        &[
            ("email", "ops@example.com"),
            ("password", "a long admin password"),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/admin");
    server.stop().await;
    db.drop_now().await;
}
