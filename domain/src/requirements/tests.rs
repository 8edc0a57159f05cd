use super::*;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn labels(list: &[Requirement]) -> Vec<String> {
    list.iter().map(Requirement::display_label).collect()
}

/// `requirements` of the account example in Stripe's fixtures (stripe-fixtures/fixtures3.json).
const FIXTURE_REQUIREMENTS: &str = r#"{
    "alternatives": [],
    "current_deadline": null,
    "currently_due": ["business_profile.product_description", "business_profile.support_phone",
        "business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"],
    "disabled_reason": "requirements.past_due",
    "errors": [],
    "eventually_due": ["business_profile.product_description", "business_profile.support_phone",
        "business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"],
    "past_due": [],
    "pending_verification": []
}"#;

#[test]
fn reads_stripes_fixture_and_merges_terms_of_service() {
    let input: V1Requirements = serde_json::from_str(FIXTURE_REQUIREMENTS).unwrap();
    let set = RequirementSet::from_v1(&input);
    assert_eq!(
        labels(&set.currently_due),
        [
            "Description of products or services",
            "Customer support phone number",
            "Business website",
            "Bank account or debit card for payouts",
            "Acceptance of Stripe's terms of service",
        ]
    );
    assert_eq!(
        set.currently_due[4].fields,
        strings(&["tos_acceptance.date", "tos_acceptance.ip"])
    );
    // eventually_due repeats currently_due in v1; the view lists each thing once.
    assert!(set.eventually_due.is_empty());
    assert_eq!(
        set.disabled_reason.as_deref(),
        Some("requirements.past_due")
    );
    assert_eq!(set.deadline, None);
    assert_eq!(set.minimum_deadline_status, Some(DueStatus::CurrentlyDue));
    assert!(set.needs_action_now());
    assert_eq!(set.due_count(), 5);
}

#[test]
fn null_lists_and_missing_fields_read_as_empty() {
    let input: V1Requirements = serde_json::from_str(
        r#"{"alternatives": null, "currently_due": null, "errors": null, "past_due": null}"#,
    )
    .unwrap();
    assert_eq!(input, V1Requirements::default());
    let set = RequirementSet::from_v1(&input);
    assert!(set.is_empty());
    assert!(!set.needs_action_now());
    assert_eq!(set.minimum_deadline_status, None);
    let v2: V2Requirements = serde_json::from_str(r#"{"entries": null}"#).unwrap();
    assert!(RequirementSet::from_v2(&v2).is_empty());
}

#[test]
fn lists_are_disjoint_and_most_urgent_wins() {
    let input = V1Requirements {
        past_due: strings(&["company.tax_id"]),
        currently_due: strings(&["company.tax_id", "company.name"]),
        eventually_due: strings(&["company.tax_id", "company.name", "company.phone"]),
        pending_verification: strings(&["company.address.line1"]),
        current_deadline: Some(1_700_000_000),
        ..V1Requirements::default()
    };
    let set = RequirementSet::from_v1(&input);
    assert_eq!(labels(&set.past_due), ["Company tax ID"]);
    assert_eq!(labels(&set.currently_due), ["Company legal name"]);
    assert_eq!(labels(&set.eventually_due), ["Company phone number"]);
    assert_eq!(
        labels(&set.pending_verification),
        ["Company address (street)"]
    );
    assert_eq!(
        set.pending_verification[0].awaiting_action_from,
        AwaitingActionFrom::Stripe
    );
    assert_eq!(
        set.past_due[0].awaiting_action_from,
        AwaitingActionFrom::User
    );
    assert_eq!(set.deadline, Some(1_700_000_000));
    assert_eq!(set.minimum_deadline_status, Some(DueStatus::PastDue));
}

#[test]
fn date_of_birth_is_one_line_per_person() {
    let input = V1Requirements {
        currently_due: strings(&[
            "individual.dob.day",
            "individual.first_name",
            "individual.dob.month",
            "individual.dob.year",
            "person_1AbC.dob.day",
            "person_1AbC.dob.month",
            "person_2XyZ.dob.year",
        ]),
        ..V1Requirements::default()
    };
    let set = RequirementSet::from_v1(&input);
    assert_eq!(
        labels(&set.currently_due),
        [
            "Date of birth of the representative",
            "First name of the representative",
            "Date of birth of a person on the account",
            "Date of birth of a person on the account",
        ]
    );
    assert_eq!(
        set.currently_due[0].fields,
        strings(&[
            "individual.dob.day",
            "individual.dob.month",
            "individual.dob.year"
        ])
    );
    assert_eq!(
        set.currently_due[2].fields,
        strings(&["person_1AbC.dob.day", "person_1AbC.dob.month"])
    );
}

#[test]
fn alternatives_read_as_or() {
    let input = V1Requirements {
        currently_due: strings(&["individual.verification.document", "individual.email"]),
        alternatives: vec![
            V1Alternative {
                original_fields_due: strings(&["individual.verification.document"]),
                alternative_fields_due: strings(&["individual.id_number"]),
            },
            V1Alternative {
                original_fields_due: strings(&["individual.verification.document"]),
                alternative_fields_due: strings(&[
                    "individual.address.line1",
                    "individual.address.postal_code",
                ]),
            },
        ],
        ..V1Requirements::default()
    };
    let set = RequirementSet::from_v1(&input);
    assert_eq!(
        labels(&set.currently_due),
        [
            "Identity document of the representative or Government ID number of the \
             representative or Address of the representative (street) and Address of the \
             representative (postal code)",
            "Email address of the representative",
        ]
    );
    assert_eq!(
        set.currently_due[0].alternatives.len(),
        2,
        "both alternatives kept, original listed once"
    );
}

#[test]
fn alternatives_of_past_due_fields_stay_past_due() {
    let input = V1Requirements {
        past_due: strings(&["company.tax_id"]),
        currently_due: strings(&["company.tax_id"]),
        alternatives: vec![V1Alternative {
            original_fields_due: strings(&["company.tax_id"]),
            alternative_fields_due: strings(&["company.verification.document"]),
        }],
        ..V1Requirements::default()
    };
    let set = RequirementSet::from_v1(&input);
    assert_eq!(
        labels(&set.past_due),
        ["Company tax ID or Company verification document"]
    );
    assert!(set.currently_due.is_empty());
}

#[test]
fn errors_use_stripes_reason_else_the_code_map() {
    let input = V1Requirements {
        currently_due: strings(&["individual.verification.document", "business_profile.url"]),
        errors: vec![
            V1RequirementError {
                code: "verification_document_expired".into(),
                reason: "The document is expired.".into(),
                requirement: "individual.verification.document.front".into(),
            },
            V1RequirementError {
                code: "invalid_url_website_inaccessible".into(),
                reason: String::new(),
                requirement: "business_profile.url".into(),
            },
        ],
        ..V1Requirements::default()
    };
    let set = RequirementSet::from_v1(&input);
    assert_eq!(set.currently_due[0].errors, ["The document is expired."]);
    assert_eq!(
        set.currently_due[1].errors,
        ["The website could not be reached. Check that it is online."]
    );
    assert_eq!(set.errors.len(), 2);
    assert_eq!(
        set.errors[0].label,
        "Identity document of the representative"
    );
    assert_eq!(set.errors[0].code, "verification_document_expired");
    assert_eq!(set.errors[1].field, "business_profile.url");
}

#[test]
fn future_requirements_are_kept_apart() {
    let current = V1Requirements::default();
    let future = V1Requirements {
        currently_due: strings(&["company.directors_provided"]),
        eventually_due: strings(&["company.directors_provided", "company.executives_provided"]),
        current_deadline: Some(1_800_000_000),
        ..V1Requirements::default()
    };
    let all = AccountRequirements::from_v1(&current, &future);
    assert!(all.current.is_empty());
    assert_eq!(
        labels(&all.future.currently_due),
        ["Confirmation that all directors are listed"]
    );
    assert_eq!(
        labels(&all.future.eventually_due),
        ["Confirmation that all executives are listed"]
    );
    assert_eq!(all.future.deadline, Some(1_800_000_000));
}

fn v2_entry(description: &str, status: DueStatus, awaiting: &str) -> V2RequirementEntry {
    V2RequirementEntry {
        awaiting_action_from: Some(awaiting.into()),
        description: description.into(),
        minimum_deadline: Some(V2Deadline { status }),
        ..V2RequirementEntry::default()
    }
}

#[test]
fn v2_entries_produce_the_same_view_as_v1() {
    let v1 = V1Requirements {
        past_due: strings(&["individual.first_name"]),
        currently_due: strings(&[
            "individual.first_name",
            "individual.dob.day",
            "individual.dob.month",
            "individual.dob.year",
            "tos_acceptance.date",
            "tos_acceptance.ip",
        ]),
        eventually_due: strings(&[
            "individual.first_name",
            "individual.dob.day",
            "individual.dob.month",
            "individual.dob.year",
            "tos_acceptance.date",
            "tos_acceptance.ip",
            "business_profile.url",
        ]),
        pending_verification: strings(&["individual.verification.document"]),
        ..V1Requirements::default()
    };
    let v2 = V2Requirements {
        entries: vec![
            v2_entry("identity.individual.given_name", DueStatus::PastDue, "user"),
            v2_entry(
                "identity.individual.date_of_birth",
                DueStatus::CurrentlyDue,
                "user",
            ),
            v2_entry(
                "identity.attestations.terms_of_service.account",
                DueStatus::CurrentlyDue,
                "user",
            ),
            v2_entry(
                "defaults.profile.business_url",
                DueStatus::EventuallyDue,
                "user",
            ),
            v2_entry(
                "identity.individual.documents.primary_verification",
                DueStatus::CurrentlyDue,
                "stripe",
            ),
        ],
        summary: None,
    };
    let from_v1 = RequirementSet::from_v1(&v1);
    let from_v2 = RequirementSet::from_v2(&v2);
    for (a, b) in [
        (&from_v1.past_due, &from_v2.past_due),
        (&from_v1.currently_due, &from_v2.currently_due),
        (&from_v1.eventually_due, &from_v2.eventually_due),
        (&from_v1.pending_verification, &from_v2.pending_verification),
    ] {
        assert_eq!(labels(a), labels(b));
        assert!(!a.is_empty());
        assert_eq!(
            a.iter().map(|r| r.awaiting_action_from).collect::<Vec<_>>(),
            b.iter().map(|r| r.awaiting_action_from).collect::<Vec<_>>()
        );
    }
    assert_eq!(
        from_v1.minimum_deadline_status,
        from_v2.minimum_deadline_status
    );
}

#[test]
fn v2_reads_stripes_json_with_impact_errors_and_summary() {
    let json = r#"{
        "entries": [{
            "awaiting_action_from": "user",
            "description": "identity.business_details.id_numbers",
            "errors": [
                {"code": "invalid_tax_id", "description": ""},
                {"code": "verification_failed_tax_id_match", "description": "The tax ID does not match the company name."}
            ],
            "impact": {"restricts_capabilities": [
                {"capability": "card_payments", "configuration": "merchant", "deadline": {"status": "currently_due"}},
                {"capability": "stripe_balance.payouts", "configuration": "recipient", "deadline": {"status": "currently_due"}}
            ]},
            "minimum_deadline": {"status": "currently_due"},
            "reference": {"type": "person", "resource": "person_123"},
            "requested_reasons": [{"code": "routine_onboarding"}]
        }, {
            "awaiting_action_from": "user",
            "description": "configuration.recipient.default_outbound_destination",
            "errors": [],
            "impact": {"restricts_capabilities": []},
            "minimum_deadline": {"status": "a_status_from_the_future"},
            "requested_reasons": []
        }],
        "summary": {"minimum_deadline": {"status": "currently_due", "time": "2030-01-02T03:04:05.678Z"}}
    }"#;
    let input: V2Requirements = serde_json::from_str(json).unwrap();
    assert_eq!(input.entries[0].reference.as_ref().unwrap().kind, "person");
    assert_eq!(
        input.entries[1].minimum_deadline.unwrap().status,
        DueStatus::Unknown
    );
    let set = RequirementSet::from_v2(&input);
    assert_eq!(
        labels(&set.currently_due),
        ["Company tax ID", "Bank account or debit card for payouts"]
    );
    let tax = &set.currently_due[0];
    assert_eq!(
        tax.errors,
        [
            "The tax ID is not valid. Check the number.",
            "The tax ID does not match the company name."
        ]
    );
    assert_eq!(tax.restricts.len(), 2);
    assert_eq!(tax.restricts[1].capability, "stripe_balance.payouts");
    assert_eq!(tax.restricts[1].configuration.as_deref(), Some("recipient"));
    assert_eq!(tax.restricts[1].status, Some(DueStatus::CurrentlyDue));
    assert_eq!(set.errors.len(), 2);
    assert_eq!(set.errors[0].label, "Company tax ID");
    assert_eq!(set.deadline, Some(1_893_553_445));
    assert_eq!(set.minimum_deadline_status, Some(DueStatus::CurrentlyDue));
    assert_eq!(set.disabled_reason, None);
}

#[test]
fn v2_past_due_awaiting_stripe_stays_past_due() {
    let input = V2Requirements {
        entries: vec![v2_entry(
            "identity.individual.documents.primary_verification",
            DueStatus::PastDue,
            "stripe",
        )],
        summary: None,
    };
    let set = RequirementSet::from_v2(&input);
    assert_eq!(
        labels(&set.past_due),
        ["Identity document of the representative"]
    );
    assert_eq!(
        set.past_due[0].awaiting_action_from,
        AwaitingActionFrom::Stripe
    );
    assert_eq!(set.minimum_deadline_status, Some(DueStatus::PastDue));
}

#[test]
fn labels_for_common_paths() {
    let cases = [
        ("business_profile.mcc", "Industry (business category)"),
        ("business_profile.url", "Business website"),
        ("business_profile.name", "Business name shown to customers"),
        (
            "business_profile.support_email",
            "Customer support email address",
        ),
        (
            "business_profile.support_address.city",
            "Customer support address (city)",
        ),
        ("business_profile.annual_revenue.amount", "Annual revenue"),
        ("business_type", "Business type"),
        ("company.name", "Company legal name"),
        ("company.tax_id", "Company tax ID"),
        ("company.phone", "Company phone number"),
        ("company.address.line1", "Company address (street)"),
        (
            "company.address.postal_code",
            "Company address (postal code)",
        ),
        ("company.address.state", "Company address (state or region)"),
        (
            "company.directors_provided",
            "Confirmation that all directors are listed",
        ),
        (
            "company.owners_provided",
            "Confirmation that all owners are listed",
        ),
        (
            "company.executives_provided",
            "Confirmation that all executives are listed",
        ),
        (
            "company.verification.document",
            "Company verification document",
        ),
        ("individual.dob.day", "Date of birth of the representative"),
        ("individual.dob.year", "Date of birth of the representative"),
        ("individual.first_name", "First name of the representative"),
        ("individual.last_name", "Last name of the representative"),
        (
            "individual.ssn_last_4",
            "Last 4 digits of the Social Security number of the representative",
        ),
        (
            "individual.id_number",
            "Government ID number of the representative",
        ),
        (
            "individual.address.city",
            "Address of the representative (city)",
        ),
        ("individual.email", "Email address of the representative"),
        ("individual.phone", "Phone number of the representative"),
        (
            "individual.verification.document",
            "Identity document of the representative",
        ),
        (
            "individual.verification.document.back",
            "Identity document of the representative",
        ),
        (
            "individual.verification.additional_document",
            "Additional document proving the address of the representative",
        ),
        (
            "individual.political_exposure",
            "Whether the representative is a politically exposed person",
        ),
        (
            "representative.first_name",
            "First name of the representative",
        ),
        (
            "representative.relationship.title",
            "Job title of the representative",
        ),
        (
            "representative.verification.document",
            "Identity document of the representative",
        ),
        (
            "person_1NqL2s.first_name",
            "First name of a person on the account",
        ),
        (
            "person_1NqL2s.relationship.owner",
            "Whether a person on the account is an owner",
        ),
        (
            "person_1NqL2s.relationship.percent_ownership",
            "Ownership percentage of a person on the account",
        ),
        ("owners.email", "Email address of an owner"),
        ("directors.dob.month", "Date of birth of a director"),
        ("executives.last_name", "Last name of an executive"),
        ("external_account", "Bank account or debit card for payouts"),
        (
            "tos_acceptance.date",
            "Acceptance of Stripe's terms of service",
        ),
        (
            "tos_acceptance.ip",
            "Acceptance of Stripe's terms of service",
        ),
        (
            "settings.payments.statement_descriptor",
            "Statement descriptor (the name on customers' card statements)",
        ),
        (
            "settings.card_payments.statement_descriptor_prefix",
            "Statement descriptor prefix",
        ),
        // v2 names (what `entries[].description` carries).
        ("identity.entity_type", "Business type"),
        (
            "identity.individual.surname",
            "Last name of the representative",
        ),
        (
            "identity.individual.id_numbers",
            "Government ID number of the representative",
        ),
        (
            "identity.business_details.registered_name",
            "Company legal name",
        ),
        (
            "identity.business_details.address.city",
            "Company address (city)",
        ),
        (
            "identity.attestations.persons_provided.owners",
            "Confirmation that all owners are listed",
        ),
        (
            "identity.attestations.terms_of_service.account.ip",
            "Acceptance of Stripe's terms of service",
        ),
        ("configuration.merchant.mcc", "Industry (business category)"),
        (
            "configuration.merchant.statement_descriptor.descriptor",
            "Statement descriptor (the name on customers' card statements)",
        ),
        (
            "configuration.recipient.default_outbound_destination",
            "Bank account or debit card for payouts",
        ),
        (
            "defaults.profile.product_description",
            "Description of products or services",
        ),
    ];
    for (path, label) in cases {
        assert_eq!(requirement_label(path), label, "{path}");
    }
}

#[test]
fn unknown_paths_get_a_readable_fallback() {
    assert_eq!(
        requirement_label("company.structure_foo"),
        "Company: structure foo"
    );
    assert_eq!(
        requirement_label("settings.payouts.some_new_thing"),
        "Settings: payouts some new thing"
    );
    assert_eq!(
        requirement_label("brand_new_requirement"),
        "Brand new requirement"
    );
    assert_eq!(
        requirement_label("individual.favourite_colour"),
        "Favourite colour of the representative"
    );
    assert_eq!(
        requirement_label("business_profile.new_field"),
        "Business profile: new field"
    );
    assert_eq!(requirement_label(""), "Information about the account");
    assert_eq!(
        requirement_label("relationship.title"),
        "Relationship: title"
    );
}

include!("stripe_error_codes.rs");

#[test]
fn every_stripe_error_code_has_its_own_reason() {
    let codes: Vec<&str> = ERROR_REASONS.iter().map(|(c, _)| *c).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "ERROR_REASONS must stay sorted and unique");
    for code in STRIPE_ERROR_CODES {
        assert!(codes.contains(code), "no plain reason for {code}");
        let reason = error_code_reason(code);
        assert!(
            reason.ends_with('.') && !reason.contains('_'),
            "{code}: {reason}"
        );
    }
}

#[test]
fn unknown_error_codes_still_read_as_sentences() {
    assert_eq!(
        error_code_reason("verification_document_brand_new"),
        "The document could not be verified. Upload a clear photo of a valid document."
    );
    assert_eq!(
        error_code_reason("something_else"),
        "The information could not be verified. Check it and submit it again."
    );
}
