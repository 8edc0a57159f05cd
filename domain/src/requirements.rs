//! What Stripe still needs from an account, as one view model for v1 accounts (`requirements` /
//! `future_requirements` lists) and v2 accounts (`requirements.entries[]`), with every requirement
//! named in words a person understands.
//!
//! The input structs mirror Stripe's JSON (so the cached `requirements` column deserializes
//! straight into them); [`RequirementSet`] is what the views render.

use serde::{Deserialize, Deserializer, Serialize};

use crate::calendar::parse_rfc3339;

/// Stripe sends `null` for empty lists on some accounts; both mean "nothing".
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------
// Stripe's shapes
// ---------------------------------------------------------------------------------------------

/// v1 `requirements` or `future_requirements` hash, as Stripe sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V1Requirements {
    #[serde(default, deserialize_with = "null_as_default")]
    pub alternatives: Vec<V1Alternative>,
    /// Unix seconds.
    #[serde(default)]
    pub current_deadline: Option<i64>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub currently_due: Vec<String>,
    #[serde(default)]
    pub disabled_reason: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<V1RequirementError>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub eventually_due: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub past_due: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub pending_verification: Vec<String>,
}

/// v1 `alternatives[]`: `original_fields_due` can be resolved by giving `alternative_fields_due`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V1Alternative {
    #[serde(default, deserialize_with = "null_as_default")]
    pub alternative_fields_due: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub original_fields_due: Vec<String>,
}

/// v1 `errors[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V1RequirementError {
    pub code: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub reason: String,
    pub requirement: String,
}

/// v2 `requirements` or `future_requirements` (`?include=requirements`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2Requirements {
    #[serde(default, deserialize_with = "null_as_default")]
    pub entries: Vec<V2RequirementEntry>,
    #[serde(default)]
    pub summary: Option<V2Summary>,
}

/// One v2 `requirements.entries[]` item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2RequirementEntry {
    /// `user` or `stripe`.
    #[serde(default)]
    pub awaiting_action_from: Option<String>,
    /// The requirement's machine name, e.g. `identity.individual.given_name`.
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<V2RequirementError>,
    #[serde(default)]
    pub impact: Option<V2Impact>,
    #[serde(default)]
    pub minimum_deadline: Option<V2Deadline>,
    #[serde(default)]
    pub reference: Option<V2Reference>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub requested_reasons: Vec<V2RequestedReason>,
}

/// v2 `entries[].errors[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2RequirementError {
    pub code: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
}

/// v2 `entries[].impact`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2Impact {
    #[serde(default, deserialize_with = "null_as_default")]
    pub restricts_capabilities: Vec<V2RestrictedCapability>,
}

/// v2 `impact.restricts_capabilities[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2RestrictedCapability {
    pub capability: String,
    #[serde(default)]
    pub configuration: Option<String>,
    #[serde(default)]
    pub deadline: Option<V2Deadline>,
}

/// v2 `{status}` deadline objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2Deadline {
    pub status: DueStatus,
}

/// v2 `entries[].reference`: where the requirement lives (a person, a payment method, an inquiry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2Reference {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub inquiry: Option<String>,
    #[serde(default)]
    pub resource: Option<String>,
}

/// v2 `entries[].requested_reasons[]` (`routine_onboarding`, `routine_verification`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2RequestedReason {
    pub code: String,
}

/// v2 `requirements.summary`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2Summary {
    #[serde(default)]
    pub minimum_deadline: Option<V2SummaryDeadline>,
}

/// v2 `summary.minimum_deadline`; `time` is RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct V2SummaryDeadline {
    pub status: DueStatus,
    #[serde(default)]
    pub time: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The view model
// ---------------------------------------------------------------------------------------------

/// How urgent a requirement is: v2's `minimum_deadline.status`, and the v1 list it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    EventuallyDue,
    CurrentlyDue,
    PastDue,
    /// A value Stripe added after this code was written; treated as due now to stay safe.
    #[serde(other)]
    Unknown,
}

impl DueStatus {
    /// Stripe's wire value (`unknown` for values this code does not know).
    pub fn as_str(self) -> &'static str {
        match self {
            DueStatus::EventuallyDue => "eventually_due",
            DueStatus::CurrentlyDue => "currently_due",
            DueStatus::PastDue => "past_due",
            DueStatus::Unknown => "unknown",
        }
    }
}

/// Who has to act next on a requirement (v2 `awaiting_action_from`; v1 `pending_verification`
/// means Stripe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwaitingActionFrom {
    User,
    Stripe,
}

/// A capability that a v2 requirement restricts if it is not provided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityImpact {
    pub capability: String,
    /// `merchant`, `recipient` or `customer`.
    pub configuration: Option<String>,
    pub status: Option<DueStatus>,
}

/// One line of the requirements view: one thing a person provides, even when Stripe lists it as
/// several fields (date of birth is three).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The Stripe field paths this line stands for (for support staff and for matching errors).
    pub fields: Vec<String>,
    /// What to provide, in plain words.
    pub label: String,
    /// Other things that would satisfy this line instead (v1 `alternatives`), each a label.
    pub alternatives: Vec<String>,
    /// Why what was sent was not accepted, in plain words.
    pub errors: Vec<String>,
    pub awaiting_action_from: AwaitingActionFrom,
    /// v2 only: what stops working if this is not provided.
    pub restricts: Vec<CapabilityImpact>,
}

impl Requirement {
    /// The label with its alternatives, e.g. `Identity document of the representative or Last 4
    /// digits of the Social Security number of the representative`.
    pub fn display_label(&self) -> String {
        std::iter::once(self.label.as_str())
            .chain(self.alternatives.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// A verification error, listed apart so the view can show Stripe's reason next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementProblem {
    /// The Stripe field path (v1 `requirement`, v2 entry `description`).
    pub field: String,
    /// The field in plain words.
    pub label: String,
    pub code: String,
    /// Stripe's own reason when it gave one, else a plain sentence for the code.
    pub reason: String,
}

/// Everything Stripe needs in one `requirements` (or `future_requirements`) hash. The four lists
/// are disjoint: Stripe's v1 `eventually_due` also contains `currently_due`, which contains
/// `past_due`; here each requirement appears once, in its most urgent list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementSet {
    pub past_due: Vec<Requirement>,
    pub currently_due: Vec<Requirement>,
    pub eventually_due: Vec<Requirement>,
    /// Given, and now being checked by Stripe: nothing to do but wait.
    pub pending_verification: Vec<Requirement>,
    pub errors: Vec<RequirementProblem>,
    /// Unix seconds: v1 `current_deadline`, v2 `summary.minimum_deadline.time`.
    pub deadline: Option<i64>,
    /// v1 only (v2 accounts have no such field).
    pub disabled_reason: Option<String>,
    /// The strictest status among the requirements (v2 `summary.minimum_deadline.status`).
    pub minimum_deadline_status: Option<DueStatus>,
}

/// An account's requirements now and the ones announced for later, kept apart because future
/// requirements do not restrict the account until their own deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRequirements {
    pub current: RequirementSet,
    pub future: RequirementSet,
}

impl AccountRequirements {
    /// From a v1 account's `requirements` and `future_requirements`.
    pub fn from_v1(requirements: &V1Requirements, future: &V1Requirements) -> Self {
        AccountRequirements {
            current: RequirementSet::from_v1(requirements),
            future: RequirementSet::from_v1(future),
        }
    }

    /// From a v2 account's `requirements` and `future_requirements`.
    pub fn from_v2(requirements: &V2Requirements, future: &V2Requirements) -> Self {
        AccountRequirements {
            current: RequirementSet::from_v2(requirements),
            future: RequirementSet::from_v2(future),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    PastDue,
    CurrentlyDue,
    EventuallyDue,
    Pending,
}

impl Bucket {
    fn of(status: DueStatus) -> Bucket {
        match status {
            DueStatus::PastDue => Bucket::PastDue,
            DueStatus::EventuallyDue => Bucket::EventuallyDue,
            DueStatus::CurrentlyDue | DueStatus::Unknown => Bucket::CurrentlyDue,
        }
    }
}

/// Builds the lists keeping Stripe's order and merging fields that are one thing to provide.
#[derive(Default)]
struct Builder {
    lines: Vec<(Bucket, String, Requirement)>,
}

impl Builder {
    fn add(&mut self, bucket: Bucket, field: &str, awaiting: AwaitingActionFrom) -> usize {
        let described = describe(field);
        if let Some(i) = self
            .lines
            .iter()
            .position(|(b, group, _)| *b == bucket && *group == described.group)
        {
            let fields = &mut self.lines[i].2.fields;
            if !fields.iter().any(|f| f == field) {
                fields.push(field.to_string());
            }
            return i;
        }
        self.lines.push((
            bucket,
            described.group,
            Requirement {
                fields: vec![field.to_string()],
                label: described.label,
                alternatives: Vec::new(),
                errors: Vec::new(),
                awaiting_action_from: awaiting,
                restricts: Vec::new(),
            },
        ));
        self.lines.len() - 1
    }

    /// The line an error about `field` belongs to: the same field, or the same group (an error
    /// on `…verification.document.front` belongs to the identity document line).
    fn find(&self, field: &str) -> Option<usize> {
        let group = describe(field).group;
        self.lines
            .iter()
            .position(|(_, _, r)| r.fields.iter().any(|f| f == field))
            .or_else(|| self.lines.iter().position(|(_, g, _)| *g == group))
    }

    fn finish(self, set: &mut RequirementSet) {
        for (bucket, _, requirement) in self.lines {
            match bucket {
                Bucket::PastDue => set.past_due.push(requirement),
                Bucket::CurrentlyDue => set.currently_due.push(requirement),
                Bucket::EventuallyDue => set.eventually_due.push(requirement),
                Bucket::Pending => set.pending_verification.push(requirement),
            }
        }
    }
}

/// Labels for a list of fields, merged like the lists are, joined with "and".
fn joined_label(fields: &[String]) -> String {
    let mut labels: Vec<String> = Vec::new();
    for field in fields {
        let label = describe(field).label;
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(" and ")
}

impl RequirementSet {
    /// From a v1 `requirements` or `future_requirements` hash.
    pub fn from_v1(input: &V1Requirements) -> Self {
        let mut builder = Builder::default();

        // Alternatives first: their original fields become one line with "or" choices, grouped
        // by the set of original fields (several alternatives may resolve the same fields).
        let mut alternative_groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        for alternative in &input.alternatives {
            if alternative.original_fields_due.is_empty() {
                continue;
            }
            let mut key = alternative.original_fields_due.clone();
            key.sort();
            key.dedup();
            let choice = joined_label(&alternative.alternative_fields_due);
            match alternative_groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, choices)) if !choice.is_empty() && !choices.contains(&choice) => {
                    choices.push(choice)
                }
                Some(_) => {}
                None => alternative_groups.push((
                    key,
                    [choice].into_iter().filter(|c| !c.is_empty()).collect(),
                )),
            }
        }
        let mut covered: Vec<&str> = Vec::new();
        for (originals, choices) in &alternative_groups {
            let bucket = if originals.iter().any(|f| input.past_due.contains(f)) {
                Bucket::PastDue
            } else if originals.iter().any(|f| input.currently_due.contains(f))
                || !originals.iter().any(|f| input.eventually_due.contains(f))
            {
                // Stripe documents alternatives as fields that are due now.
                Bucket::CurrentlyDue
            } else {
                Bucket::EventuallyDue
            };
            builder.lines.push((
                bucket,
                format!("alternatives|{}", originals.join(",")),
                Requirement {
                    fields: originals.clone(),
                    label: joined_label(originals),
                    alternatives: choices.clone(),
                    errors: Vec::new(),
                    awaiting_action_from: AwaitingActionFrom::User,
                    restricts: Vec::new(),
                },
            ));
            covered.extend(originals.iter().map(String::as_str));
        }

        let mut seen: Vec<&str> = covered.clone();
        for (bucket, list) in [
            (Bucket::PastDue, &input.past_due),
            (Bucket::CurrentlyDue, &input.currently_due),
            (Bucket::EventuallyDue, &input.eventually_due),
        ] {
            for field in list {
                if !seen.contains(&field.as_str()) {
                    seen.push(field);
                    builder.add(bucket, field, AwaitingActionFrom::User);
                }
            }
        }
        for field in &input.pending_verification {
            builder.add(Bucket::Pending, field, AwaitingActionFrom::Stripe);
        }

        let mut set = RequirementSet {
            deadline: input.current_deadline,
            disabled_reason: input.disabled_reason.clone(),
            ..RequirementSet::default()
        };
        for error in &input.errors {
            let reason = if error.reason.trim().is_empty() {
                error_code_reason(&error.code)
            } else {
                error.reason.trim().to_string()
            };
            if let Some(i) = builder.find(&error.requirement) {
                let errors = &mut builder.lines[i].2.errors;
                if !errors.contains(&reason) {
                    errors.push(reason.clone());
                }
            }
            set.errors.push(RequirementProblem {
                field: error.requirement.clone(),
                label: requirement_label(&error.requirement),
                code: error.code.clone(),
                reason,
            });
        }
        builder.finish(&mut set);
        set.minimum_deadline_status = set.strictest_listed_status();
        set
    }

    /// From a v2 `requirements` or `future_requirements` object.
    pub fn from_v2(input: &V2Requirements) -> Self {
        let mut builder = Builder::default();
        let mut set = RequirementSet::default();
        for entry in &input.entries {
            let awaiting = match entry.awaiting_action_from.as_deref() {
                Some("stripe") => AwaitingActionFrom::Stripe,
                _ => AwaitingActionFrom::User,
            };
            let status = entry
                .minimum_deadline
                .map(|d| d.status)
                .unwrap_or(DueStatus::Unknown);
            // Past due stays in the past-due list even while Stripe looks at it: the account is
            // restricted until it is resolved.
            let bucket = match (awaiting, status) {
                (_, DueStatus::PastDue) => Bucket::PastDue,
                (AwaitingActionFrom::Stripe, _) => Bucket::Pending,
                (AwaitingActionFrom::User, status) => Bucket::of(status),
            };
            let i = builder.add(bucket, &entry.description, awaiting);
            let line = &mut builder.lines[i].2;
            if let Some(impact) = &entry.impact {
                for restricted in &impact.restricts_capabilities {
                    let item = CapabilityImpact {
                        capability: restricted.capability.clone(),
                        configuration: restricted.configuration.clone(),
                        status: restricted.deadline.map(|d| d.status),
                    };
                    if !line.restricts.contains(&item) {
                        line.restricts.push(item);
                    }
                }
            }
            for error in &entry.errors {
                let reason = if error.description.trim().is_empty() {
                    error_code_reason(&error.code)
                } else {
                    error.description.trim().to_string()
                };
                if !line.errors.contains(&reason) {
                    line.errors.push(reason.clone());
                }
                set.errors.push(RequirementProblem {
                    field: entry.description.clone(),
                    label: line.label.clone(),
                    code: error.code.clone(),
                    reason,
                });
            }
        }
        builder.finish(&mut set);
        let summary = input
            .summary
            .as_ref()
            .and_then(|s| s.minimum_deadline.as_ref());
        set.deadline = summary
            .and_then(|d| d.time.as_deref())
            .and_then(parse_rfc3339);
        set.minimum_deadline_status = summary
            .map(|d| d.status)
            .or_else(|| set.strictest_listed_status());
        set
    }

    fn strictest_listed_status(&self) -> Option<DueStatus> {
        if !self.past_due.is_empty() {
            Some(DueStatus::PastDue)
        } else if !self.currently_due.is_empty() {
            Some(DueStatus::CurrentlyDue)
        } else if !self.eventually_due.is_empty() {
            Some(DueStatus::EventuallyDue)
        } else {
            None
        }
    }

    /// Nothing listed at all (no due, no pending, no errors).
    pub fn is_empty(&self) -> bool {
        self.past_due.is_empty()
            && self.currently_due.is_empty()
            && self.eventually_due.is_empty()
            && self.pending_verification.is_empty()
            && self.errors.is_empty()
    }

    /// The account holder must provide something now (past due or currently due), which is what
    /// decides between "action required" and "active".
    pub fn needs_action_now(&self) -> bool {
        !self.past_due.is_empty() || !self.currently_due.is_empty()
    }

    /// How many lines the view lists as due (past, now, eventually), e.g. for a badge.
    pub fn due_count(&self) -> usize {
        self.past_due.len() + self.currently_due.len() + self.eventually_due.len()
    }
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

struct Described {
    label: String,
    /// Fields with the same group are one thing to provide (and one line in the view).
    group: String,
}

/// The requirement path in words a person understands, e.g. `individual.dob.day` → "Date of
/// birth of the representative". Works for v1 paths and v2 `entries[].description` names;
/// unknown paths get a readable fallback (`company.structure_foo` → "Company: structure foo").
pub fn requirement_label(path: &str) -> String {
    describe(path).label
}

fn describe(path: &str) -> Described {
    let path = path.trim();
    let (person_id, label) = label_and_subject(path);
    Described {
        group: format!("{person_id}|{label}"),
        label,
    }
}

#[derive(Clone, Copy)]
enum Who {
    Representative,
    SomePerson,
    Owner,
    Director,
    Executive,
}

impl Who {
    fn phrase(self) -> &'static str {
        match self {
            Who::Representative => "the representative",
            Who::SomePerson => "a person on the account",
            Who::Owner => "an owner",
            Who::Director => "a director",
            Who::Executive => "an executive",
        }
    }
}

/// The label, and for persons named by id the id, so two persons' fields are not merged.
fn label_and_subject(path: &str) -> (String, String) {
    let person_prefixes: [(&str, Who); 7] = [
        ("individual.", Who::Representative),
        ("representative.", Who::Representative),
        ("identity.individual.", Who::Representative),
        ("identity.persons.representative.", Who::Representative),
        ("owners.", Who::Owner),
        ("directors.", Who::Director),
        ("executives.", Who::Executive),
    ];
    for (prefix, who) in person_prefixes {
        if let Some(rest) = path.strip_prefix(prefix) {
            return (String::new(), person_label(who, rest));
        }
    }
    if let Some((first, rest)) = path.split_once('.') {
        if first.starts_with("person_") {
            return (first.to_string(), person_label(Who::SomePerson, rest));
        }
    }
    (String::new(), account_label(path))
}

/// `address.city` → ("Address", Some("city")).
fn address_part(rest: &str) -> Option<&'static str> {
    Some(match rest {
        "line1" => "street",
        "line2" => "line 2",
        "city" => "city",
        "town" => "town",
        "postal_code" => "postal code",
        "state" => "state or region",
        "country" => "country",
        _ => return None,
    })
}

fn address_label(noun: &str, rest: Option<&str>) -> String {
    match rest.map(|r| {
        address_part(r)
            .map(str::to_string)
            .unwrap_or_else(|| humanize(r))
    }) {
        Some(part) => format!("{noun} ({part})"),
        None => noun.to_string(),
    }
}

fn person_label(who: Who, rest: &str) -> String {
    let whom = who.phrase();
    let of = |noun: &str| format!("{noun} of {whom}");
    let is = |role: &str| format!("Whether {whom} is {role}");
    let first = rest.split('.').next().unwrap_or(rest);
    match rest {
        "first_name" | "given_name" => of("First name"),
        "last_name" | "surname" => of("Last name"),
        "maiden_name" => of("Maiden name"),
        "full_name_aliases" => of("Other names used"),
        "email" => of("Email address"),
        "phone" => of("Phone number"),
        "ssn_last_4" => of("Last 4 digits of the Social Security number"),
        "id_number_secondary" => of("Secondary government ID number"),
        "nationality" | "nationalities" => of("Nationality"),
        "gender" => of("Gender"),
        "political_exposure" => is("a politically exposed person"),
        "relationship.title" | "relationships.title" => of("Job title"),
        "relationship.owner" | "relationships.owner" => is("an owner"),
        "relationship.director" | "relationships.director" => is("a director"),
        "relationship.executive" | "relationships.executive" => is("an executive"),
        "relationship.representative" | "relationships.representative" => is("the representative"),
        "relationship.percent_ownership" | "relationships.percent_ownership" => {
            of("Ownership percentage")
        }
        _ => match first {
            "dob" | "date_of_birth" => of("Date of birth"),
            "id_number" | "id_numbers" => of("Government ID number"),
            "address" | "registered_address" => {
                let noun = if first == "address" {
                    "Address"
                } else {
                    "Registered address"
                };
                match rest.split_once('.').map(|(_, part)| part) {
                    Some(part) => format!(
                        "{noun} of {whom} ({})",
                        address_part(part)
                            .map(str::to_string)
                            .unwrap_or_else(|| humanize(part))
                    ),
                    None => of(noun),
                }
            }
            "verification" | "documents" => {
                if rest.starts_with("verification.document")
                    || rest.starts_with("documents.primary_verification")
                {
                    of("Identity document")
                } else if rest.starts_with("verification.additional_document")
                    || rest.starts_with("documents.secondary_verification")
                {
                    of("Additional document proving the address")
                } else {
                    of(&capitalize(&humanize(rest)))
                }
            }
            _ => of(&capitalize(&humanize(rest))),
        },
    }
}

fn company_label(rest: &str) -> String {
    let first = rest.split('.').next().unwrap_or(rest);
    let tail = rest.split_once('.').map(|(_, t)| t);
    match rest {
        "name" | "registered_name" => "Company legal name".into(),
        "tax_id" => "Company tax ID".into(),
        "vat_id" => "Company VAT number".into(),
        "registration_number" => "Company registration number".into(),
        "registration_date" => "Company registration date".into(),
        "phone" => "Company phone number".into(),
        "structure" => "Company structure".into(),
        "tax_id_registrar" => "Company tax ID registrar".into(),
        "directors_provided" => "Confirmation that all directors are listed".into(),
        "owners_provided" => "Confirmation that all owners are listed".into(),
        "executives_provided" => "Confirmation that all executives are listed".into(),
        "ownership_exemption_reason" => "Why the company has no owners to list".into(),
        "estimated_worker_count" => "Number of employees".into(),
        _ => match first {
            "id_numbers" => "Company tax ID".into(),
            "address" => address_label("Company address", tail),
            "registered_address" => address_label("Company registered address", tail),
            "verification" | "documents" => "Company verification document".into(),
            "ownership_declaration" => "Ownership declaration".into(),
            "directorship_declaration" => "Directorship declaration".into(),
            "annual_revenue" => "Annual revenue".into(),
            _ => format!("Company: {}", humanize(rest)),
        },
    }
}

fn business_profile_label(rest: &str) -> String {
    let first = rest.split('.').next().unwrap_or(rest);
    let tail = rest.split_once('.').map(|(_, t)| t);
    match rest {
        "mcc" => "Industry (business category)".into(),
        "url" | "business_url" => "Business website".into(),
        "product_description" => "Description of products or services".into(),
        "name" | "doing_business_as" => "Business name shown to customers".into(),
        "support_phone" => "Customer support phone number".into(),
        "support_email" => "Customer support email address".into(),
        "support_url" => "Customer support website".into(),
        "estimated_worker_count" => "Number of employees".into(),
        _ => match first {
            "support_address" => address_label("Customer support address", tail),
            "annual_revenue" => "Annual revenue".into(),
            "monthly_estimated_revenue" => "Estimated monthly revenue".into(),
            _ => format!("Business profile: {}", humanize(rest)),
        },
    }
}

fn account_label(path: &str) -> String {
    const TOS: &str = "Acceptance of Stripe's terms of service";
    const PAYOUT_ACCOUNT: &str = "Bank account or debit card for payouts";
    const DESCRIPTOR: &str = "Statement descriptor (the name on customers' card statements)";
    match path {
        "business_type" | "identity.entity_type" => return "Business type".into(),
        "identity.country" => return "Country".into(),
        "external_account" => return PAYOUT_ACCOUNT.into(),
        "configuration.merchant.mcc" => return business_profile_label("mcc"),
        "settings.payments.statement_descriptor" => return DESCRIPTOR.into(),
        "settings.card_payments.statement_descriptor_prefix" => {
            return "Statement descriptor prefix".into()
        }
        "identity.attestations.persons_provided.owners" => return company_label("owners_provided"),
        "identity.attestations.persons_provided.directors" => {
            return company_label("directors_provided")
        }
        "identity.attestations.persons_provided.executives" => {
            return company_label("executives_provided")
        }
        "identity.attestations.persons_provided.ownership_exemption_reason" => {
            return company_label("ownership_exemption_reason")
        }
        _ => {}
    }
    if path == "tos_acceptance"
        || path.starts_with("tos_acceptance.")
        || path.starts_with("identity.attestations.terms_of_service")
    {
        return TOS.into();
    }
    if path.starts_with("external_account.")
        || path.starts_with("configuration.recipient.default_outbound_destination")
    {
        return PAYOUT_ACCOUNT.into();
    }
    if path.starts_with("configuration.merchant.statement_descriptor") {
        return DESCRIPTOR.into();
    }
    if let Some(rest) = path.strip_prefix("identity.attestations.") {
        let first = rest.split('.').next().unwrap_or(rest);
        return company_label(first);
    }
    for (prefix, labeller) in [
        ("company.", company_label as fn(&str) -> String),
        ("identity.business_details.", company_label),
        ("business_profile.", business_profile_label),
        ("defaults.profile.", business_profile_label),
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            return labeller(rest);
        }
    }
    fallback_label(path)
}

/// `settings.payouts.foo_bar` → "Settings: payouts foo bar".
fn fallback_label(path: &str) -> String {
    let mut parts = path.split('.').filter(|p| !p.is_empty());
    let head = capitalize(&humanize(parts.next().unwrap_or("")));
    let rest: Vec<String> = parts.map(humanize).collect();
    match (head.is_empty(), rest.is_empty()) {
        (true, _) => "Information about the account".into(),
        (false, true) => head,
        (false, false) => format!("{head}: {}", rest.join(" ")),
    }
}

fn humanize(part: &str) -> String {
    part.split(['_', '.'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Error codes
// ---------------------------------------------------------------------------------------------

/// A plain sentence for a verification error code, used when Stripe sends no `reason` (or v2
/// `description`). Unknown codes get a generic sentence rather than the raw code.
pub fn error_code_reason(code: &str) -> String {
    let known = ERROR_REASONS
        .binary_search_by(|(c, _)| c.cmp(&code))
        .ok()
        .map(|i| ERROR_REASONS[i].1);
    match known {
        Some(reason) => reason.to_string(),
        None if code.starts_with("verification_document_") => {
            "The document could not be verified. Upload a clear photo of a valid document.".into()
        }
        None if code.starts_with("invalid_url_") => {
            "The website could not be used to verify the business. Check the address and the site's content.".into()
        }
        None => "The information could not be verified. Check it and submit it again.".into(),
    }
}

/// Sorted by code (a test checks), searched with binary search.
const ERROR_REASONS: &[(&str, &str)] = &[
    ("external_request", "Stripe is waiting for information from a third party to verify this."),
    ("information_missing", "Some required information is missing. Fill in every field that is asked for."),
    ("invalid_address_city_state_postal_code", "The city, state and postal code do not match. Check the address."),
    ("invalid_address_cmra_address", "This address is a commercial mail receiving agency. Use the address where the business operates."),
    ("invalid_address_highway_contract_box", "Highway contract boxes are not accepted. Use a street address."),
    ("invalid_address_private_mailbox", "Private mailboxes are not accepted. Use a street address."),
    ("invalid_address_registered_agent_address", "A registered agent's address is not accepted here. Use the address where the business operates."),
    ("invalid_business_profile_name", "The business name shown to customers is not valid. Use a name customers will recognise."),
    ("invalid_business_profile_name_denylisted", "This business name cannot be used. Use the name customers know the business by."),
    ("invalid_company_name_denylisted", "This company name cannot be used. Enter the company's legal name."),
    ("invalid_dob_age_over_maximum", "The date of birth gives an age over 120 years. Check the date."),
    ("invalid_dob_age_under_18", "The person must be at least 18 years old."),
    ("invalid_dob_age_under_minimum", "The person is younger than the minimum age allowed."),
    ("invalid_product_description_length", "The description of products or services is too short. Describe what the business sells in more detail."),
    ("invalid_product_description_url_match", "The product description must not just repeat the website address. Describe what the business sells."),
    ("invalid_representative_country", "The representative's country is not supported for this account."),
    ("invalid_signator", "This person is not authorised to sign for the business."),
    ("invalid_statement_descriptor_business_mismatch", "The statement descriptor does not match the business name or website."),
    ("invalid_statement_descriptor_denylisted", "This statement descriptor cannot be used. Choose one that customers will recognise."),
    ("invalid_statement_descriptor_length", "The statement descriptor must be between 5 and 22 characters."),
    ("invalid_statement_descriptor_prefix_denylisted", "This statement descriptor prefix cannot be used."),
    ("invalid_statement_descriptor_prefix_mismatch", "The statement descriptor prefix does not match the business name."),
    ("invalid_street_address", "The street address could not be found. Check it and enter it again."),
    ("invalid_tax_id", "The tax ID is not valid. Check the number."),
    ("invalid_tax_id_format", "The tax ID has the wrong format. Check the number of digits."),
    ("invalid_tos_acceptance", "The terms of service acceptance is not valid. Accept the terms again."),
    ("invalid_url_denylisted", "This website cannot be used. Provide the business's own website."),
    ("invalid_url_format", "The website address is not valid. Enter it like https://example.com."),
    ("invalid_url_web_presence_detected", "The business appears to have a website or social media page. Provide its address."),
    ("invalid_url_website_business_information_mismatch", "The website's information does not match the business details given."),
    ("invalid_url_website_empty", "The website has no content. Add details of the business and what it sells."),
    ("invalid_url_website_inaccessible", "The website could not be reached. Check that it is online."),
    ("invalid_url_website_inaccessible_geoblocked", "The website blocks visitors from some countries. Make it reachable for Stripe's review."),
    ("invalid_url_website_inaccessible_password_protected", "The website is password protected. Remove the password or give another address."),
    ("invalid_url_website_incomplete", "The website is missing required information about the business."),
    ("invalid_url_website_incomplete_cancellation_policy", "The website needs a cancellation policy."),
    ("invalid_url_website_incomplete_customer_service_details", "The website needs customer service contact details."),
    ("invalid_url_website_incomplete_legal_restrictions", "The website needs to state the legal restrictions on what it sells."),
    ("invalid_url_website_incomplete_refund_policy", "The website needs a refund policy."),
    ("invalid_url_website_incomplete_return_policy", "The website needs a return policy."),
    ("invalid_url_website_incomplete_terms_and_conditions", "The website needs terms and conditions."),
    ("invalid_url_website_incomplete_under_construction", "The website is still under construction. Finish it or give another address."),
    ("invalid_url_website_other", "The website could not be used to verify the business."),
    ("invalid_value_other", "This value is not valid. Check it and enter it again."),
    ("unresolvable_ip_address", "The IP address recorded with the terms of service could not be located."),
    ("unresolvable_postal_code", "The postal code could not be found. Check it."),
    ("unsupported_business_type", "This business type is not supported."),
    ("verification_directors_mismatch", "The directors listed do not match the public registry. Update the list of directors."),
    ("verification_document_address_mismatch", "The address on the document does not match the address given."),
    ("verification_document_address_missing", "The document does not show an address. Upload one that does."),
    ("verification_document_corrupt", "The uploaded file is damaged. Upload it again."),
    ("verification_document_country_not_supported", "Documents from this country are not accepted. Upload a document from a supported country."),
    ("verification_document_directors_mismatch", "The directors on the document do not match the directors listed."),
    ("verification_document_dob_mismatch", "The date of birth on the document does not match the one given."),
    ("verification_document_duplicate_type", "The same type of document was uploaded twice. Upload a different document."),
    ("verification_document_expired", "The document has expired. Upload a valid one."),
    ("verification_document_failed_copy", "The document looks like a copy. Upload a photo of the original."),
    ("verification_document_failed_greyscale", "The document is in black and white. Upload a colour image."),
    ("verification_document_failed_other", "The document could not be verified. Upload a clear photo of a valid document."),
    ("verification_document_failed_test_mode", "In test mode, use Stripe's test document images."),
    ("verification_document_fraudulent", "The document appears to be altered or fraudulent."),
    ("verification_document_id_number_mismatch", "The ID number on the document does not match the one given."),
    ("verification_document_id_number_missing", "The document does not show an ID number. Upload one that does."),
    ("verification_document_incomplete", "Part of the document is missing. Upload a photo showing the whole document."),
    ("verification_document_invalid", "This type of document is not accepted. Upload an accepted identity document."),
    ("verification_document_issue_or_expiry_date_missing", "The document's issue or expiry date is missing or unreadable."),
    ("verification_document_manipulated", "The document appears to have been altered."),
    ("verification_document_missing_back", "The back of the document is missing. Upload both sides."),
    ("verification_document_missing_front", "The front of the document is missing. Upload both sides."),
    ("verification_document_name_mismatch", "The name on the document does not match the name given."),
    ("verification_document_name_missing", "The document does not show a name. Upload one that does."),
    ("verification_document_nationality_mismatch", "The nationality on the document does not match the one given."),
    ("verification_document_not_readable", "The document could not be read. Upload a sharper, well-lit photo."),
    ("verification_document_not_signed", "The document is not signed. Upload a signed copy."),
    ("verification_document_not_uploaded", "The document was not uploaded. Upload it again."),
    ("verification_document_photo_mismatch", "The photo on the document does not match the person."),
    ("verification_document_too_large", "The file is too large. Upload a smaller image (under 10 MB)."),
    ("verification_document_type_not_supported", "This type of document is not accepted. Upload an accepted document."),
    ("verification_extraneous_directors", "More directors are listed than the public registry shows. Remove those who are not directors."),
    ("verification_failed_address_match", "The address could not be matched. Check it or upload a document proving it."),
    ("verification_failed_authorizer_authority", "The person who authorised this could not be verified as allowed to act for the business."),
    ("verification_failed_business_iec_number", "The Importer-Exporter Code could not be verified."),
    ("verification_failed_document_match", "The document does not match the details given."),
    ("verification_failed_id_number_match", "The ID number does not match the name and date of birth given."),
    ("verification_failed_keyed_identity", "The person's identity could not be verified from the details given. Check them or upload an identity document."),
    ("verification_failed_keyed_match", "The details given do not match official records."),
    ("verification_failed_name_match", "The name does not match official records."),
    ("verification_failed_other", "Verification failed. Check the details or upload a document."),
    ("verification_failed_representative_authority", "The representative could not be verified as allowed to act for the business."),
    ("verification_failed_residential_address", "The address must be a residential address, not a business address."),
    ("verification_failed_tax_id_match", "The tax ID does not match the company name. Check both."),
    ("verification_failed_tax_id_not_issued", "This tax ID has not been issued. Check the number."),
    ("verification_legal_entity_structure_mismatch", "The business structure does not match official records."),
    ("verification_missing_directors", "Directors are missing. Add all of the company's directors."),
    ("verification_missing_executives", "Executives are missing. Add the company's executives."),
    ("verification_missing_owners", "Owners are missing. Add everyone who owns 25% or more of the company."),
    ("verification_rejected_ownership_exemption_reason", "The reason given for listing no owners was not accepted."),
    ("verification_requires_additional_memorandum_of_associations", "A memorandum of association is needed. Upload it."),
    ("verification_requires_additional_proof_of_registration", "Additional proof of registration is needed. Upload it."),
    ("verification_selfie_document_missing_photo", "The identity document used for the selfie check has no photo."),
    ("verification_selfie_face_mismatch", "The selfie does not match the photo on the identity document."),
    ("verification_selfie_manipulated", "The selfie appears to have been altered."),
    ("verification_selfie_unverified_other", "The selfie could not be verified. Take it again."),
    ("verification_supportability", "Stripe cannot support this business. Contact support to learn more."),
    ("verification_token_stale", "The verification session expired. Start it again."),
];

#[cfg(test)]
mod tests;
