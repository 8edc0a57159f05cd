//! Each typed method sends the right method, path and parameters, and parses the answer.

mod mock;

use mock::{client, fixture, start, Reply};
use serde_json::json;
use stripe_client::api::account_links::CreateAccountLink;
use stripe_client::api::accounts::{ExternalAccountSource, UpdateAccount};
use stripe_client::api::accounts_v2::{AccountV2Params, DefaultsParams, ResponsibilitiesParams};
use stripe_client::api::events::ListEvents;
use stripe_client::api::payouts::{CreatePayout, ListPayouts};
use stripe_client::api::webhook_endpoints::CreateWebhookEndpoint;
use stripe_client::api::ListParams;
use stripe_client::models::account::{DashboardType, PayoutScheduleParams, Weekday};
use stripe_client::models::account_session::{
    AccountFeatures, AccountSessionComponents, CreateAccountSession, NoFeatures, PaymentsFeatures,
};
use stripe_client::models::external_account::ExternalAccount;
use stripe_client::models::links::{CollectionFields, FutureRequirements};
use stripe_client::models::payout::{PayoutMethod, PayoutStatus};
use stripe_client::models::v2::{AccountInclude, Collector, CreateEventDestination, FeesCollector};
use stripe_client::{OAuthAuthorize, Params, RequestOptions};

fn list_of(name: &str, url: &str) -> serde_json::Value {
    json!({"object": "list", "url": url, "has_more": false, "data": [fixture(name)]})
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn v1_account_endpoints() {
    let (base, mock) = start(vec![
        Reply::json(200, fixture("account")),
        Reply::json(200, list_of("account", "/v1/accounts")),
        Reply::json(200, fixture("deleted_account")),
        Reply::json(200, fixture("account")),
        Reply::json(
            200,
            list_of("capability", "/v1/accounts/acct_1/capabilities"),
        ),
        Reply::json(200, fixture("capability")),
        Reply::json(200, fixture("capability")),
        Reply::json(200, fixture("bank_account")),
        Reply::json(
            200,
            list_of("card", "/v1/accounts/acct_1/external_accounts"),
        ),
    ])
    .await;
    let client = client(&base);
    let none = RequestOptions::new();

    let mut update = UpdateAccount::payout_schedule(PayoutScheduleParams::weekly(Weekday::Friday));
    update.metadata.insert("owner".into(), Some("42".into()));
    update.metadata.insert("old".into(), None);
    client
        .update_account("acct_1", &update, &none)
        .await
        .unwrap();
    let accounts = client
        .list_accounts(&ListParams::limit(3).after("acct_0"), &none)
        .await
        .unwrap();
    assert_eq!(accounts.data[0].id, "acct_1PgafTB7WZ01zgkW");
    let deleted = client.delete_account("acct_1", &none).await.unwrap();
    assert!(deleted.deleted);
    client
        .reject_account("acct_1", "fraud_other", &none)
        .await
        .unwrap();
    let capabilities = client.list_capabilities("acct_1", &none).await.unwrap();
    assert_eq!(capabilities.data[0].id, "card_payments");
    client
        .retrieve_capability("acct_1", "card_payments", &none)
        .await
        .unwrap();
    client
        .update_capability("acct_1", "transfers", true, &none)
        .await
        .unwrap();
    let bank = client
        .create_external_account(
            "acct_1",
            &ExternalAccountSource::BankAccount {
                country: "US".into(),
                currency: "usd".into(),
                account_number: "000123456789".into(),
                routing_number: Some("110000000".into()),
                account_holder_name: None,
                account_holder_type: Some("company".into()),
            },
            Some(true),
            &none,
        )
        .await
        .unwrap();
    assert!(matches!(bank, ExternalAccount::BankAccount(_)));
    let cards = client
        .list_external_accounts("acct_1", Some("card"), &ListParams::default(), &none)
        .await
        .unwrap();
    assert!(matches!(cards.data[0], ExternalAccount::Card(_)));

    let r = mock.requests();
    let summary: Vec<(String, String)> = r
        .iter()
        .map(|q| (q.method.clone(), q.path.clone()))
        .collect();
    assert_eq!(
        summary,
        pairs(&[
            ("POST", "/v1/accounts/acct_1"),
            ("GET", "/v1/accounts"),
            ("DELETE", "/v1/accounts/acct_1"),
            ("POST", "/v1/accounts/acct_1/reject"),
            ("GET", "/v1/accounts/acct_1/capabilities"),
            ("GET", "/v1/accounts/acct_1/capabilities/card_payments"),
            ("POST", "/v1/accounts/acct_1/capabilities/transfers"),
            ("POST", "/v1/accounts/acct_1/external_accounts"),
            ("GET", "/v1/accounts/acct_1/external_accounts"),
        ])
    );
    assert_eq!(
        r[0].form_pairs(),
        pairs(&[
            ("metadata[old]", ""),
            ("metadata[owner]", "42"),
            ("settings[payouts][schedule][interval]", "weekly"),
            ("settings[payouts][schedule][weekly_anchor]", "friday"),
        ])
    );
    assert_eq!(
        r[1].query_pairs(),
        pairs(&[("limit", "3"), ("starting_after", "acct_0")])
    );
    assert_eq!(
        r[2].header("idempotency-key"),
        None,
        "v1 DELETE has no idempotency key"
    );
    assert_eq!(r[3].form_pairs(), pairs(&[("reason", "fraud_other")]));
    assert_eq!(r[6].form_pairs(), pairs(&[("requested", "true")]));
    assert_eq!(
        r[7].form_pairs(),
        pairs(&[
            ("external_account[object]", "bank_account"),
            ("external_account[country]", "US"),
            ("external_account[currency]", "usd"),
            ("external_account[account_number]", "000123456789"),
            ("external_account[routing_number]", "110000000"),
            ("external_account[account_holder_type]", "company"),
            ("default_for_currency", "true"),
        ])
    );
    assert_eq!(r[8].query_pairs(), pairs(&[("object", "card")]));
}

#[tokio::test]
async fn ids_are_escaped_in_paths() {
    let (base, mock) = start(vec![Reply::json(200, fixture("account"))]).await;
    client(&base)
        .retrieve_account("acct_1/../../v1/balance", &[], &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].path,
        "/v1/accounts/acct_1%2F..%2F..%2Fv1%2Fbalance"
    );
    let error = client(&base)
        .retrieve_account("", &[], &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        stripe_client::ErrorKind::InvalidRequest(_)
    ));
}

#[tokio::test]
async fn links_sessions_payouts_events_and_webhook_endpoints() {
    let mut endpoint = fixture("webhook_endpoint");
    endpoint["secret"] = json!("whsec_created_secret");
    let (base, mock) = start(vec![
        Reply::json(200, fixture("account_link")),
        Reply::json(200, fixture("account_session")),
        Reply::json(200, list_of("payout", "/v1/payouts")),
        Reply::json(200, fixture("payout")),
        Reply::json(200, list_of("event", "/v1/events")),
        Reply::json(200, fixture("event")),
        Reply::json(200, endpoint),
        Reply::json(200, list_of("webhook_endpoint", "/v1/webhook_endpoints")),
        Reply::json(200, fixture("deleted_webhook_endpoint")),
    ])
    .await;
    let client = client(&base);
    let none = RequestOptions::new();
    let connected = RequestOptions::for_account("acct_9");

    let link = client
        .create_account_link(
            &CreateAccountLink::onboarding("acct_9", "https://p/refresh", "https://p/return")
                .collect(
                    CollectionFields::EventuallyDue,
                    Some(FutureRequirements::Include),
                ),
            &none,
        )
        .await
        .unwrap();
    assert_eq!(link.object, "account_link");
    let session = client
        .create_account_session(
            &CreateAccountSession::new(
                "acct_9",
                AccountSessionComponents::new()
                    .account_management(AccountFeatures {
                        disable_stripe_user_authentication: Some(true),
                        external_account_collection: Some(true),
                    })
                    .payments(PaymentsFeatures {
                        refund_management: Some(true),
                        ..Default::default()
                    })
                    .tax_settings(NoFeatures {}),
            ),
            &none,
        )
        .await
        .unwrap();
    assert_eq!(session.object, "account_session");
    let payouts = client
        .list_payouts(
            &ListPayouts {
                status: Some(PayoutStatus::Paid),
                ..Default::default()
            },
            &connected,
        )
        .await
        .unwrap();
    assert_eq!(payouts.data.len(), 1);
    let mut create = CreatePayout::new(500, "usd");
    create.method = Some(PayoutMethod::Instant);
    client.create_payout(&create, &connected).await.unwrap();
    client
        .list_events(
            &ListEvents {
                types: vec!["account.updated".into(), "payout.paid".into()],
                created_after: Some(1_700_000_000),
                ..Default::default()
            },
            &none,
        )
        .await
        .unwrap();
    let event = client.retrieve_event("evt_1", &none).await.unwrap();
    assert_eq!(event.event_type, "plan.created");
    let created = client
        .create_webhook_endpoint(
            &CreateWebhookEndpoint {
                url: "https://portal.example/webhooks/stripe".into(),
                enabled_events: vec!["account.updated".into(), "payout.*".into()],
                connect: Some(true),
                ..Default::default()
            },
            &none,
        )
        .await
        .unwrap();
    assert_eq!(
        created.secret.as_ref().unwrap().expose_secret(),
        "whsec_created_secret"
    );
    assert!(!format!("{created:?}").contains("created_secret"));
    client
        .list_webhook_endpoints(&ListParams::default(), &none)
        .await
        .unwrap();
    let deleted = client.delete_webhook_endpoint("we_1", &none).await.unwrap();
    assert!(deleted.deleted);

    let r = mock.requests();
    let summary: Vec<(String, String)> = r
        .iter()
        .map(|q| (q.method.clone(), q.path.clone()))
        .collect();
    assert_eq!(
        summary,
        pairs(&[
            ("POST", "/v1/account_links"),
            ("POST", "/v1/account_sessions"),
            ("GET", "/v1/payouts"),
            ("POST", "/v1/payouts"),
            ("GET", "/v1/events"),
            ("GET", "/v1/events/evt_1"),
            ("POST", "/v1/webhook_endpoints"),
            ("GET", "/v1/webhook_endpoints"),
            ("DELETE", "/v1/webhook_endpoints/we_1"),
        ])
    );
    assert_eq!(
        r[0].form_pairs(),
        pairs(&[
            ("account", "acct_9"),
            ("collection_options[fields]", "eventually_due"),
            ("collection_options[future_requirements]", "include"),
            ("refresh_url", "https://p/refresh"),
            ("return_url", "https://p/return"),
            ("type", "account_onboarding"),
        ])
    );
    assert_eq!(
        r[1].form_pairs(),
        pairs(&[
            ("account", "acct_9"),
            ("components[account_management][enabled]", "true"),
            (
                "components[account_management][features][disable_stripe_user_authentication]",
                "true"
            ),
            (
                "components[account_management][features][external_account_collection]",
                "true"
            ),
            ("components[payments][enabled]", "true"),
            ("components[payments][features][refund_management]", "true"),
            ("components[tax_settings][enabled]", "true"),
        ])
    );
    assert_eq!(r[2].query_pairs(), pairs(&[("status", "paid")]));
    assert_eq!(r[2].header("stripe-account"), Some("acct_9"));
    assert_eq!(
        r[3].form_pairs(),
        pairs(&[
            ("amount", "500"),
            ("currency", "usd"),
            ("method", "instant")
        ])
    );
    assert_eq!(r[3].header("stripe-account"), Some("acct_9"));
    assert_eq!(
        r[4].query_pairs(),
        pairs(&[
            ("types[]", "account.updated"),
            ("types[]", "payout.paid"),
            ("created[gt]", "1700000000")
        ])
    );
    assert_eq!(
        r[6].form_pairs(),
        pairs(&[
            ("connect", "true"),
            ("enabled_events[0]", "account.updated"),
            ("enabled_events[1]", "payout.*"),
            ("url", "https://portal.example/webhooks/stripe"),
        ])
    );
}

#[tokio::test]
async fn v2_accounts_events_and_event_destinations() {
    let account = json!({"id": "acct_v2", "object": "v2.core.account", "applied_configurations": ["merchant"], "dashboard": "express", "livemode": false});
    let event = json!({"id": "evt_v2", "object": "v2.core.event", "type": "v2.core.account[requirements].updated",
        "created": "2026-01-01T00:00:00.000Z", "context": "acct_v2", "livemode": false,
        "related_object": {"id": "acct_v2", "type": "v2.core.account", "url": "/v2/core/accounts/acct_v2"}, "data": {}});
    let destination = json!({"id": "ed_1", "object": "v2.core.event_destination", "name": "portal", "description": "",
        "enabled_events": ["v2.core.account[requirements].updated"], "event_payload": "thin", "events_from": ["@accounts"],
        "status": "enabled", "type": "webhook_endpoint", "livemode": false, "created": "2026-01-01T00:00:00.000Z", "updated": "2026-01-01T00:00:00.000Z",
        "webhook_endpoint": {"url": "https://portal.example/webhooks/stripe/thin", "signing_secret": "whsec_thin"}});
    let (base, mock) = start(vec![
        Reply::json(200, account.clone()),
        Reply::json(200, account),
        Reply::json(200, event),
        Reply::json(200, destination),
    ])
    .await;
    let client = client(&base);
    let params = AccountV2Params {
        contact_email: Some("jane@example.com".into()),
        dashboard: Some(DashboardType::Express),
        defaults: Some(DefaultsParams {
            currency: Some("usd".into()),
            locales: vec![],
            responsibilities: Some(ResponsibilitiesParams {
                fees_collector: FeesCollector::Application,
                losses_collector: Collector::Application,
            }),
        }),
        configuration: Some(
            json!({"merchant": {"capabilities": {"card_payments": {"requested": true}}}}),
        ),
        include: vec![AccountInclude::Requirements],
        ..Default::default()
    };
    let created = client
        .create_account_v2(
            &params,
            &RequestOptions::new().idempotency_key("v2-owner-7"),
        )
        .await
        .unwrap();
    assert_eq!(created.dashboard, Some(DashboardType::Express));
    client
        .update_account_v2(
            "acct_v2",
            &AccountV2Params {
                display_name: Some("Jane's shop".into()),
                ..Default::default()
            },
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let event = client
        .retrieve_event_v2("evt_v2", &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(event.related_object.unwrap().id, "acct_v2");
    let destination = client
        .create_event_destination(
            &CreateEventDestination::thin_webhook(
                "portal",
                "https://portal.example/webhooks/stripe/thin",
                vec!["v2.core.account[requirements].updated".into()],
            ),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(destination.event_payload, "thin");

    let r = mock.requests();
    assert_eq!(r[0].path, "/v2/core/accounts");
    assert_eq!(r[0].header("idempotency-key"), Some("v2-owner-7"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r[0].body).unwrap(),
        json!({"contact_email": "jane@example.com", "dashboard": "express",
               "defaults": {"currency": "usd", "responsibilities": {"fees_collector": "application", "losses_collector": "application"}},
               "configuration": {"merchant": {"capabilities": {"card_payments": {"requested": true}}}},
               "include": ["requirements"]})
    );
    assert_eq!(
        (r[1].method.as_str(), r[1].path.as_str()),
        ("POST", "/v2/core/accounts/acct_v2")
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r[1].body).unwrap(),
        json!({"display_name": "Jane's shop"})
    );
    assert_eq!(
        (r[2].method.as_str(), r[2].path.as_str()),
        ("GET", "/v2/core/events/evt_v2")
    );
    assert_eq!(r[2].header("stripe-version"), Some("2026-09-30.preview"));
    assert_eq!(r[3].path, "/v2/core/event_destinations");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r[3].body).unwrap(),
        json!({"name": "portal", "type": "webhook_endpoint", "event_payload": "thin",
               "enabled_events": ["v2.core.account[requirements].updated"], "events_from": ["@accounts"],
               "webhook_endpoint": {"url": "https://portal.example/webhooks/stripe/thin"}})
    );
}

#[tokio::test]
async fn oauth_urls_and_deauthorize_use_the_connect_base() {
    let (base, mock) = start(vec![Reply::json(
        200,
        json!({"stripe_user_id": "acct_gone"}),
    )])
    .await;
    let client = client(&base);
    let url = client.oauth_authorize_url(
        &OAuthAuthorize::express("ca_1", "st").suggested_capability("transfers"),
    );
    assert_eq!(url, format!("{base}/express/oauth/authorize?client_id=ca_1&state=st&suggested_capabilities[]=transfers"));
    let answer = client.oauth_deauthorize("ca_1", "acct_gone").await.unwrap();
    assert_eq!(answer.value.stripe_user_id, "acct_gone");
    let r = mock.requests();
    assert_eq!(r[0].path, "/oauth/deauthorize");
    assert_eq!(
        r[0].form_pairs(),
        pairs(&[("client_id", "ca_1"), ("stripe_user_id", "acct_gone")])
    );
}

#[tokio::test]
async fn escape_hatches_reach_any_endpoint() {
    let (base, mock) = start(vec![
        Reply::json(200, json!({"id": "tr_1", "object": "transfer"})),
        Reply::json(200, json!({"data": [], "next_page_url": null})),
    ])
    .await;
    let client = client(&base);
    let transfer: serde_json::Value = client
        .post_form(
            "/v1/transfers",
            &Params::new()
                .set("amount", 100)
                .set("currency", "usd")
                .set("destination", "acct_1"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(transfer["id"], "tr_1");
    let _: serde_json::Value = client
        .get_v2(
            "/v2/core/accounts",
            &[("limit", "5")],
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let r = mock.requests();
    assert_eq!(r[0].body, "amount=100&currency=usd&destination=acct_1");
    assert_eq!(r[1].query.as_deref(), Some("limit=5"));
}
