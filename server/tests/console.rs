//! The admin console through its server functions, on both databases: the accounts list's
//! filters, sorts and pages; actions on a real (emulated) account, each in the audit log; and
//! admin invites that work once.

#[macro_use]
mod common;

use app::admin_invites::{
    AcceptAdminInvite, CheckAdminInvite, CreateAdminInvite, ListAdminInvites, RevokeAdminInvite,
};
use app::console::{
    AdminCapability, AdminUpdatePayoutSchedule, GetConsoleOverview, ListAccounts, ListAudit,
    ListEvents, RetryEvent,
};
use app::db::connected_accounts::{self, AccountRecord, ApiVersion, FetchedAt};
use app::onboarding::{GetMyAccount, StartOnboarding};
use common::*;
use leptos::server_fn::ServerFn;
use serde_json::Value;

async fn admin(server: &TestServer) -> reqwest::Client {
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

/// Writes `record` to the cache as a fetch that started at `started_ms` (later fetches win).
async fn cache(server: &TestServer, record: &AccountRecord, started_ms: i64) {
    let at = FetchedAt {
        started_ms,
        finished: started_ms,
        stripe_time: started_ms,
        event_created: 0,
        reconnected: false,
    };
    connected_accounts::store_fetched(server.db(), record, ApiVersion::V1, true, at)
        .await
        .unwrap();
}

/// The audit log's entries for these filters, as the console reads them.
async fn audit(
    admin: &reqwest::Client,
    server: &TestServer,
    filters: &[(&str, &str)],
) -> Vec<Value> {
    json(call(admin, server, ListAudit::PATH, filters).await)
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn ids(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stripe_account_id"].as_str().unwrap().to_string())
        .collect()
}

/// Every page of a query, following `next`.
async fn all_pages(
    admin: &reqwest::Client,
    server: &TestServer,
    args: &[(&str, &str)],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut form: Vec<(&str, &str)> = args.to_vec();
        if let Some(a) = &after {
            form.push(("after", a));
        }
        let page = json(call(admin, server, ListAccounts::PATH, &form).await).await;
        out.extend(ids(&page));
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => return out,
        }
    }
}

async fn list_filters_sorts_and_pages(db: &TestDb) {
    let server = TestServer::start(db).await;
    // 60 accounts: names out of creation order, every third without a deadline, transfers
    // pending on every fourth.
    let mut expected_by_name = Vec::new();
    for i in 0..60_i64 {
        let id = format!("acct_console{i:04}");
        let name = format!("Shop {}", ((i * 37) % 60) + 100);
        let deadline = (i % 3 != 0).then_some(1_900_000_000 - i * 1000);
        let transfers = if i % 4 == 0 { "pending" } else { "active" };
        let record = AccountRecord {
            stripe_account_id: id.clone(),
            business_name: Some(name.clone()),
            requirements: "{}".into(),
            future_requirements: "{}".into(),
            capabilities: format!("{{\"card_payments\":\"active\",\"transfers\":\"{transfers}\"}}"),
            controller: "{}".into(),
            current_deadline: deadline,
            created: Some(1_700_000_000 + i),
            ..AccountRecord::default()
        };
        cache(&server, &record, 1).await;
        expected_by_name.push((name.to_lowercase(), id));
    }
    expected_by_name.sort();
    let admin = admin(&server).await;

    // Newest first (the default), across pages of 25.
    let newest = all_pages(&admin, &server, &[]).await;
    let expected: Vec<String> = (0..60)
        .rev()
        .map(|i| format!("acct_console{i:04}"))
        .collect();
    assert_eq!(newest, expected);

    // Name, A to Z, across pages.
    let by_name = all_pages(&admin, &server, &[("sort", "name")]).await;
    let expected: Vec<String> = expected_by_name.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(by_name, expected);

    // Deadline, soonest first, accounts without one last.
    let by_deadline = all_pages(&admin, &server, &[("sort", "deadline")]).await;
    assert_eq!(by_deadline.len(), 60);
    let with: Vec<i64> = (0..60).filter(|i| i % 3 != 0).collect();
    assert_eq!(
        by_deadline[0], "acct_console0059",
        "the soonest deadline first"
    );
    assert!(by_deadline[..with.len()].iter().all(|id| id
        .trim_start_matches("acct_console")
        .parse::<i64>()
        .unwrap()
        % 3
        != 0));

    // Capability status: transfers pending on every fourth account; with the name sort too.
    let pending = all_pages(
        &admin,
        &server,
        &[("cap", "transfers"), ("cap_status", "pending")],
    )
    .await;
    let mut expected: Vec<String> = (0..60)
        .filter(|i| i % 4 == 0)
        .rev()
        .map(|i| format!("acct_console{i:04}"))
        .collect();
    assert_eq!(pending, expected);
    let pending_by_name = all_pages(
        &admin,
        &server,
        &[
            ("cap", "transfers"),
            ("cap_status", "pending"),
            ("sort", "name"),
        ],
    )
    .await;
    expected.sort_by_key(|id| expected_by_name.iter().position(|(_, e)| e == id).unwrap());
    assert_eq!(pending_by_name, expected);
    // A status alone: any capability in it. Nothing is inactive.
    assert_eq!(
        all_pages(&admin, &server, &[("cap_status", "pending")])
            .await
            .len(),
        15
    );
    assert!(all_pages(&admin, &server, &[("cap_status", "inactive")])
        .await
        .is_empty());
    // The filter's choices, and nonsense ignored rather than failing.
    let page = json(call(&admin, &server, ListAccounts::PATH, &[]).await).await;
    assert_eq!(
        page["capabilities"],
        serde_json::json!(["card_payments", "transfers"])
    );
    let page = json(
        call(
            &admin,
            &server,
            ListAccounts::PATH,
            &[("cap", "x'; DROP"), ("sort", "nope"), ("after", "abc")],
        )
        .await,
    )
    .await;
    assert_eq!(ids(&page).len(), 25);

    // Search: part of the name in any case, through the index (three letters or more) and
    // without it (fewer); `%` and `_` are text, not wildcards.
    let shop_12: Vec<String> = expected_by_name
        .iter()
        .filter(|(name, _)| name.contains("shop 12"))
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(shop_12.len(), 10);
    assert_eq!(
        all_pages(&admin, &server, &[("q", "SHOP 12"), ("sort", "name")]).await,
        shop_12
    );
    assert_eq!(all_pages(&admin, &server, &[("q", "op")]).await.len(), 60);
    assert!(all_pages(&admin, &server, &[("q", "shop%12")])
        .await
        .is_empty());
    // A renamed account is found under its new name only, and by its email.
    let renamed = AccountRecord {
        stripe_account_id: "acct_console0001".into(),
        business_name: Some("Renamed Market".into()),
        email: Some("owner.one@market.example".into()),
        requirements: "{}".into(),
        future_requirements: "{}".into(),
        capabilities: "{\"card_payments\":\"active\",\"transfers\":\"active\"}".into(),
        controller: "{}".into(),
        created: Some(1_700_000_001),
        ..AccountRecord::default()
    };
    cache(&server, &renamed, 3).await;
    assert_eq!(
        all_pages(&admin, &server, &[("q", "renamed mar")]).await,
        ["acct_console0001"]
    );
    assert_eq!(
        all_pages(&admin, &server, &[("q", "one@market")]).await,
        ["acct_console0001"]
    );
    assert!(all_pages(&admin, &server, &[("q", "shop 137")])
        .await
        .is_empty());

    // A capability change rewrites the index.
    let mut record = AccountRecord {
        stripe_account_id: "acct_console0000".into(),
        requirements: "{}".into(),
        future_requirements: "{}".into(),
        capabilities: "{\"card_payments\":\"inactive\"}".into(),
        controller: "{}".into(),
        created: Some(1_700_000_000),
        ..AccountRecord::default()
    };
    record.business_name = Some("Shop 100".into());
    cache(&server, &record, 2).await;
    assert_eq!(
        all_pages(&admin, &server, &[("cap_status", "inactive")]).await,
        ["acct_console0000"]
    );
    assert!(!all_pages(
        &admin,
        &server,
        &[("cap", "transfers"), ("cap_status", "pending")]
    )
    .await
    .contains(&"acct_console0000".to_string()));
    server.stop().await;
}
on_both_databases!(list_filters_sorts_and_pages);

async fn admin_actions_reach_stripe_and_the_audit_log(db: &TestDb) {
    let server = TestServer::start(db).await;
    let owner = client();
    sign_up(&owner, &server, "actions-owner@example.com").await;
    assert_eq!(
        call(&owner, &server, StartOnboarding::PATH, &[])
            .await
            .status(),
        200
    );
    let mine = json(call(&owner, &server, GetMyAccount::PATH, &[]).await).await;
    let account = mine["account"]["stripe_account_id"]
        .as_str()
        .unwrap()
        .to_string();
    let admin = admin(&server).await;

    // A capability requested on Stripe shows in the cache and the filter; then removed.
    let requested = call(
        &admin,
        &server,
        AdminCapability::PATH,
        &[
            ("account", &account),
            ("capability", "us_bank_account_ach_payments"),
            ("requested", "true"),
        ],
    )
    .await;
    assert_eq!(
        requested.status(),
        200,
        "{}",
        requested.text().await.unwrap()
    );
    let stripe = server
        .state
        .stripe
        .retrieve_capability(
            &account,
            "us_bank_account_ach_payments",
            &stripe_client::RequestOptions::new(),
        )
        .await
        .unwrap();
    assert!(stripe.requested, "requested on Stripe");
    let found = all_pages(&admin, &server, &[("cap", "us_bank_account_ach_payments")]).await;
    assert_eq!(found, vec![account.clone()]);
    let removed = call(
        &admin,
        &server,
        AdminCapability::PATH,
        &[
            ("account", &account),
            ("capability", "us_bank_account_ach_payments"),
            ("requested", "false"),
        ],
    )
    .await;
    assert_eq!(removed.status(), 200);
    let stripe = server
        .state
        .stripe
        .retrieve_capability(
            &account,
            "us_bank_account_ach_payments",
            &stripe_client::RequestOptions::new(),
        )
        .await
        .unwrap();
    assert!(!stripe.requested, "removed on Stripe");
    // An unknown capability: Stripe's refusal, in words.
    let unknown = call(
        &admin,
        &server,
        AdminCapability::PATH,
        &[
            ("account", &account),
            ("capability", "teleport_payments"),
            ("requested", "true"),
        ],
    )
    .await;
    assert!(unknown.status().is_client_error(), "{}", unknown.status());

    // The payout schedule: refused next to its field, then saved on Stripe.
    let refused = call(
        &admin,
        &server,
        AdminUpdatePayoutSchedule::PATH,
        &[
            ("account", &account),
            ("interval", "monthly"),
            ("delay_days", ""),
            ("monthly_anchor", "32"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("monthly_anchor"));
    let saved = call(
        &admin,
        &server,
        AdminUpdatePayoutSchedule::PATH,
        &[
            ("account", &account),
            ("interval", "weekly"),
            ("delay_days", ""),
            ("weekly_anchor", "friday"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let row = connected_accounts::find_by_stripe_id(server.db(), &account)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.payout_interval.as_deref(), Some("weekly"));
    assert_eq!(row.payout_weekly_anchor.as_deref(), Some("friday"));

    // Each action is in the audit log; the filters narrow it.
    let all = audit(&admin, &server, &[("account", &account)]).await;
    let actions: Vec<&str> = all.iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["payout schedule", "remove capability", "request capability"]
    );
    let one = audit(&admin, &server, &[("action", "payout schedule")]).await;
    assert_eq!(one.len(), 1);
    let by_admin = audit(&admin, &server, &[("admin", "ADMIN@example")]).await;
    assert_eq!(by_admin.len(), 3);
    let nobody = audit(&admin, &server, &[("admin", "someone-else")]).await;
    assert!(nobody.is_empty());

    // A failed event (the workers gave up on it) goes back to them on "retry", once.
    let event: String = loop {
        let events =
            json(call(&admin, &server, ListEvents::PATH, &[("account", &account)]).await).await;
        if let Some(e) = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["status"] == "processed")
        {
            break e["id"].as_str().unwrap().to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    // As the workers leave an event after their last attempt.
    sqlx::query(
        "UPDATE stripe_events SET status = 'failed', attempts = 24, last_error = 'x' WHERE id = $1",
    )
    .bind(&event)
    .execute(server.db().pool())
    .await
    .unwrap();
    let retried = call(&admin, &server, RetryEvent::PATH, &[("id", &event)]).await;
    assert_eq!(retried.status(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let processed = json(
            call(
                &admin,
                &server,
                ListEvents::PATH,
                &[("status", "processed")],
            )
            .await,
        )
        .await;
        if processed
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == event.as_str())
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the retried event was processed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let again = call(&admin, &server, RetryEvent::PATH, &[("id", &event)]).await;
    assert_eq!(again.status(), 409, "only failed events are retried");
    server.stop().await;
}
on_both_databases!(admin_actions_reach_stripe_and_the_audit_log);

async fn an_admin_invite_works_once(db: &TestDb) {
    let server = TestServer::start(db).await;
    let admin = admin(&server).await;
    let url = json(call(&admin, &server, CreateAdminInvite::PATH, &[("note", "Sam")]).await)
        .await
        .as_str()
        .unwrap()
        .to_string();
    let token = url.rsplit('/').next().unwrap().to_string();
    assert_eq!(token.len(), 64, "{url}");
    // Only its hash is stored.
    let open = json(call(&admin, &server, ListAdminInvites::PATH, &[]).await).await;
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["note"], "Sam");
    assert_ne!(open[0]["id"], token.as_str());

    let newcomer = client();
    let check = json(
        call(
            &newcomer,
            &server,
            CheckAdminInvite::PATH,
            &[("token", &token)],
        )
        .await,
    )
    .await;
    assert_eq!(check, ADMIN_EMAIL);
    // A rejected form uses nothing up.
    let mismatch = call(
        &newcomer,
        &server,
        AcceptAdminInvite::PATH,
        &[
            ("token", &token),
            ("email", "sam@example.com"),
            ("password", PASSWORD),
            ("password_confirm", "different"),
        ],
    )
    .await;
    assert_eq!(mismatch.status(), 422);
    let taken = call(
        &newcomer,
        &server,
        AcceptAdminInvite::PATH,
        &[
            ("token", &token),
            ("email", ADMIN_EMAIL),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(taken.status(), 422, "an email with a login already");
    let accepted = call(
        &newcomer,
        &server,
        AcceptAdminInvite::PATH,
        &[
            ("token", &token),
            ("email", "sam@example.com"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text().await.unwrap());
    assert_eq!(
        call(&newcomer, &server, GetConsoleOverview::PATH, &[])
            .await
            .status(),
        200,
        "signed in as an admin"
    );

    // The same link again: refused, nobody created.
    let again = client();
    let reused = call(
        &again,
        &server,
        AcceptAdminInvite::PATH,
        &[
            ("token", &token),
            ("email", "mallory@example.com"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(reused.status(), 409);
    assert!(
        app::db::users::find_by_email(server.db(), "mallory@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        json(call(&admin, &server, ListAdminInvites::PATH, &[]).await)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    // A withdrawn invite cannot be used.
    let url = json(call(&admin, &server, CreateAdminInvite::PATH, &[("note", "")]).await).await;
    let token = url
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let open = json(call(&admin, &server, ListAdminInvites::PATH, &[]).await).await;
    let id = open[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        call(&admin, &server, RevokeAdminInvite::PATH, &[("id", &id)])
            .await
            .status(),
        200
    );
    assert_eq!(
        call(
            &again,
            &server,
            CheckAdminInvite::PATH,
            &[("token", &token)]
        )
        .await
        .status(),
        409
    );

    let entries = audit(&admin, &server, &[]).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "withdraw invite",
            "invite admin",
            "joined as admin",
            "invite admin"
        ]
    );
    server.stop().await;
}
on_both_databases!(an_admin_invite_works_once);
