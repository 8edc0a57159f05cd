//! Removing admins through the console's server functions, on both databases: the removed admin
//! is signed out everywhere, their open invites are withdrawn, the removal is audited; the last
//! admin stays, even when two admins remove each other at the same moment.

#[macro_use]
mod common;

use app::admin_invites::{AcceptAdminInvite, CheckAdminInvite, CreateAdminInvite};
use app::admins::{ListAdmins, RemoveAdmin, LAST_ADMIN};
use app::console::ListAudit;
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::Value;

async fn first_admin(server: &TestServer) -> reqwest::Client {
    let admin = client();
    assert_eq!(
        sign_in(&admin, server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    admin
}

async fn json(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "HTTP {status}: {text}");
    serde_json::from_str(&text).unwrap()
}

async fn error_message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body.as_object()
        .and_then(|o| o.values().next())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// An open invite's one-time token, made by `admin`.
async fn invite(admin: &reqwest::Client, server: &TestServer) -> String {
    let url = json(call(admin, server, CreateAdminInvite::PATH, &[("note", "")]).await)
        .await
        .as_str()
        .unwrap()
        .to_string();
    url.rsplit('/').next().unwrap().to_string()
}

/// A new admin, invited by `inviter` and signed in.
async fn new_admin(inviter: &reqwest::Client, server: &TestServer, email: &str) -> reqwest::Client {
    let token = invite(inviter, server).await;
    let newcomer = client();
    let accepted = call(
        &newcomer,
        server,
        AcceptAdminInvite::PATH,
        &[
            ("token", &token),
            ("email", email),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(accepted.status(), 200);
    newcomer
}

async fn user_id(server: &TestServer, email: &str) -> String {
    app::db::users::find_by_email(server.db(), email)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

async fn admin_emails(admin: &reqwest::Client, server: &TestServer) -> Vec<String> {
    json(call(admin, server, ListAdmins::PATH, &[]).await)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["email"].as_str().unwrap().to_string())
        .collect()
}

async fn remove(admin: &reqwest::Client, server: &TestServer, id: &str) -> reqwest::Response {
    call(admin, server, RemoveAdmin::PATH, &[("id", id)]).await
}

async fn removal_signs_out_withdraws_invites_and_is_audited(db: &TestDb) {
    let server = TestServer::start(db).await;
    let first = first_admin(&server).await;
    let second = new_admin(&first, &server, "second-admin@example.com").await;
    // The second admin is also signed in elsewhere, and has an invite out.
    let elsewhere = client();
    assert_eq!(
        sign_in(&elsewhere, &server, "second-admin@example.com", PASSWORD)
            .await
            .status(),
        200
    );
    let their_invite = invite(&second, &server).await;
    let id = user_id(&server, "second-admin@example.com").await;
    assert_eq!(
        admin_emails(&first, &server).await,
        vec![ADMIN_EMAIL, "second-admin@example.com"]
    );

    // Owners and strangers cannot remove anyone.
    let owner = client();
    sign_up(&owner, &server, "owner@example.com").await;
    assert_eq!(remove(&owner, &server, &id).await.status(), 403);
    assert_eq!(remove(&client(), &server, &id).await.status(), 401);
    assert_eq!(remove(&first, &server, "not-an-id").await.status(), 404);

    // The page: a Remove button per admin, named with the email, and a confirmation step (a
    // plain GET form, so it works before hydration) before the form that removes.
    let page = first
        .get(server.url("/admin/admins"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("aria-label=\"Remove second-admin@example.com\""),
        "{page}"
    );
    assert!(!page.contains("Yes, remove"));
    let confirming = first
        .get(server.url(&format!("/admin/admins?remove={id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        confirming.contains("Yes, remove second-admin@example.com"),
        "{confirming}"
    );

    let removed = remove(&first, &server, &id).await;
    assert_eq!(removed.status(), 200);
    assert_eq!(
        json(removed).await,
        "second-admin@example.com is no longer an admin and has been signed out."
    );

    // Every session of theirs ended, and they cannot sign in again.
    for cookie_jar in [&second, &elsewhere] {
        assert_eq!(
            call(cookie_jar, &server, ListAdmins::PATH, &[])
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        sign_in(&client(), &server, "second-admin@example.com", PASSWORD)
            .await
            .status(),
        422
    );
    // Their open invite accepts nobody.
    let check = call(
        &client(),
        &server,
        CheckAdminInvite::PATH,
        &[("token", &their_invite)],
    )
    .await;
    assert_eq!(check.status(), 409);
    assert_eq!(admin_emails(&first, &server).await, vec![ADMIN_EMAIL]);

    let audit = json(
        call(
            &first,
            &server,
            ListAudit::PATH,
            &[("action", "remove admin")],
        )
        .await,
    )
    .await;
    let entries = audit.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["admin"], ADMIN_EMAIL);
    assert_eq!(
        entries[0]["detail"],
        "second-admin@example.com (1 open invite(s) withdrawn)"
    );
    server.stop().await;
}
on_both_databases!(removal_signs_out_withdraws_invites_and_is_audited);

async fn the_last_admin_stays(db: &TestDb) {
    let server = TestServer::start(db).await;
    let first = first_admin(&server).await;
    let own_id = user_id(&server, ADMIN_EMAIL).await;
    let refused = remove(&first, &server, &own_id).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(error_message(refused).await, LAST_ADMIN);
    // Nothing happened: still signed in, still an admin, nothing audited.
    assert_eq!(admin_emails(&first, &server).await, vec![ADMIN_EMAIL]);
    let audit = json(
        call(
            &first,
            &server,
            ListAudit::PATH,
            &[("action", "remove admin")],
        )
        .await,
    )
    .await;
    assert_eq!(audit.as_array().unwrap().len(), 0);

    // With another admin, one may remove themselves (and is signed out).
    let second = new_admin(&first, &server, "second@example.com").await;
    let left = remove(&first, &server, &own_id).await;
    assert_eq!(left.status(), 200);
    assert_eq!(
        call(&first, &server, ListAdmins::PATH, &[]).await.status(),
        401
    );
    assert_eq!(
        admin_emails(&second, &server).await,
        vec!["second@example.com"]
    );
    // The one left is the last one now.
    let own_id = user_id(&server, "second@example.com").await;
    assert_eq!(remove(&second, &server, &own_id).await.status(), 409);
    server.stop().await;
}
on_both_databases!(the_last_admin_stays);

async fn two_admins_removing_each_other_at_once_leave_one(db: &TestDb) {
    let server = TestServer::start(db).await;
    let mut survivor = first_admin(&server).await;
    let mut survivor_email = ADMIN_EMAIL.to_string();
    for round in 0..6 {
        let email = format!("round-{round}@example.com");
        let other = new_admin(&survivor, &server, &email).await;
        let survivor_id = user_id(&server, &survivor_email).await;
        let other_id = user_id(&server, &email).await;
        let (a, b) = tokio::join!(
            remove(&survivor, &server, &other_id),
            remove(&other, &server, &survivor_id)
        );
        let statuses = [a.status().as_u16(), b.status().as_u16()];
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "exactly one removal wins: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| [200, 401, 409].contains(s)),
            "{statuses:?}"
        );
        let left = app::db::users::list_admins(server.db()).await.unwrap();
        assert_eq!(left.len(), 1, "round {round}: {left:?}");
        if left[0].email == email {
            survivor = other;
            survivor_email = email;
        }
    }
    server.stop().await;
}
on_both_databases!(
    two_admins_removing_each_other_at_once_leave_one,
    multi_thread
);
