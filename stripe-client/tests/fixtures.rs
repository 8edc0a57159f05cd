//! Every object in Stripe's official fixtures (`shared/stripe-fixtures/fixtures3.json`, from
//! stripe-mock) that this client models parses, with its key fields.

use serde::de::DeserializeOwned;
use serde_json::Value;
use stripe_client::models::account::{
    Account, AccountType, CapabilityStatus, DisabledReason, PayoutInterval,
};
use stripe_client::models::account_session::AccountSession;
use stripe_client::models::balance::Balance;
use stripe_client::models::capability::Capability;
use stripe_client::models::event::Event;
use stripe_client::models::external_account::ExternalAccount;
use stripe_client::models::links::{AccountLink, LoginLink};
use stripe_client::models::payout::{Payout, PayoutMethod, PayoutStatus, PayoutType};
use stripe_client::models::webhook_endpoint::WebhookEndpoint;
use stripe_client::models::Deleted;

fn resources() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../stripe-spec/fixtures3.json");
    let text = std::fs::read_to_string(path).expect("stripe-spec/ in the repository");
    let mut fixtures: Value = serde_json::from_str(&text).unwrap();
    fixtures["resources"].take()
}

fn parse<T: DeserializeOwned>(resources: &Value, name: &str) -> T {
    let object = resources
        .get(name)
        .unwrap_or_else(|| panic!("fixture {name} missing"));
    serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

#[test]
fn account() {
    let account: Account = parse(&resources(), "account");
    assert_eq!(account.id, "acct_1PgafTB7WZ01zgkW");
    assert_eq!(account.object, "account");
    assert_eq!(account.account_type, Some(AccountType::Standard));
    assert_eq!(account.email.as_deref(), Some("site@stripe.com"));
    assert_eq!(account.country.as_deref(), Some("US"));
    assert_eq!(account.default_currency.as_deref(), Some("usd"));
    assert_eq!(
        account.capability("card_payments"),
        Some(&CapabilityStatus::Active)
    );
    assert!(!account.charges_enabled && !account.payouts_enabled && !account.details_submitted);
    let requirements = account.requirements.as_ref().unwrap();
    assert_eq!(requirements.currently_due.len(), 6);
    assert!(requirements
        .currently_due
        .contains(&"tos_acceptance.date".to_owned()));
    assert_eq!(
        requirements.disabled_reason,
        Some(DisabledReason::RequirementsPastDue)
    );
    assert!(account.future_requirements.as_ref().unwrap().is_empty());
    let schedule = account.payout_schedule().unwrap();
    assert_eq!(schedule.interval, PayoutInterval::Daily);
    assert_eq!(schedule.delay_days, Some(2));
    assert_eq!(
        account
            .controller
            .as_ref()
            .unwrap()
            .controller_type
            .as_ref()
            .unwrap()
            .as_str(),
        "account"
    );
    assert!(account.external_accounts.as_ref().unwrap().data.is_empty());
}

#[test]
fn links_and_session() {
    let resources = resources();
    let link: AccountLink = parse(&resources, "account_link");
    assert_eq!(link.object, "account_link");
    assert!(link.url.starts_with("https://"));
    assert_eq!(link.expires_at, 1234567890);
    let login: LoginLink = parse(&resources, "login_link");
    assert_eq!(login.object, "login_link");
    assert!(login.url.contains("/express/"));
    let session: AccountSession = parse(&resources, "account_session");
    assert_eq!(session.account, "acct_1Pgc7HKmsySxIypT");
    assert!(session
        .client_secret
        .expose_secret()
        .starts_with("accs_secret__"));
    assert!(
        !format!("{session:?}").contains("accs_secret__"),
        "client secret must not be in Debug"
    );
    assert!(!session.is_enabled("account_onboarding"));
    assert!(session.is_enabled("payout_details"));
    let payouts = &session.components["payouts"];
    assert_eq!(payouts.features["instant_payouts"], Value::Bool(true));
}

#[test]
fn balance() {
    let balance: Balance = parse(&resources(), "balance");
    assert_eq!(balance.object, "balance");
    assert_eq!(balance.available_in("usd"), Some(0));
    assert_eq!(balance.pending[0].source_types["card"], 0);
    assert_eq!(balance.available_in("eur"), None);
}

#[test]
fn payout() {
    let payout: Payout = parse(&resources(), "payout");
    assert_eq!(payout.id, "po_1Pgc79B7WZ01zgkWu1KToYf4");
    assert_eq!(payout.amount, 1100);
    assert_eq!(payout.status, PayoutStatus::InTransit);
    assert_eq!(payout.method, Some(PayoutMethod::Standard));
    assert_eq!(payout.payout_type, Some(PayoutType::BankAccount));
    assert_eq!(
        payout.destination.as_ref().unwrap().id(),
        "ba_1Pgc79B7WZ01zgkWoU5vBiXt"
    );
}

#[test]
fn capability() {
    let capability: Capability = parse(&resources(), "capability");
    assert_eq!(capability.id, "card_payments");
    assert_eq!(capability.account.id(), "acct_1PgafTB7WZ01zgkW");
    assert!(capability.requested);
    assert_eq!(capability.status, CapabilityStatus::Inactive);
    assert!(capability.requirements.unwrap().is_empty());
}

#[test]
fn event() {
    let event: Event = parse(&resources(), "event");
    assert_eq!(event.id, "evt_1Pgc76B7WZ01zgkWwyRHS12y");
    assert_eq!(event.event_type, "plan.created");
    assert_eq!(event.data_object_type(), Some("plan"));
    assert_eq!(
        event.data_object_id(),
        Some("price_1PgafmB7WZ01zgkW6dKueIc5")
    );
    assert!(event.as_account().is_none());
    assert!(event.account.is_none());
    assert!(event.request.as_ref().unwrap().id.is_none());
}

#[test]
fn event_wrapping_each_fixture_object_gives_typed_accessors() {
    let resources = resources();
    let wrap = |name: &str, event_type: &str| -> Event {
        serde_json::from_value(serde_json::json!({
            "id": "evt_1", "object": "event", "account": "acct_1", "created": 1,
            "livemode": false, "pending_webhooks": 1, "type": event_type,
            "data": {"object": resources[name].clone(), "previous_attributes": {"charges_enabled": true}}
        }))
        .unwrap()
    };
    let account = wrap("account", "account.updated")
        .as_account()
        .unwrap()
        .unwrap();
    assert_eq!(account.id, "acct_1PgafTB7WZ01zgkW");
    let event = wrap("account", "account.updated");
    assert_eq!(
        event.previous_attribute("charges_enabled"),
        Some(&Value::Bool(true))
    );
    assert_eq!(event.account.as_deref(), Some("acct_1"));
    let capability = wrap("capability", "capability.updated")
        .as_capability()
        .unwrap()
        .unwrap();
    assert_eq!(capability.id, "card_payments");
    let payout = wrap("payout", "payout.paid").as_payout().unwrap().unwrap();
    assert_eq!(payout.amount, 1100);
    let external = wrap("bank_account", "account.external_account.created")
        .as_external_account()
        .unwrap()
        .unwrap();
    assert!(matches!(external, ExternalAccount::BankAccount(_)));
    assert!(wrap("payout", "payout.paid").as_account().is_none());
}

#[test]
fn webhook_endpoint() {
    let endpoint: WebhookEndpoint = parse(&resources(), "webhook_endpoint");
    assert_eq!(endpoint.id, "we_1Pgc6yB7WZ01zgkWzAudq4eU");
    assert_eq!(
        endpoint.enabled_events,
        vec!["charge.failed", "charge.succeeded"]
    );
    assert_eq!(endpoint.status, "enabled");
    assert_eq!(endpoint.url, "https://example.com/my/webhook/endpoint");
    assert!(endpoint.secret.is_none());
}

#[test]
fn external_accounts() {
    let resources = resources();
    for name in ["bank_account", "external_account"] {
        match parse::<ExternalAccount>(&resources, name) {
            ExternalAccount::BankAccount(bank) => {
                assert_eq!(bank.id, "ba_1PgagAB7WZ01zgkWr3DySp2Q");
                assert_eq!(bank.last4.as_deref(), Some("6789"));
                assert_eq!(bank.bank_name.as_deref(), Some("STRIPE TEST BANK"));
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    match parse::<ExternalAccount>(&resources, "card") {
        ExternalAccount::Card(card) => {
            assert_eq!(card.last4.as_deref(), Some("4242"));
            assert_eq!(card.exp_year, Some(2030));
        }
        other => panic!("card: {other:?}"),
    }
}

#[test]
fn deleted_objects() {
    let resources = resources();
    for (name, id) in [
        ("deleted_account", "acct_1PgafTB7WZ01zgkW"),
        ("deleted_external_account", "ba_1PgagAB7WZ01zgkWr3DySp2Q"),
        ("deleted_webhook_endpoint", "we_1Pgc6yB7WZ01zgkWzAudq4eU"),
    ] {
        let deleted: Deleted = parse(&resources, name);
        assert!(deleted.deleted, "{name}");
        assert_eq!(deleted.id, id);
    }
}

#[test]
fn lists_of_fixture_objects() {
    let resources = resources();
    let list: stripe_client::List<Payout> = serde_json::from_value(serde_json::json!({
        "object": "list", "url": "/v1/payouts", "has_more": true,
        "data": [resources["payout"].clone(), resources["payout"].clone()]
    }))
    .unwrap();
    assert_eq!(list.data.len(), 2);
    assert!(list.has_more);
    assert_eq!(list.url, "/v1/payouts");
}
