//! The client against a local scripted server: encoding, headers, idempotency, retries,
//! timeouts, typed errors and logs.

mod mock;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mock::{client, fixture, start, Reply, KEY};
use serde_json::json;
use stripe_client::api::accounts::{ControllerParams, CreateAccount};
use stripe_client::models::account::{DashboardType, FeePayer, LossesPayer, RequirementCollection};
use stripe_client::models::links::CollectionFields;
use stripe_client::models::v2::{
    AccountInclude, CollectionOptionsV2, Configuration, CreateAccountLinkV2,
};
use stripe_client::{ErrorKind, RequestOptions, StripeClient, StripeConfig};

fn api_error(status: u16, error_type: &str, code: &str) -> Reply {
    Reply::json(
        status,
        json!({"error": {"type": error_type, "code": code, "message": format!("{code} happened"), "param": "account", "doc_url": "https://stripe.com/docs/error-codes"}}),
    )
}

#[tokio::test]
async fn v1_post_is_form_encoded_with_stripe_headers_and_callers_idempotency_key() {
    let (base, mock) = start(vec![Reply::json(200, fixture("account"))]).await;
    let params = CreateAccount {
        country: Some("US".into()),
        email: Some("jane+1@example.com".into()),
        controller: Some(ControllerParams::new(
            FeePayer::Application,
            LossesPayer::Application,
            RequirementCollection::Application,
            DashboardType::None,
        )),
        ..Default::default()
    }
    .request_capabilities(["card_payments", "transfers"]);
    let opts = RequestOptions::new().idempotency_key("create-account-owner-42");
    let account = client(&base).create_account(&params, &opts).await.unwrap();
    assert_eq!(account.id, "acct_1PgafTB7WZ01zgkW");

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/accounts");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("stripe-version"), Some("2026-09-30.endive"));
    assert_eq!(
        request.header("idempotency-key"),
        Some("create-account-owner-42")
    );
    assert_eq!(request.header("stripe-account"), None);
    assert_eq!(
        request.body,
        "capabilities[card_payments][requested]=true&capabilities[transfers][requested]=true\
         &controller[fees][payer]=application&controller[losses][payments]=application\
         &controller[requirement_collection]=application&controller[stripe_dashboard][type]=none\
         &country=US&email=jane%2B1%40example.com"
    );
}

#[tokio::test]
async fn connected_account_calls_carry_stripe_account_and_gets_have_no_idempotency_key() {
    let (base, mock) = start(vec![Reply::json(200, fixture("balance"))]).await;
    let balance = client(&base)
        .retrieve_balance(&RequestOptions::for_account("acct_connected_9"))
        .await
        .unwrap();
    assert_eq!(balance.available_in("usd"), Some(0));
    let request = &mock.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/balance");
    assert_eq!(request.header("stripe-account"), Some("acct_connected_9"));
    assert_eq!(request.header("idempotency-key"), None);
    assert_eq!(request.header("stripe-context"), None);
}

#[tokio::test]
async fn expand_is_sent_with_empty_brackets() {
    let (base, mock) = start(vec![Reply::json(200, fixture("account"))]).await;
    client(&base)
        .retrieve_account(
            "acct_1",
            &["external_accounts", "settings.payouts"],
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let request = &mock.requests()[0];
    assert_eq!(request.path, "/v1/accounts/acct_1");
    assert_eq!(
        request.query_pairs(),
        vec![
            ("expand[]".to_owned(), "external_accounts".to_owned()),
            ("expand[]".to_owned(), "settings.payouts".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_429_is_retried_with_the_same_generated_idempotency_key() {
    let (base, mock) = start(vec![
        api_error(429, "invalid_request_error", "rate_limit"),
        Reply::json(200, fixture("login_link")),
    ])
    .await;
    let link = client(&base)
        .create_login_link("acct_1", &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(link.object, "login_link");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].header("idempotency-key").unwrap();
    let second = requests[1].header("idempotency-key").unwrap();
    assert_eq!(first, second);
    let parsed = uuid_v4(first);
    assert!(parsed, "generated key is a UUID v4: {first}");
}

fn uuid_v4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == vec![8, 4, 4, 4, 12]
        && parts[2].starts_with('4')
        && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn every_post_gets_its_own_key() {
    let (base, mock) = start(vec![
        Reply::json(200, fixture("login_link")),
        Reply::json(200, fixture("login_link")),
    ])
    .await;
    let client = client(&base);
    client
        .create_login_link("acct_1", &RequestOptions::new())
        .await
        .unwrap();
    client
        .create_login_link("acct_1", &RequestOptions::new())
        .await
        .unwrap();
    let requests = mock.requests();
    assert_ne!(
        requests[0].header("idempotency-key"),
        requests[1].header("idempotency-key")
    );
}

#[tokio::test]
async fn a_500_with_should_retry_false_is_not_retried() {
    let (base, mock) = start(vec![
        api_error(500, "api_error", "internal").header("Stripe-Should-Retry", "false"),
        Reply::json(200, fixture("payout")),
    ])
    .await;
    let error = client(&base)
        .retrieve_payout("po_1", &RequestOptions::for_account("acct_1"))
        .await
        .unwrap_err();
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.error_type(), Some("api_error"));
    assert_eq!(error.request_id(), Some("req_500"));
}

#[tokio::test]
async fn should_retry_true_retries_even_a_400() {
    let (base, mock) = start(vec![
        api_error(400, "invalid_request_error", "lock_timeout")
            .header("Stripe-Should-Retry", "true"),
        Reply::json(200, fixture("payout")),
    ])
    .await;
    let payout = client(&base)
        .retrieve_payout("po_1", &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(payout.amount, 1100);
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn server_errors_and_409_are_retried_until_max_retries() {
    let (base, mock) = start(vec![
        api_error(503, "api_error", "unavailable"),
        api_error(409, "idempotency_error", "lock"),
        api_error(502, "api_error", "bad_gateway"),
        Reply::json(200, fixture("payout")),
    ])
    .await;
    let error = client(&base)
        .retrieve_payout("po_1", &RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(mock.requests().len(), 3, "one try and two retries");
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.code(), Some("bad_gateway"));
}

#[tokio::test]
async fn max_retries_zero_means_one_attempt() {
    let (base, mock) = start(vec![api_error(503, "api_error", "unavailable")]).await;
    let client = StripeClient::new(
        StripeConfig::new(KEY)
            .with_api_base(&base)
            .with_max_retries(0),
    )
    .unwrap();
    client
        .retrieve_payout("po_1", &RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_4xx_is_a_typed_error_and_not_retried() {
    let (base, mock) = start(vec![api_error(
        404,
        "invalid_request_error",
        "resource_missing",
    )])
    .await;
    let error = client(&base)
        .retrieve_account("acct_missing", &[], &RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(mock.requests().len(), 1);
    assert!(error.is_not_found());
    assert_eq!(error.error_type(), Some("invalid_request_error"));
    assert_eq!(error.code(), Some("resource_missing"));
    assert_eq!(error.param(), Some("account"));
    assert_eq!(error.message(), Some("resource_missing happened"));
    assert_eq!(error.doc_url(), Some("https://stripe.com/docs/error-codes"));
    assert_eq!(error.request_id(), Some("req_404"));
    assert!(!error.to_string().contains(KEY));
}

#[tokio::test]
async fn a_success_with_an_unexpected_body_is_a_decode_error() {
    let (base, _mock) = start(vec![Reply::json(200, json!({"object": "payout"}))]).await;
    let error = client(&base)
        .retrieve_payout("po_1", &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Decode(_)), "{error:?}");
    assert_eq!(error.status(), Some(200));
}

#[tokio::test]
async fn network_errors_are_retried_with_the_same_key() {
    // A raw server: the first connection is closed without an answer, the second is served.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let keys: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = keys.clone();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut connection = 0;
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            connection += 1;
            let mut buffer = vec![0u8; 16 * 1024];
            let read = socket.read(&mut buffer).await.unwrap();
            let request = String::from_utf8_lossy(&buffer[..read]).to_lowercase();
            if let Some(line) = request.lines().find(|l| l.starts_with("idempotency-key:")) {
                seen.lock()
                    .unwrap()
                    .push(line["idempotency-key:".len()..].trim().to_owned());
            }
            if connection == 1 {
                drop(socket);
                continue;
            }
            let body = fixture("login_link").to_string();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(response.as_bytes()).await.unwrap();
        }
    });
    let link = client(&base)
        .create_login_link("acct_1", &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(link.object, "login_link");
    let keys = keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
}

#[tokio::test]
async fn a_refused_connection_is_a_network_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&base)
        .retrieve_balance(&RequestOptions::new())
        .await
        .unwrap_err();
    assert!(error.is_network(), "{error:?}");
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn slow_answers_time_out_and_are_retried() {
    let (base, mock) = start(vec![
        Reply::json(200, fixture("balance")).delayed(Duration::from_secs(3)),
        Reply::json(200, fixture("balance")).delayed(Duration::from_secs(3)),
    ])
    .await;
    let client = StripeClient::new(
        StripeConfig::new(KEY)
            .with_api_base(&base)
            .with_timeout(Duration::from_millis(200))
            .with_max_retries(1)
            .with_retry_delays(Duration::from_millis(1), Duration::from_millis(2)),
    )
    .unwrap();
    let error = client
        .retrieve_balance(&RequestOptions::new())
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn v2_calls_send_json_with_stripe_context_and_the_preview_version() {
    let link = json!({
        "object": "v2.core.account_link", "account": "acct_1", "created": "2026-01-01T00:00:00.000Z",
        "expires_at": "2026-01-01T00:05:00.000Z", "livemode": false, "url": "https://connect.stripe.com/setup/x",
        "use_case": {"type": "account_onboarding", "account_onboarding": {"configurations": ["merchant"], "refresh_url": "https://p/r", "return_url": "https://p/ret", "collection_options": {"fields": "eventually_due"}}}
    });
    let (base, mock) = start(vec![Reply::json(200, link)]).await;
    let request = CreateAccountLinkV2::onboarding(
        "acct_1",
        vec![Configuration::Merchant],
        "https://p/r",
        "https://p/ret",
        Some(CollectionOptionsV2 {
            fields: Some(CollectionFields::EventuallyDue),
            future_requirements: None,
        }),
    );
    let answer = client(&base)
        .create_account_link_v2(&request, &RequestOptions::for_account("acct_1"))
        .await
        .unwrap();
    assert_eq!(
        answer.use_case.account_onboarding.unwrap().configurations,
        vec![Configuration::Merchant]
    );
    let recorded = &mock.requests()[0];
    assert_eq!(recorded.path, "/v2/core/account_links");
    assert_eq!(recorded.header("content-type"), Some("application/json"));
    assert_eq!(
        recorded.header("stripe-version"),
        Some("2026-09-30.preview")
    );
    assert_eq!(recorded.header("stripe-context"), Some("acct_1"));
    assert_eq!(recorded.header("stripe-account"), None);
    assert!(recorded.header("idempotency-key").is_some());
    let body: serde_json::Value = serde_json::from_str(&recorded.body).unwrap();
    assert_eq!(body, serde_json::to_value(&request).unwrap());
}

#[tokio::test]
async fn v2_retrieve_repeats_include() {
    let account = json!({"id": "acct_1", "object": "v2.core.account", "applied_configurations": ["recipient"], "livemode": false});
    let (base, mock) = start(vec![Reply::json(200, account)]).await;
    let account = client(&base)
        .retrieve_account_v2(
            "acct_1",
            &[
                AccountInclude::Requirements,
                AccountInclude::ConfigurationRecipient,
            ],
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        account.applied_configurations,
        vec![Configuration::Recipient]
    );
    let recorded = &mock.requests()[0];
    assert_eq!(recorded.method, "GET");
    assert_eq!(recorded.path, "/v2/core/accounts/acct_1");
    assert_eq!(
        recorded.query.as_deref(),
        Some("include=requirements&include=configuration.recipient")
    );
}

#[tokio::test]
async fn v2_errors_are_typed() {
    let (base, _mock) = start(vec![Reply::json(
        400,
        json!({"error": {"type": "invalid_request_error", "code": "accounts_v2_access_blocked", "message": "no", "user_message": "Contact support"}}),
    )])
    .await;
    let error = client(&base)
        .retrieve_event_v2("evt_1", &RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("accounts_v2_access_blocked"));
    assert_eq!(
        error.api_error().unwrap().user_message.as_deref(),
        Some("Contact support")
    );
}

#[tokio::test]
async fn oauth_token_exchange_and_error() {
    let token = json!({"access_token": "sk_test_access123", "refresh_token": "rt_abc", "livemode": false,
        "scope": "express", "stripe_publishable_key": "pk_test_1", "stripe_user_id": "acct_oauth", "token_type": "bearer"});
    let (base, mock) = start(vec![
        Reply::json(200, token),
        Reply::json(400, json!({"error": "invalid_grant", "error_description": "Authorization code does not exist: ac_bad"})),
    ])
    .await;
    let client = client(&base);
    let token = client
        .oauth_token("ac_good", &["card_payments"])
        .await
        .unwrap()
        .value;
    assert_eq!(token.stripe_user_id, "acct_oauth");
    assert!(!format!("{token:?}").contains("access123"));
    let error = client.oauth_token("ac_bad", &[]).await.unwrap_err();
    let oauth = error.oauth_error().unwrap();
    assert_eq!(oauth.error, "invalid_grant");
    assert_eq!(error.status(), Some(400));

    let recorded = &mock.requests()[0];
    assert_eq!(recorded.path, "/oauth/token");
    assert_eq!(
        recorded.form_pairs(),
        vec![
            ("client_secret".to_owned(), KEY.to_owned()),
            ("code".to_owned(), "ac_good".to_owned()),
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            (
                "assert_capabilities[]".to_owned(),
                "card_payments".to_owned()
            ),
        ]
    );
}
