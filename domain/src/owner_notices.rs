//! Which changes of a connected account its owner hears about by mail, and the key that makes each
//! notice once per change: a notice is written only when its key is new for the account, so a
//! webhook delivered again, twice at once or out of order cannot mail twice.
//!
//! Stripe delivers events at least once, in any order (`../shared/stripe-docs/FACTS.md`,
//! "Webhooks"); the keys below are what make a notice idempotent. The rules, each from Stripe's
//! documentation (the fields and the `disabled_reason` values are listed in FACTS.md, "Accounts
//! v1" and "Accounts v2"):
//! - requirements `currently_due` with `current_deadline` (v2: `summary.minimum_deadline`): the
//!   owner must provide them by that date ("Handle verification updates", docs.stripe.com/connect/
//!   handling-api-verification, "currently_due … must be collected by the current_deadline");
//! - `past_due`, or `charges_enabled`/`payouts_enabled` false with `requirements.disabled_reason`:
//!   the account is restricted (same page, "disabled_reason"); a reason starting `rejected.` means
//!   the platform or Stripe rejected the account (docs.stripe.com/api/accounts/object
//!   `requirements.disabled_reason`);
//! - a capability's status leaving `active` (`capability.updated`, docs.stripe.com/api/
//!   capabilities/object `status`: active, inactive, pending, unrequested, disabled);
//! - `payout.failed` (docs.stripe.com/api/events/types#event_types-payout.failed).
//!
//! Before `details_submitted` the owner is still filling Stripe's form, and when it turns true
//! they are on the return page that shows what is left: only a rejection is mailed then.

/// What the decision needs of an account (the cache before or after a write).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeFacts {
    pub details_submitted: bool,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    /// v1 `requirements.disabled_reason` (v2: derived the same way by the portal).
    pub disabled_reason: Option<String>,
    /// Field paths currently due (not past due), any order.
    pub currently_due: Vec<String>,
    /// Field paths past due, any order.
    pub past_due: Vec<String>,
    /// As Stripe gave it (Unix seconds); never computed.
    pub deadline: Option<i64>,
    /// (capability, status), any order; v2 capabilities named `configuration.capability`.
    pub capabilities: Vec<(String, String)>,
}

/// Kinds of owner notice, as stored in `owner_notices.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    RequirementsDue,
    ReminderWeek,
    ReminderDay,
    Restricted,
    Rejected,
    CapabilityLost,
    PayoutFailed,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::RequirementsDue => "requirements_due",
            NoticeKind::ReminderWeek => "deadline_in_7_days",
            NoticeKind::ReminderDay => "deadline_in_1_day",
            NoticeKind::Restricted => "account_restricted",
            NoticeKind::Rejected => "account_rejected",
            NoticeKind::CapabilityLost => "capability_lost",
            NoticeKind::PayoutFailed => "payout_failed",
        }
    }

    /// Whether the owner may turn this mail off on the profile page, and under which choice.
    /// What restricts or rejects the account (and what is due to avoid it) is always sent.
    pub fn preference(self) -> Option<Preference> {
        match self {
            NoticeKind::ReminderWeek | NoticeKind::ReminderDay => Some(Preference::Reminders),
            NoticeKind::CapabilityLost | NoticeKind::PayoutFailed => {
                Some(Preference::PayoutsAndCapabilities)
            }
            NoticeKind::RequirementsDue | NoticeKind::Restricted | NoticeKind::Rejected => None,
        }
    }
}

/// The owner's optional mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// 7 days and 1 day before a deadline.
    Reminders,
    /// A capability stopped working; a payout failed.
    PayoutsAndCapabilities,
}

/// One notice to write: its kind, its key (unique per account) and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub key: String,
    /// The capability for [`NoticeKind::CapabilityLost`].
    pub capability: Option<String>,
}

fn sorted(fields: &[String]) -> Vec<String> {
    let mut v = fields.to_vec();
    v.sort();
    v.dedup();
    v
}

fn deadline_part(deadline: Option<i64>) -> String {
    deadline.map_or_else(|| "none".to_string(), |d| d.to_string())
}

/// What is due now, as a key part: the sorted fields and the deadline.
fn due_part(facts: &NoticeFacts) -> Option<String> {
    let due = sorted(&facts.currently_due);
    (!due.is_empty()).then(|| format!("{}:{}", deadline_part(facts.deadline), due.join(",")))
}

/// Restricted: something past due, or charges or payouts off with a reason Stripe gave (a
/// rejection is its own notice).
fn restriction_part(facts: &NoticeFacts) -> Option<String> {
    let reason = facts
        .disabled_reason
        .as_deref()
        .filter(|r| !r.starts_with("rejected."))
        .filter(|_| !facts.charges_enabled || !facts.payouts_enabled);
    let past_due = sorted(&facts.past_due);
    if reason.is_none() && past_due.is_empty() {
        return None;
    }
    Some(format!(
        "{}:{}",
        reason.unwrap_or("none"),
        past_due.join(",")
    ))
}

fn rejection(facts: &NoticeFacts) -> Option<&str> {
    facts
        .disabled_reason
        .as_deref()
        .filter(|r| r.starts_with("rejected."))
}

fn is_lost(status: &str) -> bool {
    matches!(status, "inactive" | "disabled" | "unrequested")
}

/// The notices a write of the cache from `before` (`None`: not cached yet) to `after` causes.
/// Each is keyed by what it is about, so the same change seen twice gives the same key.
pub fn notices_for_change(before: Option<&NoticeFacts>, after: &NoticeFacts) -> Vec<Notice> {
    let empty = NoticeFacts::default();
    let before = before.unwrap_or(&empty);
    let mut out = Vec::new();
    if let Some(reason) = rejection(after) {
        if rejection(before) != Some(reason) {
            out.push(Notice {
                kind: NoticeKind::Rejected,
                key: format!("rejected:{reason}"),
                capability: None,
            });
        }
        // A rejected account needs nothing more from its owner.
        return out;
    }
    // Nothing while the owner fills Stripe's form, nor at the moment they submit it: they are
    // on the return page, which shows what is still due (and Stripe reports the submission and
    // its verification as separate updates). What changes after that is told.
    if !after.details_submitted || !before.details_submitted {
        return out;
    }
    let told = |f: fn(&NoticeFacts) -> Option<String>| f(before);
    let restricted = restriction_part(after);
    if let Some(restriction) = &restricted {
        if told(restriction_part).as_ref() != Some(restriction) {
            out.push(Notice {
                kind: NoticeKind::Restricted,
                key: format!("restricted:{restriction}"),
                capability: None,
            });
        }
    }
    if let Some(due) = due_part(after) {
        if told(due_part) != Some(due.clone()) {
            out.push(Notice {
                kind: NoticeKind::RequirementsDue,
                key: format!("due:{due}"),
                capability: None,
            });
        }
    }
    // A restricted account's capabilities stop with it: the restriction's mail says so, once.
    if restricted.is_some() {
        return out;
    }
    for (name, status) in sorted_caps(&after.capabilities) {
        let was_active = before
            .capabilities
            .iter()
            .any(|(n, s)| *n == name && s == "active");
        if was_active && is_lost(&status) {
            out.push(Notice {
                kind: NoticeKind::CapabilityLost,
                // The time it was last seen active is not known; the key is the transition,
                // made unique per deadline so a later loss of the same capability is told again.
                key: format!(
                    "capability:{name}:{status}:{}",
                    deadline_part(after.deadline)
                ),
                capability: Some(name),
            });
        }
    }
    out
}

fn sorted_caps(caps: &[(String, String)]) -> Vec<(String, String)> {
    let mut v = caps.to_vec();
    v.sort();
    v.dedup();
    v
}

/// The reminder due at `now` for an account with requirements due by `deadline`: the 1-day one
/// within a day of it, the 7-day one within a week (the reminder job runs often; the key makes
/// each reminder once per deadline). `None` without anything due, before `details_submitted`,
/// or once the deadline passed (then the account is past due, which is its own notice).
pub fn reminder_due(facts: &NoticeFacts, now: i64) -> Option<Notice> {
    const DAY: i64 = 24 * 60 * 60;
    let deadline = facts.deadline?;
    if !facts.details_submitted || facts.currently_due.is_empty() || deadline <= now {
        return None;
    }
    let (kind, tag) = if deadline - now <= DAY {
        (NoticeKind::ReminderDay, "1d")
    } else if deadline - now <= 7 * DAY {
        (NoticeKind::ReminderWeek, "7d")
    } else {
        return None;
    };
    Some(Notice {
        kind,
        key: format!("reminder:{tag}:{deadline}"),
        capability: None,
    })
}

/// The key of a failed payout's notice: one per payout.
pub fn payout_failed(payout_id: &str) -> Notice {
    Notice {
        kind: NoticeKind::PayoutFailed,
        key: format!("payout_failed:{payout_id}"),
        capability: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submitted() -> NoticeFacts {
        NoticeFacts {
            details_submitted: true,
            charges_enabled: true,
            payouts_enabled: true,
            capabilities: vec![("card_payments".into(), "active".into())],
            ..NoticeFacts::default()
        }
    }

    fn due(fields: &[&str], deadline: Option<i64>) -> NoticeFacts {
        NoticeFacts {
            currently_due: fields.iter().map(|f| f.to_string()).collect(),
            deadline,
            ..submitted()
        }
    }

    fn kinds(n: &[Notice]) -> Vec<NoticeKind> {
        n.iter().map(|n| n.kind).collect()
    }

    #[test]
    fn requirements_becoming_due_are_told_once_with_stripes_deadline() {
        let after = due(
            &["individual.id_number", "external_account"],
            Some(1_800_000_000),
        );
        let n = notices_for_change(Some(&submitted()), &after);
        assert_eq!(kinds(&n), [NoticeKind::RequirementsDue]);
        assert_eq!(
            n[0].key,
            "due:1800000000:external_account,individual.id_number"
        );
        // The same state again (a redelivered event, a fetch after it): nothing new.
        assert!(notices_for_change(Some(&after), &after).is_empty());
        // Same set in another order: the same key.
        let reordered = due(
            &["external_account", "individual.id_number"],
            Some(1_800_000_000),
        );
        assert!(notices_for_change(Some(&after), &reordered).is_empty());
        assert_eq!(
            notices_for_change(Some(&submitted()), &reordered)[0].key,
            n[0].key
        );
    }

    #[test]
    fn a_new_deadline_or_a_new_field_is_a_new_notice() {
        let first = due(&["external_account"], Some(1_800_000_000));
        let later = due(&["external_account"], Some(1_900_000_000));
        assert_eq!(
            kinds(&notices_for_change(Some(&first), &later)),
            [NoticeKind::RequirementsDue]
        );
        let more = due(
            &["external_account", "tos_acceptance.date"],
            Some(1_800_000_000),
        );
        assert_eq!(
            kinds(&notices_for_change(Some(&first), &more)),
            [NoticeKind::RequirementsDue]
        );
        // Fewer things due: nothing to tell.
        let none = submitted();
        assert!(notices_for_change(Some(&first), &none).is_empty());
    }

    #[test]
    fn nothing_is_told_mid_onboarding_but_a_rejection() {
        let filling = NoticeFacts {
            details_submitted: false,
            ..due(&["individual.dob.day"], Some(1_800_000_000))
        };
        assert!(notices_for_change(None, &filling).is_empty());
        let restricted = NoticeFacts {
            charges_enabled: false,
            disabled_reason: Some("requirements.past_due".into()),
            past_due: vec!["individual.dob.day".into()],
            ..filling.clone()
        };
        assert!(notices_for_change(Some(&filling), &restricted).is_empty());
        let rejected = NoticeFacts {
            disabled_reason: Some("rejected.fraud".into()),
            charges_enabled: false,
            payouts_enabled: false,
            ..filling.clone()
        };
        let n = notices_for_change(Some(&filling), &rejected);
        assert_eq!(kinds(&n), [NoticeKind::Rejected]);
        assert_eq!(n[0].key, "rejected:rejected.fraud");
        assert!(notices_for_change(Some(&rejected), &rejected).is_empty());
    }

    #[test]
    fn submitting_the_form_tells_nothing_the_return_page_shows() {
        let filling = NoticeFacts {
            details_submitted: false,
            ..due(&["external_account"], Some(1_800_000_000))
        };
        let submitted_with_due = NoticeFacts {
            past_due: vec!["individual.dob.day".into()],
            charges_enabled: false,
            disabled_reason: Some("requirements.past_due".into()),
            ..due(&["external_account"], Some(1_800_000_000))
        };
        assert!(notices_for_change(Some(&filling), &submitted_with_due).is_empty());
        assert!(notices_for_change(None, &submitted_with_due).is_empty());
        // The next change after it is told.
        let more = due(&["external_account", "company.tax_id"], Some(1_800_000_000));
        let n = notices_for_change(Some(&submitted_with_due), &more);
        assert_eq!(kinds(&n), [NoticeKind::RequirementsDue]);
    }

    #[test]
    fn past_due_and_restrictions_are_one_notice_per_change() {
        let before = due(&["external_account"], Some(1_800_000_000));
        let past = NoticeFacts {
            currently_due: vec![],
            past_due: vec!["external_account".into()],
            payouts_enabled: false,
            disabled_reason: Some("requirements.past_due".into()),
            ..before.clone()
        };
        let n = notices_for_change(Some(&before), &past);
        assert_eq!(kinds(&n), [NoticeKind::Restricted]);
        assert_eq!(
            n[0].key,
            "restricted:requirements.past_due:external_account"
        );
        assert!(notices_for_change(Some(&past), &past).is_empty());
        // Restricted for another reason, nothing past due.
        let review = NoticeFacts {
            charges_enabled: false,
            disabled_reason: Some("under_review".into()),
            ..submitted()
        };
        assert_eq!(
            notices_for_change(Some(&submitted()), &review)[0].key,
            "restricted:under_review:"
        );
        // A reason while both are still enabled is not a restriction.
        let harmless = NoticeFacts {
            disabled_reason: Some("other".into()),
            ..submitted()
        };
        assert!(notices_for_change(Some(&submitted()), &harmless).is_empty());
    }

    #[test]
    fn a_capability_is_told_when_it_stops_being_active() {
        let lost = NoticeFacts {
            capabilities: vec![("card_payments".into(), "inactive".into())],
            ..submitted()
        };
        let n = notices_for_change(Some(&submitted()), &lost);
        assert_eq!(kinds(&n), [NoticeKind::CapabilityLost]);
        assert_eq!(n[0].capability.as_deref(), Some("card_payments"));
        // Never active (pending → inactive): nothing lost.
        let pending = NoticeFacts {
            capabilities: vec![("card_payments".into(), "pending".into())],
            ..submitted()
        };
        assert!(notices_for_change(Some(&pending), &lost).is_empty());
        assert!(notices_for_change(Some(&lost), &lost).is_empty());
        // Lost because the account is restricted: the restriction's one mail.
        let restricted = NoticeFacts {
            charges_enabled: false,
            disabled_reason: Some("requirements.past_due".into()),
            past_due: vec!["external_account".into()],
            ..lost.clone()
        };
        let n = notices_for_change(Some(&submitted()), &restricted);
        assert_eq!(kinds(&n), [NoticeKind::Restricted]);
    }

    #[test]
    fn reminders_a_week_and_a_day_before_the_deadline() {
        let now = 1_800_000_000;
        let day = 86_400;
        let facts = due(&["external_account"], Some(now + 6 * day));
        let n = reminder_due(&facts, now).unwrap();
        assert_eq!(n.kind, NoticeKind::ReminderWeek);
        assert_eq!(n.key, format!("reminder:7d:{}", now + 6 * day));
        assert!(reminder_due(&due(&["x"], Some(now + 8 * day)), now).is_none());
        let soon = reminder_due(&due(&["x"], Some(now + day / 2)), now).unwrap();
        assert_eq!(soon.kind, NoticeKind::ReminderDay);
        assert!(reminder_due(&due(&["x"], Some(now - 1)), now).is_none());
        assert!(reminder_due(&due(&[], Some(now + day)), now).is_none());
        assert!(reminder_due(&due(&["x"], None), now).is_none());
        let filling = NoticeFacts {
            details_submitted: false,
            ..facts
        };
        assert!(reminder_due(&filling, now).is_none());
    }

    #[test]
    fn optional_mails_and_the_ones_always_sent() {
        assert_eq!(
            NoticeKind::ReminderDay.preference(),
            Some(Preference::Reminders)
        );
        assert_eq!(
            NoticeKind::PayoutFailed.preference(),
            Some(Preference::PayoutsAndCapabilities)
        );
        for kind in [
            NoticeKind::Restricted,
            NoticeKind::Rejected,
            NoticeKind::RequirementsDue,
        ] {
            assert_eq!(kind.preference(), None);
        }
        assert_eq!(payout_failed("po_1").key, "payout_failed:po_1");
    }
}
