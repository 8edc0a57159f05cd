//! Refunds as Stripe reports them: the `status` and `reason` values of the `Refund` type of
//! Stripe's Python SDK (`stripe/_refund.py`, generated from Stripe's OpenAPI spec). A value
//! Stripe adds later is shown as Stripe names it.

/// `refund.status` in words.
pub fn status_label(status: &str) -> String {
    match status {
        "pending" => "Pending",
        "requires_action" => "Requires action",
        "succeeded" => "Succeeded",
        "failed" => "Failed",
        "canceled" => "Cancelled",
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// `refund.reason` in words.
pub fn reason_label(reason: &str) -> String {
    match reason {
        "duplicate" => "Duplicate",
        "expired_uncaptured_charge" => "Uncaptured payment expired",
        "fraudulent" => "Fraudulent",
        "requested_by_customer" => "Requested by the customer",
        other => return other.replace('_', " "),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_in_words_others_as_stripe_names_them() {
        assert_eq!(status_label("requires_action"), "Requires action");
        assert_eq!(status_label("some_new_state"), "some new state");
        assert_eq!(
            reason_label("requested_by_customer"),
            "Requested by the customer"
        );
    }
}
