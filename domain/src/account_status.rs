//! One status per connected account ("which accounts need attention, why, and by when"), the
//! reason in plain words, and the one action that resolves it. Shared by the owner's requirements
//! view, the admin overview chart and the accounts filter (the slug is stored and put in URLs).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::calendar::{Date, SECONDS_PER_DAY};
use crate::requirements::{AccountRequirements, AwaitingActionFrom, DueStatus, RequirementSet};

/// The status shown for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    ActionRequired,
    RestrictedSoon,
    Restricted,
    PendingVerification,
    Rejected,
    OnboardingNotFinished,
}

impl AccountStatus {
    /// In the order the admin overview lists them.
    pub const ALL: [AccountStatus; 7] = [
        AccountStatus::Active,
        AccountStatus::ActionRequired,
        AccountStatus::RestrictedSoon,
        AccountStatus::Restricted,
        AccountStatus::PendingVerification,
        AccountStatus::Rejected,
        AccountStatus::OnboardingNotFinished,
    ];

    /// Stable identifier for URL filters and database columns; never change one once shipped.
    pub fn slug(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::ActionRequired => "action_required",
            AccountStatus::RestrictedSoon => "restricted_soon",
            AccountStatus::Restricted => "restricted",
            AccountStatus::PendingVerification => "pending_verification",
            AccountStatus::Rejected => "rejected",
            AccountStatus::OnboardingNotFinished => "onboarding_not_finished",
        }
    }

    /// Reads a slug from a URL or a column; `None` for anything else, so a bad filter is ignored
    /// rather than matching nothing.
    pub fn parse(slug: &str) -> Option<AccountStatus> {
        AccountStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Active => "Active",
            AccountStatus::ActionRequired => "Action required",
            AccountStatus::RestrictedSoon => "Restricted soon",
            AccountStatus::Restricted => "Restricted",
            AccountStatus::PendingVerification => "Pending verification",
            AccountStatus::Rejected => "Rejected",
            AccountStatus::OnboardingNotFinished => "Onboarding not finished",
        }
    }

    /// Whether platform staff should look at the account (drives "needs attention" lists).
    pub fn needs_attention(self) -> bool {
        !matches!(
            self,
            AccountStatus::Active | AccountStatus::PendingVerification
        )
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Error of [`AccountStatus::from_str`]: the text was not a status slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" is not an account status", self.0)
    }
}

impl std::error::Error for UnknownStatus {}

impl FromStr for AccountStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountStatus::parse(s).ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// The one thing that moves the account forward, shown as the view's single button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextAction {
    /// Onboarding (hosted or embedded) was never finished.
    ContinueOnboarding,
    /// Provide or correct information (an `account_update` link or the management component).
    UpdateInformation,
    /// Stripe is checking; nothing to do but wait.
    WaitForStripe,
    /// Nothing the account holder can do (active, rejected, or the platform must act).
    None,
}

impl NextAction {
    /// Button or hint text; empty for [`NextAction::None`] so views can skip it.
    pub fn label(self) -> &'static str {
        match self {
            NextAction::ContinueOnboarding => "Continue onboarding",
            NextAction::UpdateInformation => "Update information",
            NextAction::WaitForStripe => "Stripe is checking the information. No action needed.",
            NextAction::None => "",
        }
    }
}

/// What status derivation needs to know about an account (all in the portal's cache).
#[derive(Debug, Clone, Copy)]
pub struct AccountFacts<'a> {
    /// v1 `details_submitted`; for v2, that the account holder finished onboarding.
    pub details_submitted: bool,
    /// v1 `charges_enabled`; for v2, the merchant `card_payments` capability is active.
    pub charges_enabled: bool,
    /// v1 `payouts_enabled`; for v2, `stripe_balance.payouts` is active.
    pub payouts_enabled: bool,
    pub requirements: &'a AccountRequirements,
}

/// The derived status with everything the view shows beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusAssessment {
    pub status: AccountStatus,
    /// Why, in plain words (from `disabled_reason` when Stripe gave one).
    pub reason: Option<String>,
    /// Unix seconds of the deadline that matters for this status, if any.
    pub deadline: Option<i64>,
    pub next_action: NextAction,
}

/// Derives the account's status at `now` (Unix seconds).
///
/// Precedence, most decisive first, following what Stripe documents for each field:
/// 1. **Rejected** — `disabled_reason` is `rejected.*`. Stripe does not re-enable a rejected
///    account, so nothing else matters.
/// 2. **Onboarding not finished** — `details_submitted` is false and neither charges nor payouts
///    are enabled. Stripe marks a new account's initial fields past due at once (`disabled_reason
///    = requirements.past_due`, as in Stripe's own account fixture), so "restricted" would be
///    misleading: the owner simply has not finished the form.
/// 3. **Restricted** — something is past due, `disabled_reason` is set (other than
///    `requirements.pending_verification`), or `current_deadline` has passed with fields still
///    currently due (Stripe moves them to `past_due` and disables the account at the deadline; a
///    cached copy may not show that yet).
/// 4. **Pending verification** — disabled with `requirements.pending_verification`: Stripe is
///    checking what was sent.
/// 5. **Restricted soon** — fields currently due with a deadline still ahead, in `requirements`
///    or in `future_requirements` (which become the requirements at their own deadline).
/// 6. **Action required** — fields currently due (or rejected by verification) with no deadline:
///    Stripe will ask for them at its next threshold.
/// 7. **Pending verification** — nothing due, but nothing enabled yet, or fields under review
///    while payments or payouts are still off.
/// 8. **Active** — otherwise; `eventually_due` alone does not need action yet.
pub fn assess(facts: &AccountFacts<'_>, now: i64) -> StatusAssessment {
    let current = &facts.requirements.current;
    let future = &facts.requirements.future;
    let disabled_reason = current.disabled_reason.as_deref().filter(|r| !r.is_empty());
    let nothing_enabled = !facts.charges_enabled && !facts.payouts_enabled;
    let update = if facts.details_submitted {
        NextAction::UpdateInformation
    } else {
        NextAction::ContinueOnboarding
    };
    let reason_text = disabled_reason.map(disabled_reason_text);
    let assessment = |status, reason: Option<String>, deadline, next_action| StatusAssessment {
        status,
        reason,
        deadline,
        next_action,
    };

    if let Some(reason) = disabled_reason.filter(|r| r.starts_with("rejected.")) {
        return assessment(
            AccountStatus::Rejected,
            Some(disabled_reason_text(reason)),
            None,
            NextAction::None,
        );
    }

    if !facts.details_submitted && nothing_enabled {
        return assessment(
            AccountStatus::OnboardingNotFinished,
            Some("Onboarding has not been finished yet.".into()),
            current.deadline,
            NextAction::ContinueOnboarding,
        );
    }

    let deadline_passed = current.deadline.is_some_and(|d| d <= now);
    let past_due = !current.past_due.is_empty()
        || current.minimum_deadline_status == Some(DueStatus::PastDue)
        || (deadline_passed && !current.currently_due.is_empty());
    let disabled = disabled_reason.is_some_and(|r| r != "requirements.pending_verification");
    if past_due || disabled {
        let next_action = if past_due && user_can_act(current) {
            update
        } else if past_due {
            NextAction::WaitForStripe
        } else {
            disabled_reason
                .map(|r| next_action_for_reason(r, current, update))
                .unwrap_or(update)
        };
        let reason = reason_text.or_else(|| {
            Some("Required information is past due, so Stripe has restricted the account.".into())
        });
        return assessment(
            AccountStatus::Restricted,
            reason,
            current.deadline,
            next_action,
        );
    }

    if disabled_reason == Some("requirements.pending_verification") {
        let next_action = if current.needs_action_now() {
            update
        } else {
            NextAction::WaitForStripe
        };
        return assessment(
            AccountStatus::PendingVerification,
            reason_text,
            current.deadline,
            next_action,
        );
    }

    let due_ahead =
        |set: &RequirementSet| set.needs_action_now() && set.deadline.is_some_and(|d| d > now);
    if due_ahead(current) {
        return assessment(
            AccountStatus::RestrictedSoon,
            Some("Some information is due. The account will be restricted if it is not provided by the deadline.".into()),
            current.deadline,
            update,
        );
    }
    if due_ahead(future) {
        return assessment(
            AccountStatus::RestrictedSoon,
            Some(
                "Stripe needs more information by the deadline to keep the account enabled.".into(),
            ),
            future.deadline,
            update,
        );
    }

    if current.needs_action_now() || !current.errors.is_empty() {
        return assessment(
            AccountStatus::ActionRequired,
            Some("Stripe needs more information about the account.".into()),
            current.deadline,
            update,
        );
    }

    let fully_enabled = facts.charges_enabled && facts.payouts_enabled;
    if nothing_enabled || (!fully_enabled && !current.pending_verification.is_empty()) {
        return assessment(
            AccountStatus::PendingVerification,
            Some("Stripe is checking the information provided.".into()),
            None,
            NextAction::WaitForStripe,
        );
    }

    assessment(AccountStatus::Active, None, None, NextAction::None)
}

/// Whether anything past due or due now waits for the account holder rather than Stripe.
fn user_can_act(set: &RequirementSet) -> bool {
    set.past_due
        .iter()
        .chain(&set.currently_due)
        .any(|r| r.awaiting_action_from == AwaitingActionFrom::User)
}

fn next_action_for_reason(reason: &str, set: &RequirementSet, update: NextAction) -> NextAction {
    match reason {
        "requirements.past_due" | "requirements.fields_needed" | "pending.onboarding" => update,
        "requirements.pending_verification" | "under_review" | "listed" | "pending.review" => {
            if set.needs_action_now() {
                update
            } else {
                NextAction::WaitForStripe
            }
        }
        // The platform (not the account holder) requests capabilities, un-pauses accounts, or
        // has to contact Stripe.
        _ => NextAction::None,
    }
}

/// `disabled_reason` (account or capability) in plain words. Unknown values get a sentence that
/// still tells the reader what to do.
pub fn disabled_reason_text(reason: &str) -> String {
    let text = match reason {
        "requirements.past_due" => "Required information is past due, so Stripe has restricted payments or payouts until it is provided.",
        "requirements.pending_verification" => "Stripe is verifying the information provided. Payments or payouts resume once it is verified.",
        "requirements.fields_needed" => "Stripe needs more information before this can be used.",
        "under_review" => "Stripe is reviewing the account.",
        "pending.review" => "Stripe is reviewing the information provided.",
        "pending.onboarding" => "Onboarding has not been finished yet.",
        "platform_paused" => "The platform has paused this account.",
        "platform_disabled" => "The platform has turned this off for the account.",
        "paused.inactivity" => "Paused because the account has not been used for a long time.",
        "listed" => "The business or a person on the account may be on a restricted list. Stripe is reviewing it.",
        "action_required.requested_capabilities" => "No payment capabilities have been requested for this account yet. The platform needs to request them.",
        "other" => "Stripe restricted the account for a reason it did not list. Contact the platform's support.",
        "rejected.fraud" => "Stripe rejected the account because of suspected fraud.",
        "rejected.terms_of_service" => "Stripe rejected the account because the business breaks Stripe's terms of service.",
        "rejected.listed" => "Stripe rejected the account because the business or a person is on a sanctions or restricted list.",
        "rejected.incomplete_verification" => "Stripe rejected the account because verification was not completed in time.",
        "rejected.inactivity" => "The account was closed because it was not used for a long time.",
        "rejected.unsupported_business" => "Stripe does not support this type of business.",
        "rejected.other" => "Stripe rejected the account.",
        "rejected.platform_fraud" => "The platform rejected the account because of suspected fraud.",
        "rejected.platform_terms_of_service" => "The platform rejected the account for breaking its terms of service.",
        "rejected.platform_other" => "The platform rejected the account.",
        r if r.starts_with("rejected.") => "The account was rejected.",
        _ => "The account is restricted. Contact the platform's support to learn why.",
    };
    text.to_string()
}

/// Whole UTC calendar days from `now` to `deadline`: 0 on the same day, negative once the
/// deadline's day has passed. Calendar days (not 24-hour periods) so "tomorrow" means the date.
pub fn days_left(deadline: i64, now: i64) -> i64 {
    Date::from_unix(deadline).day_number() - Date::from_unix(now).day_number()
}

/// The countdown beside a deadline: "today", "tomorrow", "in 3 days", "overdue", "overdue by 2
/// days".
pub fn deadline_phrase(deadline: i64, now: i64) -> String {
    let days = days_left(deadline, now);
    if deadline <= now {
        return match -days {
            d if d <= 0 => "overdue".into(),
            1 => "overdue by 1 day".into(),
            d => format!("overdue by {d} days"),
        };
    }
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        d => format!("in {d} days"),
    }
}

/// The deadline as a date people read (UTC), e.g. "3 March 2025".
pub fn deadline_date_label(deadline: i64) -> String {
    Date::from_unix(deadline).long_label()
}

/// The admin console's "deadline within" filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineWindow {
    #[serde(rename = "7d")]
    Next7Days,
    #[serde(rename = "30d")]
    Next30Days,
}

impl DeadlineWindow {
    pub const ALL: [DeadlineWindow; 2] = [DeadlineWindow::Next7Days, DeadlineWindow::Next30Days];

    /// Stable URL value (`7d`, `30d`).
    pub fn slug(self) -> &'static str {
        match self {
            DeadlineWindow::Next7Days => "7d",
            DeadlineWindow::Next30Days => "30d",
        }
    }

    /// Reads a URL value; `None` for anything else.
    pub fn parse(slug: &str) -> Option<DeadlineWindow> {
        DeadlineWindow::ALL.into_iter().find(|w| w.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineWindow::Next7Days => "Next 7 days",
            DeadlineWindow::Next30Days => "Next 30 days",
        }
    }

    pub fn days(self) -> i64 {
        match self {
            DeadlineWindow::Next7Days => 7,
            DeadlineWindow::Next30Days => 30,
        }
    }

    /// `[start, end)` in Unix seconds, for an indexed `deadline >= ? AND deadline < ?` query.
    /// Deadlines already passed are not "upcoming" (those accounts show as restricted).
    pub fn range(self, now: i64) -> (i64, i64) {
        (now, now + self.days() * SECONDS_PER_DAY)
    }

    /// Whether `deadline` falls in the window, with the same bounds as [`DeadlineWindow::range`].
    pub fn contains(self, deadline: i64, now: i64) -> bool {
        let (start, end) = self.range(now);
        (start..end).contains(&deadline)
    }
}

#[cfg(test)]
mod tests;
