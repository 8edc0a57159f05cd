//! Accounts v2 (`v2.core.account`), v2 Account Links, v2 (thin) events and event destinations.
//! v2 timestamps are RFC 3339 strings and are kept as sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account::DashboardType;
use super::links::{AccountLinkType, CollectionFields, FutureRequirements};
use super::{null_default, HasId, Metadata};

string_enum! {
    /// `applied_configurations[]`, `configurations[]` of a v2 link.
    pub enum Configuration {
        Customer => "customer",
        Merchant => "merchant",
        Recipient => "recipient",
    }
}

string_enum! {
    /// Status of one v2 capability.
    pub enum CapabilityStatusV2 {
        Active => "active",
        Pending => "pending",
        Rejected => "rejected",
        Restricted => "restricted",
        Unsupported => "unsupported",
    }
}

string_enum! {
    /// `requirements.entries[].awaiting_action_from`.
    pub enum AwaitingActionFrom {
        User => "user",
        Stripe => "stripe",
    }
}

string_enum! {
    /// `minimum_deadline.status` and `impact.restricts_capabilities[].deadline.status`.
    pub enum DeadlineStatus {
        CurrentlyDue => "currently_due",
        EventuallyDue => "eventually_due",
        PastDue => "past_due",
    }
}

string_enum! {
    /// `defaults.responsibilities.fees_collector`.
    pub enum FeesCollector {
        Application => "application",
        ApplicationCustom => "application_custom",
        ApplicationExpress => "application_express",
        Stripe => "stripe",
    }
}

string_enum! {
    /// `defaults.responsibilities.losses_collector` / `requirements_collector`.
    pub enum Collector {
        Application => "application",
        Stripe => "stripe",
    }
}

string_enum! {
    /// `include` values of `GET /v2/core/accounts/{id}`.
    pub enum AccountInclude {
        ConfigurationCustomer => "configuration.customer",
        ConfigurationMerchant => "configuration.merchant",
        ConfigurationRecipient => "configuration.recipient",
        Defaults => "defaults",
        FutureRequirements => "future_requirements",
        Identity => "identity",
        Requirements => "requirements",
    }
}

/// A v2 account (`object: "v2.core.account"`). Parts not requested with `include` are absent.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccountV2 {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(default, deserialize_with = "null_default")]
    pub applied_configurations: Vec<Configuration>,
    #[serde(default)]
    pub closed: Option<bool>,
    #[serde(default)]
    pub configuration: Option<AccountConfigurationV2>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub dashboard: Option<DashboardType>,
    #[serde(default)]
    pub defaults: Option<AccountDefaultsV2>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub identity: Option<IdentityV2>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
    #[serde(default)]
    pub requirements: Option<RequirementsV2>,
    #[serde(default)]
    pub future_requirements: Option<RequirementsV2>,
}

impl HasId for AccountV2 {
    fn id(&self) -> &str {
        &self.id
    }
}

impl AccountV2 {
    /// Status of a capability, by configuration and name; nested capabilities use a dot
    /// (`stripe_balance.payouts`).
    pub fn capability_status(
        &self,
        configuration: &Configuration,
        capability: &str,
    ) -> Option<&CapabilityStatusV2> {
        let config = self.configuration.as_ref()?;
        let part = match configuration {
            Configuration::Customer => config.customer.as_ref(),
            Configuration::Merchant => config.merchant.as_ref(),
            Configuration::Recipient => config.recipient.as_ref(),
            Configuration::Other(_) => None,
        }?;
        let (head, tail) = match capability.split_once('.') {
            Some((head, tail)) => (head, Some(tail)),
            None => (capability, None),
        };
        match (part.capabilities.get(head)?, tail) {
            (CapabilityEntryV2::Leaf(leaf), None) => Some(&leaf.status),
            (CapabilityEntryV2::Group(group), Some(tail)) => group.get(tail).map(|c| &c.status),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AccountConfigurationV2 {
    #[serde(default)]
    pub customer: Option<ConfigurationPartV2>,
    #[serde(default)]
    pub merchant: Option<ConfigurationPartV2>,
    #[serde(default)]
    pub recipient: Option<ConfigurationPartV2>,
}

/// One configuration: whether it is applied and its capabilities; other settings are kept raw.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ConfigurationPartV2 {
    #[serde(default)]
    pub applied: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub capabilities: BTreeMap<String, CapabilityEntryV2>,
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// A capability, or a group of capabilities such as `stripe_balance.{payouts, stripe_transfers}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum CapabilityEntryV2 {
    Leaf(CapabilityV2),
    Group(BTreeMap<String, CapabilityV2>),
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CapabilityV2 {
    pub status: CapabilityStatusV2,
    #[serde(default, deserialize_with = "null_default")]
    pub status_details: Vec<CapabilityStatusDetail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CapabilityStatusDetail {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub resolution: String,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AccountDefaultsV2 {
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub locales: Vec<String>,
    #[serde(default)]
    pub responsibilities: Option<Responsibilities>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Responsibilities {
    #[serde(default)]
    pub fees_collector: Option<FeesCollector>,
    #[serde(default)]
    pub losses_collector: Option<Collector>,
    #[serde(default)]
    pub requirements_collector: Option<Collector>,
}

/// The parts of `identity` the portal shows.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct IdentityV2 {
    #[serde(default)]
    pub country: Option<String>,
    /// `company`, `government_entity`, `individual`, `non_profit`.
    #[serde(default)]
    pub entity_type: Option<String>,
    #[serde(default)]
    pub business_details: Option<BusinessDetailsV2>,
    #[serde(default)]
    pub individual: Option<IndividualV2>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct BusinessDetailsV2 {
    #[serde(default)]
    pub registered_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub structure: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct IndividualV2 {
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub surname: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// `requirements` (only returned with `include=requirements`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RequirementsV2 {
    #[serde(default, deserialize_with = "null_default")]
    pub entries: Vec<RequirementEntryV2>,
    #[serde(default)]
    pub summary: Option<RequirementsSummaryV2>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RequirementsSummaryV2 {
    #[serde(default)]
    pub minimum_deadline: Option<MinimumDeadline>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MinimumDeadline {
    pub status: DeadlineStatus,
    /// RFC 3339, when there is a date.
    #[serde(default)]
    pub time: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RequirementEntryV2 {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub awaiting_action_from: Option<AwaitingActionFrom>,
    #[serde(default, deserialize_with = "null_default")]
    pub errors: Vec<RequirementErrorV2>,
    #[serde(default)]
    pub impact: Option<RequirementImpact>,
    #[serde(default)]
    pub minimum_deadline: Option<MinimumDeadline>,
    #[serde(default)]
    pub reference: Option<RequirementReference>,
    #[serde(default, deserialize_with = "null_default")]
    pub requested_reasons: Vec<RequestedReason>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RequirementErrorV2 {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RequirementImpact {
    #[serde(default, deserialize_with = "null_default")]
    pub restricts_capabilities: Vec<RestrictedCapability>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RestrictedCapability {
    pub capability: String,
    #[serde(default)]
    pub configuration: Option<Configuration>,
    #[serde(default)]
    pub deadline: Option<CapabilityDeadline>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CapabilityDeadline {
    pub status: DeadlineStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RequirementReference {
    /// `inquiry`, `payment_method`, `person`.
    #[serde(rename = "type", default)]
    pub reference_type: String,
    #[serde(default)]
    pub inquiry: Option<String>,
    #[serde(default)]
    pub resource: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RequestedReason {
    /// `routine_onboarding`, `routine_verification`, `future_requirements`, …
    pub code: String,
}

/// `POST /v2/core/account_links` answer.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccountLinkV2 {
    #[serde(default)]
    pub object: String,
    pub account: String,
    pub created: String,
    pub expires_at: String,
    #[serde(default)]
    pub livemode: bool,
    pub url: String,
    pub use_case: AccountLinkUseCase,
}

/// `use_case` of a v2 Account Link, in requests and answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLinkUseCase {
    #[serde(rename = "type")]
    pub use_case_type: AccountLinkType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_onboarding: Option<AccountLinkUseCaseDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_update: Option<AccountLinkUseCaseDetails>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLinkUseCaseDetails {
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub configurations: Vec<Configuration>,
    pub refresh_url: String,
    pub return_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_options: Option<CollectionOptionsV2>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionOptionsV2 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<CollectionFields>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub future_requirements: Option<FutureRequirements>,
}

/// The body of `POST /v2/core/account_links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateAccountLinkV2 {
    pub account: String,
    pub use_case: AccountLinkUseCase,
}

impl CreateAccountLinkV2 {
    /// An onboarding link for the given configurations.
    pub fn onboarding(
        account: impl Into<String>,
        configurations: Vec<Configuration>,
        refresh_url: impl Into<String>,
        return_url: impl Into<String>,
        collection_options: Option<CollectionOptionsV2>,
    ) -> Self {
        Self::with_use_case(
            account,
            AccountLinkType::AccountOnboarding,
            AccountLinkUseCaseDetails {
                configurations,
                refresh_url: refresh_url.into(),
                return_url: return_url.into(),
                collection_options,
            },
        )
    }

    /// An update link (only where the platform collects requirements).
    pub fn update(
        account: impl Into<String>,
        configurations: Vec<Configuration>,
        refresh_url: impl Into<String>,
        return_url: impl Into<String>,
        collection_options: Option<CollectionOptionsV2>,
    ) -> Self {
        Self::with_use_case(
            account,
            AccountLinkType::AccountUpdate,
            AccountLinkUseCaseDetails {
                configurations,
                refresh_url: refresh_url.into(),
                return_url: return_url.into(),
                collection_options,
            },
        )
    }

    fn with_use_case(
        account: impl Into<String>,
        use_case_type: AccountLinkType,
        details: AccountLinkUseCaseDetails,
    ) -> Self {
        let (account_onboarding, account_update) = match use_case_type {
            AccountLinkType::AccountUpdate => (None, Some(details)),
            _ => (Some(details), None),
        };
        Self {
            account: account.into(),
            use_case: AccountLinkUseCase {
                use_case_type,
                account_onboarding,
                account_update,
            },
        }
    }
}

/// A v2 thin event as delivered to an event destination: ids only, fetch the rest.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ThinEvent {
    pub id: String,
    #[serde(default)]
    pub object: String,
    /// `v2.core.account[requirements].updated`, …
    #[serde(rename = "type")]
    pub event_type: String,
    pub created: String,
    /// The connected account the event is about, when it is about one.
    #[serde(default)]
    pub context: Option<String>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub related_object: Option<RelatedObject>,
    #[serde(default)]
    pub reason: Option<serde_json::Value>,
}

/// `GET /v2/core/events/{id}`: the thin event's fields plus `data` and `changes`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EventV2 {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub created: String,
    #[serde(default)]
    pub context: Option<String>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub related_object: Option<RelatedObject>,
    #[serde(default)]
    pub reason: Option<serde_json::Value>,
    #[serde(default)]
    pub data: Option<serde_json::Value>,
    #[serde(default)]
    pub changes: Option<serde_json::Value>,
    #[serde(default)]
    pub snapshot_event: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RelatedObject {
    pub id: String,
    /// `v2.core.account`, `v2.core.account_link`, …
    #[serde(rename = "type")]
    pub object_type: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// `POST /v2/core/event_destinations` answer.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EventDestination {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub enabled_events: Vec<String>,
    /// `snapshot` or `thin`.
    #[serde(default)]
    pub event_payload: String,
    #[serde(default, deserialize_with = "null_default")]
    pub events_from: Vec<String>,
    #[serde(default)]
    pub status: String,
    /// `webhook_endpoint`, `amazon_eventbridge`, `azure_event_grid`.
    #[serde(rename = "type", default)]
    pub destination_type: String,
    #[serde(default)]
    pub webhook_endpoint: Option<EventDestinationWebhook>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EventDestinationWebhook {
    pub url: String,
    /// Only in the answer to create.
    #[serde(default)]
    pub signing_secret: Option<crate::secret::SecretString>,
}

/// The body of `POST /v2/core/event_destinations` for a webhook endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateEventDestination {
    pub name: String,
    #[serde(rename = "type")]
    pub destination_type: String,
    pub event_payload: String,
    pub enabled_events: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events_from: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_endpoint: Option<WebhookEndpointTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_api_version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookEndpointTarget {
    pub url: String,
}

impl CreateEventDestination {
    /// A webhook destination receiving thin events from connected accounts (`@accounts`).
    pub fn thin_webhook(
        name: impl Into<String>,
        url: impl Into<String>,
        enabled_events: Vec<String>,
    ) -> Self {
        Self {
            name: name.into(),
            destination_type: "webhook_endpoint".to_owned(),
            event_payload: "thin".to_owned(),
            enabled_events,
            events_from: vec!["@accounts".to_owned()],
            description: None,
            webhook_endpoint: Some(WebhookEndpointTarget { url: url.into() }),
            snapshot_api_version: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_account() -> serde_json::Value {
        serde_json::json!({
            "id": "acct_v2_1",
            "object": "v2.core.account",
            "applied_configurations": ["merchant", "recipient", "brand_new"],
            "created": "2026-01-02T03:04:05.000Z",
            "dashboard": "none",
            "livemode": false,
            "defaults": {"currency": "usd", "responsibilities": {"fees_collector": "application", "losses_collector": "application", "requirements_collector": "application"}},
            "identity": {"country": "us", "entity_type": "company", "business_details": {"registered_name": "Acme Inc"}},
            "configuration": {
                "merchant": {"applied": true, "mcc": "5734", "capabilities": {
                    "card_payments": {"status": "active", "status_details": []},
                    "stripe_balance": {"payouts": {"status": "restricted", "status_details": [{"code": "requirements_past_due", "resolution": "provide_info"}]}}
                }},
                "recipient": {"applied": true, "capabilities": {"stripe_balance": {"stripe_transfers": {"status": "pending", "status_details": []}}}}
            },
            "requirements": {
                "entries": [{
                    "description": "identity.business_details.phone",
                    "awaiting_action_from": "user",
                    "errors": [{"code": "invalid_value_other", "description": "Bad phone"}],
                    "impact": {"restricts_capabilities": [{"capability": "card_payments", "configuration": "merchant", "deadline": {"status": "past_due"}}]},
                    "minimum_deadline": {"status": "past_due"},
                    "reference": null,
                    "requested_reasons": [{"code": "routine_onboarding"}]
                }],
                "summary": {"minimum_deadline": {"status": "past_due", "time": "2026-02-01T00:00:00.000Z"}}
            }
        })
    }

    #[test]
    fn parses_a_v2_account() {
        let account: AccountV2 = serde_json::from_value(sample_account()).unwrap();
        assert_eq!(
            account.applied_configurations,
            vec![
                Configuration::Merchant,
                Configuration::Recipient,
                Configuration::Other("brand_new".into())
            ]
        );
        assert_eq!(account.dashboard, Some(DashboardType::None));
        let responsibilities = account
            .defaults
            .as_ref()
            .unwrap()
            .responsibilities
            .as_ref()
            .unwrap();
        assert_eq!(
            responsibilities.fees_collector,
            Some(FeesCollector::Application)
        );
        assert_eq!(
            account.capability_status(&Configuration::Merchant, "card_payments"),
            Some(&CapabilityStatusV2::Active)
        );
        assert_eq!(
            account.capability_status(&Configuration::Merchant, "stripe_balance.payouts"),
            Some(&CapabilityStatusV2::Restricted)
        );
        assert_eq!(
            account.capability_status(&Configuration::Recipient, "stripe_balance.stripe_transfers"),
            Some(&CapabilityStatusV2::Pending)
        );
        assert_eq!(
            account.capability_status(&Configuration::Customer, "card_payments"),
            None
        );
        let requirements = account.requirements.as_ref().unwrap();
        let entry = &requirements.entries[0];
        assert_eq!(entry.awaiting_action_from, Some(AwaitingActionFrom::User));
        assert_eq!(
            entry.minimum_deadline.as_ref().unwrap().status,
            DeadlineStatus::PastDue
        );
        assert_eq!(
            entry.impact.as_ref().unwrap().restricts_capabilities[0].capability,
            "card_payments"
        );
        let summary = requirements
            .summary
            .as_ref()
            .unwrap()
            .minimum_deadline
            .as_ref()
            .unwrap();
        assert_eq!(summary.time.as_deref(), Some("2026-02-01T00:00:00.000Z"));
        assert_eq!(
            account
                .identity
                .as_ref()
                .unwrap()
                .business_details
                .as_ref()
                .unwrap()
                .registered_name
                .as_deref(),
            Some("Acme Inc")
        );
    }

    #[test]
    fn account_link_v2_request_matches_the_docs() {
        let request = CreateAccountLinkV2::onboarding(
            "acct_1",
            vec![Configuration::Merchant],
            "https://example.com/refresh",
            "https://example.com/return",
            Some(CollectionOptionsV2 {
                fields: Some(CollectionFields::EventuallyDue),
                future_requirements: None,
            }),
        );
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            serde_json::json!({
                "account": "acct_1",
                "use_case": {
                    "type": "account_onboarding",
                    "account_onboarding": {
                        "collection_options": {"fields": "eventually_due"},
                        "configurations": ["merchant"],
                        "return_url": "https://example.com/return",
                        "refresh_url": "https://example.com/refresh"
                    }
                }
            })
        );
    }

    #[test]
    fn parses_a_thin_event() {
        let event: ThinEvent = serde_json::from_value(serde_json::json!({
            "id": "evt_test_65R", "object": "v2.core.event",
            "type": "v2.core.account[requirements].updated",
            "created": "2026-01-02T03:04:05.000Z",
            "context": "acct_1",
            "livemode": false,
            "related_object": {"id": "acct_1", "type": "v2.core.account", "url": "/v2/core/accounts/acct_1"},
            "reason": {"type": "request", "request": {"id": "req_1", "idempotency_key": "k"}}
        }))
        .unwrap();
        assert_eq!(event.related_object.as_ref().unwrap().id, "acct_1");
        assert_eq!(event.context.as_deref(), Some("acct_1"));
    }
}
