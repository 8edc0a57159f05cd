//! Owner links, on both databases: a Stripe account linked to one login of the portal is never
//! taken over by another login, neither in SQL nor through Connect with Stripe (Express OAuth).

#[macro_use]
mod common;

use app::db::connected_accounts::{self, AccountRecord, ApiVersion, FetchedAt};
use app::db::users;
use app::onboarding::{FinishOauth, GetMyAccount, StartOauth};
use common::*;
use domain::platform::{OnboardingMode, PlatformConfig};
use leptos::server_fn::ServerFn;
use serde_json::Value;

const ALREADY_LINKED: &str =
    "This Stripe account is already linked to another login of this portal.";

async fn owner_id(server: &TestServer, email: &str) -> i64 {
    users::find_by_email(server.db(), email)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn cache(server: &TestServer, id: &str) {
    let record = AccountRecord {
        stripe_account_id: id.into(),
        requirements: "{}".into(),
        future_requirements: "{}".into(),
        capabilities: "{}".into(),
        controller: "{}".into(),
        ..Default::default()
    };
    let at = FetchedAt {
        started_ms: 1,
        finished: 1,
        event_created: 0,
        reconnected: false,
        stripe_time: 1,
    };
    connected_accounts::store_fetched(server.db(), &record, ApiVersion::V1, true, at)
        .await
        .unwrap();
}

async fn owner_of(server: &TestServer, id: &str) -> Option<i64> {
    connected_accounts::find_by_stripe_id(server.db(), id)
        .await
        .unwrap()
        .unwrap()
        .owner_user_id
}

async fn set_owner_never_takes_an_account_from_another_login(db: &TestDb) {
    let server = TestServer::start(db).await;
    sign_up(&client(), &server, "first@example.com").await;
    sign_up(&client(), &server, "second@example.com").await;
    let first = owner_id(&server, "first@example.com").await;
    let second = owner_id(&server, "second@example.com").await;
    let account = "acct_1OwnedByFirst";
    cache(&server, account).await;

    assert!(connected_accounts::set_owner(server.db(), account, first)
        .await
        .unwrap());
    assert!(
        connected_accounts::set_owner(server.db(), account, first)
            .await
            .unwrap(),
        "linking again to the same login is fine (a repeated callback)"
    );
    assert!(
        !connected_accounts::set_owner(server.db(), account, second)
            .await
            .unwrap(),
        "another login cannot take the account"
    );
    assert_eq!(owner_of(&server, account).await, Some(first));
    assert!(
        !connected_accounts::set_owner(server.db(), "acct_1NotCached", second)
            .await
            .unwrap()
    );
    server.stop().await;
}
on_both_databases!(set_owner_never_takes_an_account_from_another_login);

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden inputs of the emulator's consent form.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<input type=\"hidden\" name=\"").skip(1) {
        let name_end = part.find('"').unwrap();
        let rest = &part[name_end..];
        let v_start = rest.find("value=\"").unwrap() + 7;
        let v_end = v_start + rest[v_start..].find('"').unwrap();
        out.push((unescape(&part[..name_end]), unescape(&rest[v_start..v_end])));
    }
    out
}

fn query_value(url: &str, key: &str) -> String {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no {key} in {url}"))
}

/// A signed-in owner presses "Connect with Stripe", allows on the emulator's consent page
/// (a new account, or `existing`), and comes back to the portal's callback.
async fn connect_with_oauth(
    owner: &reqwest::Client,
    server: &TestServer,
    existing: Option<&str>,
) -> reqwest::Response {
    let started = call(owner, server, StartOauth::PATH, &[]).await;
    assert_eq!(started.status(), 200);
    let authorize = started.headers()["location"].to_str().unwrap().to_string();
    assert!(authorize.starts_with(&server.emulator), "{authorize}");
    let stripe = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let html = stripe
        .get(&authorize)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = hidden_inputs(&html);
    form.push(("decision".into(), "allow".into()));
    match existing {
        Some(id) => {
            form.push(("mode".into(), "existing".into()));
            form.push(("account".into(), id.into()));
        }
        None => {
            form.push(("mode".into(), "new".into()));
            form.push(("email".into(), "connected@example.com".into()));
            form.push(("country".into(), "US".into()));
            form.push(("business_type".into(), "individual".into()));
        }
    }
    let path = authorize.split('?').next().unwrap();
    let decided = stripe.post(path).form(&form).send().await.unwrap();
    assert_eq!(decided.status(), 303);
    let callback = decided.headers()["location"].to_str().unwrap().to_string();
    assert!(callback.contains("/account/oauth/callback?"), "{callback}");
    let code = query_value(&callback, "code");
    let state = query_value(&callback, "state");
    call(
        owner,
        server,
        FinishOauth::PATH,
        &[("code", &code), ("state", &state)],
    )
    .await
}

async fn error_message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body.as_object()
        .and_then(|o| o.values().next())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

async fn a_second_login_cannot_take_an_account_with_oauth(db: &TestDb) {
    let server = TestServer::start(db).await;
    let config = PlatformConfig {
        onboarding: OnboardingMode::ExpressOauth,
        oauth_client_id: "ca_offlineEmulatorPlatform".into(),
        ..PlatformConfig::default()
    };
    app::platform::save(&server.state, &config, 1)
        .await
        .unwrap();

    let first = client();
    sign_up(&first, &server, "first-oauth@example.com").await;
    let connected = connect_with_oauth(&first, &server, None).await;
    assert_eq!(connected.status(), 200);
    let first_id = owner_id(&server, "first-oauth@example.com").await;
    let account = connected_accounts::find_by_owner(server.db(), first_id)
        .await
        .unwrap()
        .expect("the first login's account is linked")
        .stripe_account_id;

    // Someone else with access to the same Stripe account connects it from their own login.
    let second = client();
    sign_up(&second, &server, "second-oauth@example.com").await;
    let refused = connect_with_oauth(&second, &server, Some(&account)).await;
    assert_eq!(refused.status(), 409);
    assert_eq!(error_message(refused).await, ALREADY_LINKED);

    assert_eq!(owner_of(&server, &account).await, Some(first_id));
    let theirs: Value = call(&second, &server, GetMyAccount::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["account"].is_null(), "{theirs}");
    let mine: Value = call(&first, &server, GetMyAccount::PATH, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["account"]["stripe_account_id"], account.as_str());
    server.stop().await;
}
on_both_databases!(
    a_second_login_cannot_take_an_account_with_oauth,
    multi_thread
);
