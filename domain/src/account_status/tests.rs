use super::*;
use crate::requirements::{
    DueStatus, V1RequirementError, V1Requirements, V2Deadline, V2RequirementEntry, V2Requirements,
};

const NOW: i64 = 1_741_000_000; // 2025-03-03T11:06:40Z, a Monday
const DAY: i64 = SECONDS_PER_DAY;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn v1(current: V1Requirements, future: V1Requirements) -> AccountRequirements {
    AccountRequirements::from_v1(&current, &future)
}

fn facts(
    requirements: &AccountRequirements,
    submitted: bool,
    charges: bool,
    payouts: bool,
) -> AccountFacts<'_> {
    AccountFacts {
        details_submitted: submitted,
        charges_enabled: charges,
        payouts_enabled: payouts,
        requirements,
    }
}

fn assess_v1(
    current: V1Requirements,
    submitted: bool,
    charges: bool,
    payouts: bool,
) -> StatusAssessment {
    let requirements = v1(current, V1Requirements::default());
    assess(&facts(&requirements, submitted, charges, payouts), NOW)
}

fn disabled(reason: &str) -> V1Requirements {
    V1Requirements {
        disabled_reason: Some(reason.into()),
        ..V1Requirements::default()
    }
}

/// Every `disabled_reason` in FACTS.md and in Stripe's OpenAPI enums (account and capability).
const DISABLED_REASONS: &[&str] = &[
    "action_required.requested_capabilities",
    "listed",
    "other",
    "paused.inactivity",
    "pending.onboarding",
    "pending.review",
    "platform_disabled",
    "platform_paused",
    "rejected.fraud",
    "rejected.inactivity",
    "rejected.incomplete_verification",
    "rejected.listed",
    "rejected.other",
    "rejected.platform_fraud",
    "rejected.platform_other",
    "rejected.platform_terms_of_service",
    "rejected.terms_of_service",
    "rejected.unsupported_business",
    "requirements.fields_needed",
    "requirements.past_due",
    "requirements.pending_verification",
    "under_review",
];

#[test]
fn every_disabled_reason_has_its_own_sentence() {
    let fallback = disabled_reason_text("something_new");
    let rejected_fallback = disabled_reason_text("rejected.something_new");
    assert_ne!(fallback, rejected_fallback);
    let mut seen = Vec::new();
    for reason in DISABLED_REASONS {
        let text = disabled_reason_text(reason);
        assert_ne!(text, fallback, "{reason}");
        assert_ne!(text, rejected_fallback, "{reason}");
        assert!(
            text.ends_with('.') && !text.contains('_'),
            "{reason}: {text}"
        );
        assert!(
            !seen.contains(&text),
            "{reason} repeats another reason's text"
        );
        seen.push(text);
    }
}

#[test]
fn each_disabled_reason_gives_the_expected_status_and_action() {
    use AccountStatus::*;
    use NextAction as A;
    let expected: &[(&str, AccountStatus, NextAction)] = &[
        (
            "action_required.requested_capabilities",
            Restricted,
            A::None,
        ),
        ("listed", Restricted, A::WaitForStripe),
        ("other", Restricted, A::None),
        ("paused.inactivity", Restricted, A::None),
        ("pending.onboarding", Restricted, A::UpdateInformation),
        ("pending.review", Restricted, A::WaitForStripe),
        ("platform_disabled", Restricted, A::None),
        ("platform_paused", Restricted, A::None),
        (
            "requirements.fields_needed",
            Restricted,
            A::UpdateInformation,
        ),
        ("requirements.past_due", Restricted, A::UpdateInformation),
        (
            "requirements.pending_verification",
            PendingVerification,
            A::WaitForStripe,
        ),
        ("under_review", Restricted, A::WaitForStripe),
    ];
    for (reason, status, action) in expected {
        let got = assess_v1(disabled(reason), true, false, false);
        assert_eq!(
            (got.status, got.next_action),
            (*status, *action),
            "{reason}"
        );
        assert_eq!(got.reason, Some(disabled_reason_text(reason)), "{reason}");
    }
    for reason in DISABLED_REASONS
        .iter()
        .filter(|r| r.starts_with("rejected."))
    {
        // Rejection wins even over unfinished onboarding and past-due fields.
        let mut input = disabled(reason);
        input.past_due = strings(&["company.tax_id"]);
        let got = assess_v1(input, false, false, false);
        assert_eq!(got.status, AccountStatus::Rejected, "{reason}");
        assert_eq!(got.next_action, NextAction::None);
        assert_eq!(got.reason, Some(disabled_reason_text(reason)));
    }
}

#[test]
fn stripes_new_account_fixture_is_onboarding_not_finished() {
    // Stripe's example account: details not submitted, nothing enabled, disabled as past due.
    let input = V1Requirements {
        currently_due: strings(&[
            "business_profile.url",
            "external_account",
            "tos_acceptance.date",
        ]),
        disabled_reason: Some("requirements.past_due".into()),
        ..V1Requirements::default()
    };
    let got = assess_v1(input, false, false, false);
    assert_eq!(got.status, AccountStatus::OnboardingNotFinished);
    assert_eq!(got.next_action, NextAction::ContinueOnboarding);
}

#[test]
fn past_due_restricts_a_submitted_account() {
    let input = V1Requirements {
        past_due: strings(&["individual.id_number"]),
        currently_due: strings(&["individual.id_number"]),
        disabled_reason: Some("requirements.past_due".into()),
        current_deadline: Some(NOW - DAY),
        ..V1Requirements::default()
    };
    let got = assess_v1(input, true, false, false);
    assert_eq!(got.status, AccountStatus::Restricted);
    assert_eq!(got.next_action, NextAction::UpdateInformation);
    assert_eq!(got.deadline, Some(NOW - DAY));
    assert_eq!(
        got.reason,
        Some(disabled_reason_text("requirements.past_due"))
    );
}

#[test]
fn past_due_while_onboarding_unfinished_but_partly_enabled_says_continue() {
    let input = V1Requirements {
        past_due: strings(&["individual.id_number"]),
        ..V1Requirements::default()
    };
    let got = assess_v1(input, false, true, false);
    assert_eq!(got.status, AccountStatus::Restricted);
    assert_eq!(got.next_action, NextAction::ContinueOnboarding);
}

#[test]
fn deadline_ahead_is_restricted_soon_and_passed_is_restricted() {
    let due = |deadline| V1Requirements {
        currently_due: strings(&["company.tax_id"]),
        eventually_due: strings(&["company.tax_id"]),
        current_deadline: Some(deadline),
        ..V1Requirements::default()
    };
    let soon = assess_v1(due(NOW + 3 * DAY), true, true, true);
    assert_eq!(soon.status, AccountStatus::RestrictedSoon);
    assert_eq!(soon.deadline, Some(NOW + 3 * DAY));
    assert_eq!(soon.next_action, NextAction::UpdateInformation);
    // At the deadline Stripe disables the account, even if the cache still shows it enabled.
    let passed = assess_v1(due(NOW), true, true, true);
    assert_eq!(passed.status, AccountStatus::Restricted);
    assert_eq!(passed.next_action, NextAction::UpdateInformation);
}

#[test]
fn due_without_deadline_or_errors_is_action_required() {
    let due = V1Requirements {
        currently_due: strings(&["business_profile.url"]),
        ..V1Requirements::default()
    };
    let got = assess_v1(due, true, true, true);
    assert_eq!(got.status, AccountStatus::ActionRequired);
    assert_eq!(got.next_action, NextAction::UpdateInformation);

    let errors = V1Requirements {
        errors: vec![V1RequirementError {
            code: "invalid_url_format".into(),
            reason: String::new(),
            requirement: "business_profile.url".into(),
        }],
        ..V1Requirements::default()
    };
    assert_eq!(
        assess_v1(errors, true, true, true).status,
        AccountStatus::ActionRequired
    );
}

#[test]
fn eventually_due_alone_is_active() {
    let input = V1Requirements {
        eventually_due: strings(&["company.tax_id"]),
        ..V1Requirements::default()
    };
    let got = assess_v1(input, true, true, true);
    assert_eq!(got.status, AccountStatus::Active);
    assert_eq!(got.next_action, NextAction::None);
    assert_eq!(got.reason, None);
    // A recipient account never gets charges; payouts alone are enough to be active.
    let recipient = assess_v1(V1Requirements::default(), true, false, true);
    assert_eq!(recipient.status, AccountStatus::Active);
}

#[test]
fn nothing_enabled_after_submission_or_under_review_is_pending() {
    let got = assess_v1(V1Requirements::default(), true, false, false);
    assert_eq!(got.status, AccountStatus::PendingVerification);
    assert_eq!(got.next_action, NextAction::WaitForStripe);

    let reviewing = V1Requirements {
        pending_verification: strings(&["individual.verification.document"]),
        ..V1Requirements::default()
    };
    assert_eq!(
        assess_v1(reviewing.clone(), true, true, false).status,
        AccountStatus::PendingVerification
    );
    // Fully enabled: the review does not stop anything, so the account is active.
    assert_eq!(
        assess_v1(reviewing, true, true, true).status,
        AccountStatus::Active
    );
}

#[test]
fn pending_verification_with_more_to_give_asks_for_it() {
    let mut input = disabled("requirements.pending_verification");
    input.currently_due = strings(&["individual.phone"]);
    let got = assess_v1(input, true, false, false);
    assert_eq!(got.status, AccountStatus::PendingVerification);
    assert_eq!(got.next_action, NextAction::UpdateInformation);
}

#[test]
fn future_requirements_with_a_deadline_make_it_restricted_soon() {
    let future = V1Requirements {
        currently_due: strings(&["company.directors_provided"]),
        current_deadline: Some(NOW + 20 * DAY),
        ..V1Requirements::default()
    };
    let requirements = v1(V1Requirements::default(), future);
    let got = assess(&facts(&requirements, true, true, true), NOW);
    assert_eq!(got.status, AccountStatus::RestrictedSoon);
    assert_eq!(got.deadline, Some(NOW + 20 * DAY));
    // Once that date has passed, future requirements alone do not restrict (Stripe moves them
    // into `requirements`, which the next sync shows).
    let got = assess(&facts(&requirements, true, true, true), NOW + 21 * DAY);
    assert_eq!(got.status, AccountStatus::Active);
}

fn entry(description: &str, status: DueStatus, awaiting: &str) -> V2RequirementEntry {
    V2RequirementEntry {
        awaiting_action_from: Some(awaiting.into()),
        description: description.into(),
        minimum_deadline: Some(V2Deadline { status }),
        ..V2RequirementEntry::default()
    }
}

#[test]
fn v2_accounts_get_the_same_statuses() {
    let with = |entries: Vec<V2RequirementEntry>, time: Option<&str>| {
        let summary = time.map(|t| crate::requirements::V2Summary {
            minimum_deadline: Some(crate::requirements::V2SummaryDeadline {
                status: DueStatus::CurrentlyDue,
                time: Some(t.into()),
            }),
        });
        AccountRequirements::from_v2(
            &V2Requirements { entries, summary },
            &V2Requirements::default(),
        )
    };
    let past = with(
        vec![entry(
            "identity.individual.given_name",
            DueStatus::PastDue,
            "user",
        )],
        None,
    );
    let got = assess(&facts(&past, true, false, false), NOW);
    assert_eq!(
        (got.status, got.next_action),
        (AccountStatus::Restricted, NextAction::UpdateInformation)
    );

    let stripe_checking = with(
        vec![entry(
            "identity.individual.given_name",
            DueStatus::PastDue,
            "stripe",
        )],
        None,
    );
    let got = assess(&facts(&stripe_checking, true, false, false), NOW);
    assert_eq!(
        (got.status, got.next_action),
        (AccountStatus::Restricted, NextAction::WaitForStripe)
    );

    let soon = with(
        vec![entry(
            "defaults.profile.business_url",
            DueStatus::CurrentlyDue,
            "user",
        )],
        Some("2025-03-10T00:00:00Z"),
    );
    let got = assess(&facts(&soon, true, true, true), NOW);
    assert_eq!(got.status, AccountStatus::RestrictedSoon);
    assert_eq!(got.deadline, Some(1_741_564_800));

    let later = with(
        vec![entry(
            "defaults.profile.business_url",
            DueStatus::EventuallyDue,
            "user",
        )],
        None,
    );
    assert_eq!(
        assess(&facts(&later, true, true, true), NOW).status,
        AccountStatus::Active
    );
}

#[test]
fn slugs_are_stable_and_round_trip() {
    let slugs: Vec<&str> = AccountStatus::ALL.iter().map(|s| s.slug()).collect();
    assert_eq!(
        slugs,
        [
            "active",
            "action_required",
            "restricted_soon",
            "restricted",
            "pending_verification",
            "rejected",
            "onboarding_not_finished"
        ]
    );
    for status in AccountStatus::ALL {
        assert_eq!(AccountStatus::parse(status.slug()), Some(status));
        assert_eq!(status.slug().parse::<AccountStatus>(), Ok(status));
        assert_eq!(status.to_string(), status.label());
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            format!("\"{}\"", status.slug())
        );
    }
    assert_eq!(AccountStatus::parse("Active"), None);
    assert_eq!(
        "nope".parse::<AccountStatus>(),
        Err(UnknownStatus("nope".into()))
    );
    assert_eq!(AccountStatus::RestrictedSoon.label(), "Restricted soon");
    assert!(AccountStatus::Restricted.needs_attention());
    assert!(!AccountStatus::Active.needs_attention());
}

#[test]
fn countdown_phrases_use_calendar_days() {
    // NOW is 11:06 UTC on 3 March 2025.
    assert_eq!(deadline_phrase(NOW + 3600, NOW), "today");
    assert_eq!(deadline_phrase(NOW + 13 * 3600, NOW), "tomorrow"); // 00:06 on 4 March
    assert_eq!(deadline_phrase(NOW + 3 * DAY, NOW), "in 3 days");
    assert_eq!(deadline_phrase(NOW, NOW), "overdue");
    assert_eq!(deadline_phrase(NOW - 3600, NOW), "overdue");
    assert_eq!(deadline_phrase(NOW - DAY, NOW), "overdue by 1 day");
    assert_eq!(deadline_phrase(NOW - 2 * DAY, NOW), "overdue by 2 days");
    assert_eq!(days_left(NOW + 13 * 3600, NOW), 1);
    assert_eq!(days_left(NOW - 2 * DAY, NOW), -2);
    assert_eq!(deadline_date_label(NOW), "3 March 2025");
}

#[test]
fn deadline_windows() {
    assert_eq!(DeadlineWindow::parse("7d"), Some(DeadlineWindow::Next7Days));
    assert_eq!(
        DeadlineWindow::parse("30d"),
        Some(DeadlineWindow::Next30Days)
    );
    assert_eq!(DeadlineWindow::parse("7"), None);
    let week = DeadlineWindow::Next7Days;
    assert_eq!(week.range(NOW), (NOW, NOW + 7 * DAY));
    assert!(week.contains(NOW, NOW));
    assert!(week.contains(NOW + 7 * DAY - 1, NOW));
    assert!(!week.contains(NOW + 7 * DAY, NOW));
    assert!(!week.contains(NOW - 1, NOW));
    assert!(DeadlineWindow::Next30Days.contains(NOW + 29 * DAY, NOW));
    for window in DeadlineWindow::ALL {
        assert_eq!(
            serde_json::to_string(&window).unwrap(),
            format!("\"{}\"", window.slug())
        );
    }
}
