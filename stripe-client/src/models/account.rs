//! Account (v1), its requirements, controller settings and payout schedule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::external_account::ExternalAccount;
use super::list::List;
use super::{null_default, HasId, Metadata};

string_enum! {
    /// `account.type`.
    pub enum AccountType {
        Standard => "standard",
        Express => "express",
        Custom => "custom",
        None => "none",
    }
}

string_enum! {
    pub enum BusinessType {
        Individual => "individual",
        Company => "company",
        NonProfit => "non_profit",
        GovernmentEntity => "government_entity",
    }
}

string_enum! {
    /// Status of one v1 capability.
    pub enum CapabilityStatus {
        Active => "active",
        Inactive => "inactive",
        Pending => "pending",
        Unrequested => "unrequested",
    }
}

string_enum! {
    /// `controller.fees.payer`.
    pub enum FeePayer {
        Account => "account",
        Application => "application",
        ApplicationCustom => "application_custom",
        ApplicationExpress => "application_express",
    }
}

string_enum! {
    /// `controller.losses.payments`: who is liable for negative balances.
    pub enum LossesPayer {
        Application => "application",
        Stripe => "stripe",
    }
}

string_enum! {
    /// `controller.requirement_collection`.
    pub enum RequirementCollection {
        Application => "application",
        Stripe => "stripe",
    }
}

string_enum! {
    /// `controller.stripe_dashboard.type` (and the v2 `dashboard`).
    pub enum DashboardType {
        Express => "express",
        Full => "full",
        None => "none",
    }
}

string_enum! {
    /// `controller.type`.
    pub enum ControllerType {
        Account => "account",
        Application => "application",
    }
}

string_enum! {
    /// `requirements.disabled_reason`.
    pub enum DisabledReason {
        ActionRequiredRequestedCapabilities => "action_required.requested_capabilities",
        Listed => "listed",
        /// `other` as sent by Stripe (unknown values go to `Other(String)`).
        OtherReason => "other",
        PlatformPaused => "platform_paused",
        RejectedFraud => "rejected.fraud",
        RejectedIncompleteVerification => "rejected.incomplete_verification",
        RejectedListed => "rejected.listed",
        RejectedOther => "rejected.other",
        RejectedPlatformFraud => "rejected.platform_fraud",
        RejectedPlatformOther => "rejected.platform_other",
        RejectedPlatformTermsOfService => "rejected.platform_terms_of_service",
        RejectedTermsOfService => "rejected.terms_of_service",
        RequirementsPastDue => "requirements.past_due",
        RequirementsPendingVerification => "requirements.pending_verification",
        UnderReview => "under_review",
    }
}

string_enum! {
    /// `settings.payouts.schedule.interval`.
    pub enum PayoutInterval {
        Manual => "manual",
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
    }
}

string_enum! {
    pub enum Weekday {
        Monday => "monday",
        Tuesday => "tuesday",
        Wednesday => "wednesday",
        Thursday => "thursday",
        Friday => "friday",
        Saturday => "saturday",
        Sunday => "sunday",
    }
}

/// A connected account (`object: "account"`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Account {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(rename = "type", default)]
    pub account_type: Option<AccountType>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub default_currency: Option<String>,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default)]
    pub business_type: Option<BusinessType>,
    #[serde(default)]
    pub business_profile: Option<BusinessProfile>,
    #[serde(default)]
    pub controller: Option<Controller>,
    /// Capability name → status (`card_payments`, `transfers`, …).
    #[serde(default, deserialize_with = "null_default")]
    pub capabilities: BTreeMap<String, CapabilityStatus>,
    #[serde(default, deserialize_with = "null_default")]
    pub charges_enabled: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub payouts_enabled: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub details_submitted: bool,
    #[serde(default)]
    pub requirements: Option<Requirements>,
    #[serde(default)]
    pub future_requirements: Option<Requirements>,
    #[serde(default)]
    pub settings: Option<AccountSettings>,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
    #[serde(default)]
    pub external_accounts: Option<List<ExternalAccount>>,
}

impl HasId for Account {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Account {
    /// The payout schedule, when Stripe sent the account's settings.
    pub fn payout_schedule(&self) -> Option<&PayoutSchedule> {
        self.settings.as_ref()?.payouts.as_ref()?.schedule.as_ref()
    }

    /// The Stripe dashboard this account can use (`controller.stripe_dashboard.type`).
    pub fn dashboard_type(&self) -> Option<&DashboardType> {
        Some(
            &self
                .controller
                .as_ref()?
                .stripe_dashboard
                .as_ref()?
                .dashboard_type,
        )
    }

    pub fn capability(&self, name: &str) -> Option<&CapabilityStatus> {
        self.capabilities.get(name)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct BusinessProfile {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub mcc: Option<String>,
    #[serde(default)]
    pub product_description: Option<String>,
    #[serde(default)]
    pub support_email: Option<String>,
    #[serde(default)]
    pub support_phone: Option<String>,
    #[serde(default)]
    pub support_url: Option<String>,
}

/// `account.controller`: who pays fees, who is liable for losses, who collects requirements and
/// which dashboard the account gets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Controller {
    #[serde(default)]
    pub fees: Option<ControllerFees>,
    #[serde(default)]
    pub losses: Option<ControllerLosses>,
    #[serde(default)]
    pub requirement_collection: Option<RequirementCollection>,
    #[serde(default)]
    pub stripe_dashboard: Option<ControllerDashboard>,
    #[serde(default)]
    pub is_controller: Option<bool>,
    #[serde(rename = "type", default)]
    pub controller_type: Option<ControllerType>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ControllerFees {
    pub payer: FeePayer,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ControllerLosses {
    pub payments: LossesPayer,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ControllerDashboard {
    #[serde(rename = "type")]
    pub dashboard_type: DashboardType,
}

/// `requirements` / `future_requirements` of an account or a capability.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Requirements {
    #[serde(default, deserialize_with = "null_default")]
    pub alternatives: Vec<RequirementAlternative>,
    /// Unix time by which `currently_due` must be collected.
    #[serde(default)]
    pub current_deadline: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub currently_due: Vec<String>,
    #[serde(default)]
    pub disabled_reason: Option<DisabledReason>,
    #[serde(default, deserialize_with = "null_default")]
    pub errors: Vec<RequirementError>,
    #[serde(default, deserialize_with = "null_default")]
    pub eventually_due: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub past_due: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub pending_verification: Vec<String>,
}

impl Requirements {
    /// Nothing is due, past due or pending.
    pub fn is_empty(&self) -> bool {
        self.currently_due.is_empty()
            && self.eventually_due.is_empty()
            && self.past_due.is_empty()
            && self.pending_verification.is_empty()
            && self.errors.is_empty()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RequirementAlternative {
    #[serde(default, deserialize_with = "null_default")]
    pub alternative_fields_due: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub original_fields_due: Vec<String>,
}

/// A requirement Stripe could not verify. `code` has over a hundred values and grows, so it is
/// kept as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RequirementError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub requirement: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AccountSettings {
    #[serde(default)]
    pub payouts: Option<PayoutSettings>,
    #[serde(default)]
    pub dashboard: Option<DashboardSettings>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PayoutSettings {
    #[serde(default)]
    pub debit_negative_balances: Option<bool>,
    #[serde(default)]
    pub schedule: Option<PayoutSchedule>,
    #[serde(default)]
    pub statement_descriptor: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct DashboardSettings {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
}

/// `settings.payouts.schedule` as Stripe returns it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PayoutSchedule {
    pub interval: PayoutInterval,
    #[serde(default)]
    pub delay_days: Option<u32>,
    #[serde(default)]
    pub weekly_anchor: Option<Weekday>,
    #[serde(default)]
    pub monthly_anchor: Option<u8>,
    #[serde(default, deserialize_with = "null_default")]
    pub weekly_payout_days: Vec<Weekday>,
    #[serde(default, deserialize_with = "null_default")]
    pub monthly_payout_days: Vec<u8>,
}

/// `delay_days` in a request: a number of days or Stripe's `minimum`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DelayDays {
    Days(u32),
    /// The shortest delay Stripe allows for the account.
    Minimum,
}

impl Serialize for DelayDays {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DelayDays::Days(days) => serializer.serialize_u32(*days),
            DelayDays::Minimum => serializer.serialize_str("minimum"),
        }
    }
}

/// `settings[payouts][schedule]` in a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayoutScheduleParams {
    pub interval: PayoutInterval,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_days: Option<DelayDays>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly_anchor: Option<Weekday>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_anchor: Option<u8>,
}

impl PayoutScheduleParams {
    pub fn manual() -> Self {
        Self::with_interval(PayoutInterval::Manual)
    }

    pub fn daily(delay_days: Option<DelayDays>) -> Self {
        Self {
            delay_days,
            ..Self::with_interval(PayoutInterval::Daily)
        }
    }

    pub fn weekly(anchor: Weekday) -> Self {
        Self {
            weekly_anchor: Some(anchor),
            ..Self::with_interval(PayoutInterval::Weekly)
        }
    }

    pub fn monthly(anchor: u8) -> Self {
        Self {
            monthly_anchor: Some(anchor),
            ..Self::with_interval(PayoutInterval::Monthly)
        }
    }

    fn with_interval(interval: PayoutInterval) -> Self {
        Self {
            interval,
            delay_days: None,
            weekly_anchor: None,
            monthly_anchor: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn parses_controller_properties_and_unknown_values() {
        let account: Account = serde_json::from_value(serde_json::json!({
            "id": "acct_1",
            "object": "account",
            "type": "none",
            "controller": {
                "fees": {"payer": "application"},
                "losses": {"payments": "application"},
                "requirement_collection": "application",
                "stripe_dashboard": {"type": "none"},
                "is_controller": true,
                "type": "application"
            },
            "capabilities": {"card_payments": "active", "transfers": "pending", "new_thing": "shiny"},
            "requirements": {
                "currently_due": ["external_account"],
                "past_due": null,
                "errors": [{"code": "invalid_url_format", "reason": "bad", "requirement": "business_profile.url"}],
                "disabled_reason": "requirements.brand_new_reason",
                "current_deadline": 1700000000
            },
            "settings": {"payouts": {"schedule": {"interval": "weekly", "delay_days": 7, "weekly_anchor": "friday"}}},
            "metadata": null,
            "some_future_field": {"x": 1}
        }))
        .unwrap();
        let controller = account.controller.as_ref().unwrap();
        assert_eq!(
            controller.fees.as_ref().unwrap().payer,
            FeePayer::Application
        );
        assert_eq!(
            controller.losses.as_ref().unwrap().payments,
            LossesPayer::Application
        );
        assert_eq!(
            controller.requirement_collection,
            Some(RequirementCollection::Application)
        );
        assert_eq!(account.dashboard_type(), Some(&DashboardType::None));
        assert_eq!(account.account_type, Some(AccountType::None));
        assert_eq!(
            account.capability("new_thing"),
            Some(&CapabilityStatus::Other("shiny".into()))
        );
        let requirements = account.requirements.as_ref().unwrap();
        assert!(requirements.past_due.is_empty());
        assert_eq!(requirements.errors[0].requirement, "business_profile.url");
        assert_eq!(
            requirements.disabled_reason,
            Some(DisabledReason::Other(
                "requirements.brand_new_reason".into()
            ))
        );
        let schedule = account.payout_schedule().unwrap();
        assert_eq!(schedule.interval, PayoutInterval::Weekly);
        assert_eq!(schedule.weekly_anchor, Some(Weekday::Friday));
    }

    #[test]
    fn schedule_params_encode_like_stripe_expects() {
        let params =
            Params::from_serialize(&PayoutScheduleParams::daily(Some(DelayDays::Minimum))).unwrap();
        assert_eq!(params.to_form(), "delay_days=minimum&interval=daily");
        let params = Params::from_serialize(&PayoutScheduleParams::monthly(31)).unwrap();
        assert_eq!(params.to_form(), "interval=monthly&monthly_anchor=31");
        let params =
            Params::from_serialize(&PayoutScheduleParams::daily(Some(DelayDays::Days(3)))).unwrap();
        assert_eq!(params.to_form(), "delay_days=3&interval=daily");
    }
}
