//! Dispute: a cardholder questioned a charge with their bank.
//!
//! Fields as in the `Dispute` type of Stripe's Python SDK (`stripe/_dispute.py`, generated from
//! Stripe's OpenAPI spec); only those the portal reads.

use serde::Deserialize;

use super::{id_or_object, null_default, optional_id_or_object, Metadata};

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Dispute {
    pub id: String,
    /// Minor units of `currency`: usually the charge's amount, not always.
    pub amount: i64,
    pub currency: String,
    /// The disputed charge (an id, or the charge when expanded: its id is kept).
    #[serde(deserialize_with = "id_or_object")]
    pub charge: String,
    #[serde(default, deserialize_with = "optional_id_or_object")]
    pub payment_intent: Option<String>,
    pub created: i64,
    /// `bank_cannot_process`, `fraudulent`, … (`domain::disputes::reason_label`).
    pub reason: String,
    /// `needs_response`, `under_review`, `won`, … (`domain::disputes::DisputeStatus`).
    pub status: String,
    pub evidence_details: EvidenceDetails,
    #[serde(default)]
    pub is_charge_refundable: bool,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Metadata,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct EvidenceDetails {
    /// When evidence is due; 0 when the bank allows no response.
    #[serde(default)]
    pub due_by: Option<i64>,
    #[serde(default)]
    pub has_evidence: bool,
    #[serde(default)]
    pub past_due: bool,
    #[serde(default)]
    pub submission_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_and_expanded_objects_alike() {
        let d: Dispute = serde_json::from_value(serde_json::json!({
            "id": "dp_1", "amount": 500, "currency": "eur", "charge": {"id": "ch_1", "object": "charge"},
            "payment_intent": null, "created": 10, "reason": "fraudulent", "status": "needs_response",
            "evidence_details": {"due_by": 0, "has_evidence": false, "past_due": false, "submission_count": 0},
            "metadata": null
        }))
        .unwrap();
        assert_eq!(d.charge, "ch_1");
        assert_eq!(d.payment_intent, None);
        assert_eq!(d.evidence_details.due_by, Some(0));
        let d: Dispute = serde_json::from_value(serde_json::json!({
            "id": "dp_2", "amount": 5, "currency": "usd", "charge": "ch_2", "payment_intent": "pi_2",
            "created": 11, "reason": "general", "status": "won", "evidence_details": {}
        }))
        .unwrap();
        assert_eq!(
            (d.charge.as_str(), d.payment_intent.as_deref()),
            ("ch_2", Some("pi_2"))
        );
    }
}
