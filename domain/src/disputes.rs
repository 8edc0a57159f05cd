//! Disputes, as Stripe reports them on the `dispute` object.
//!
//! Source for every value here: the `Dispute` type of Stripe's official Python SDK
//! (`stripe/_dispute.py`, generated from Stripe's OpenAPI spec): the `status` values, the
//! `reason` values, and `evidence_details.due_by` ("Will be 0 if the customer's bank or credit
//! card company doesn't allow a response for this particular dispute").

use crate::calendar::moment_label;

/// `dispute.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisputeStatus {
    WarningNeedsResponse,
    WarningUnderReview,
    WarningClosed,
    NeedsResponse,
    UnderReview,
    Won,
    Lost,
    Prevented,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 8] = [
        DisputeStatus::WarningNeedsResponse,
        DisputeStatus::WarningUnderReview,
        DisputeStatus::WarningClosed,
        DisputeStatus::NeedsResponse,
        DisputeStatus::UnderReview,
        DisputeStatus::Won,
        DisputeStatus::Lost,
        DisputeStatus::Prevented,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::WarningNeedsResponse => "warning_needs_response",
            DisputeStatus::WarningUnderReview => "warning_under_review",
            DisputeStatus::WarningClosed => "warning_closed",
            DisputeStatus::NeedsResponse => "needs_response",
            DisputeStatus::UnderReview => "under_review",
            DisputeStatus::Won => "won",
            DisputeStatus::Lost => "lost",
            DisputeStatus::Prevented => "prevented",
        }
    }

    pub fn parse(value: &str) -> Option<DisputeStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The statuses of a dispute that is not decided yet (`warning_*` are inquiries, which can
    /// still become chargebacks). The SQL of the disputes table lists the same ones.
    pub const OPEN: [DisputeStatus; 4] = [
        DisputeStatus::WarningNeedsResponse,
        DisputeStatus::WarningUnderReview,
        DisputeStatus::NeedsResponse,
        DisputeStatus::UnderReview,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Evidence can (and should) still be submitted, by `evidence_details.due_by`.
    pub fn needs_response(self) -> bool {
        matches!(
            self,
            DisputeStatus::NeedsResponse | DisputeStatus::WarningNeedsResponse
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            DisputeStatus::WarningNeedsResponse => "Inquiry: needs a response",
            DisputeStatus::WarningUnderReview => "Inquiry: under review",
            DisputeStatus::WarningClosed => "Inquiry closed",
            DisputeStatus::NeedsResponse => "Needs a response",
            DisputeStatus::UnderReview => "Under review",
            DisputeStatus::Won => "Won",
            DisputeStatus::Lost => "Lost",
            DisputeStatus::Prevented => "Prevented",
        }
    }
}

/// `dispute.reason` in words; a reason Stripe adds later is shown as Stripe names it.
pub fn reason_label(reason: &str) -> String {
    let words = match reason {
        "bank_cannot_process" => "Bank cannot process",
        "check_returned" => "Check returned",
        "credit_not_processed" => "Credit not processed",
        "customer_initiated" => "Customer initiated",
        "debit_not_authorized" => "Debit not authorised",
        "duplicate" => "Duplicate",
        "fraudulent" => "Fraudulent",
        "general" => "General",
        "incorrect_account_details" => "Incorrect account details",
        "insufficient_funds" => "Insufficient funds",
        "noncompliant" => "Non-compliant",
        "product_not_received" => "Product not received",
        "product_unacceptable" => "Product unacceptable",
        "subscription_canceled" => "Subscription cancelled",
        "unrecognized" => "Unrecognised",
        other => return other.replace('_', " "),
    };
    words.to_string()
}

/// `evidence_details.due_by` as a deadline: Stripe sends 0 when no response is allowed.
pub fn response_deadline(due_by: Option<i64>) -> Option<i64> {
    due_by.filter(|t| *t > 0)
}

/// What a person reads about a dispute's deadline at `now`.
pub fn deadline_label(status: DisputeStatus, due_by: Option<i64>, now: i64) -> String {
    if !status.needs_response() {
        return match status {
            DisputeStatus::UnderReview | DisputeStatus::WarningUnderReview => {
                "Evidence submitted; the card issuer decides".to_string()
            }
            _ => "Closed".to_string(),
        };
    }
    match response_deadline(due_by) {
        None => "No response is possible for this dispute".to_string(),
        Some(t) if t <= now => format!("Deadline passed ({})", moment_label(t)),
        Some(t) => {
            let days = (t - now) / 86_400;
            let left = match days {
                0 => "less than a day left".to_string(),
                1 => "1 day left".to_string(),
                n => format!("{n} days left"),
            };
            format!("Respond by {} ({left})", moment_label(t))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_open_ones_are_undecided() {
        for s in DisputeStatus::ALL {
            assert_eq!(DisputeStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DisputeStatus::parse("closed"), None);
        let open: Vec<_> = DisputeStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, DisputeStatus::OPEN.to_vec());
        for decided in [
            DisputeStatus::Won,
            DisputeStatus::Lost,
            DisputeStatus::WarningClosed,
            DisputeStatus::Prevented,
        ] {
            assert!(!decided.is_open() && !decided.needs_response());
        }
        assert!(DisputeStatus::UnderReview.is_open());
        assert!(!DisputeStatus::UnderReview.needs_response());
    }

    #[test]
    fn reasons_in_words_and_unknown_ones_as_stripe_names_them() {
        assert_eq!(reason_label("product_not_received"), "Product not received");
        assert_eq!(reason_label("a_new_reason"), "a new reason");
    }

    #[test]
    fn deadline_zero_means_no_response_is_possible() {
        let now = 1_700_000_000;
        assert_eq!(response_deadline(Some(0)), None);
        assert_eq!(response_deadline(None), None);
        assert_eq!(
            deadline_label(DisputeStatus::NeedsResponse, Some(0), now),
            "No response is possible for this dispute"
        );
        assert!(deadline_label(
            DisputeStatus::NeedsResponse,
            Some(now + 3 * 86_400 + 5),
            now
        )
        .ends_with("(3 days left)"));
        assert!(
            deadline_label(DisputeStatus::WarningNeedsResponse, Some(now + 60), now)
                .ends_with("(less than a day left)")
        );
        assert!(
            deadline_label(DisputeStatus::NeedsResponse, Some(now - 1), now)
                .starts_with("Deadline passed")
        );
        assert_eq!(
            deadline_label(DisputeStatus::Won, Some(now + 60), now),
            "Closed"
        );
    }
}
