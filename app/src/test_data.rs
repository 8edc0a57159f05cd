//! Test-data tools: direct charges with the platform's application fee on a connected account,
//! a refund, and a payout, made through the real Stripe API with `Stripe-Account`. Only in test
//! modes (the offline Stripe emulator or `sk_test_` keys); with a live key they do not exist and
//! no Stripe call is made.
//!
//! An owner acts on their own account (no id from the browser); an admin names any account.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One thing a tool created (or tried to), for the report shown under the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedItem {
    /// "Payment", "Declined payment", "Disputed payment", "Refund", "Payout".
    pub kind: String,
    /// Stripe's id of the object (PaymentIntent, refund, payout).
    pub id: String,
    /// Amount and details in words, e.g. "$24.50 · Visa · fee $1.01".
    pub summary: String,
    /// False for the declined payment: it exists, as a failed payment.
    pub succeeded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TestDataReport {
    pub items: Vec<CreatedItem>,
}

/// Whether the tools exist here (test modes only). Anyone signed in may ask.
#[server]
pub async fn test_data_available() -> Result<bool, AppError> {
    crate::error::with_status(
        async {
            crate::auth::ssr::require_user().await?;
            Ok(crate::state::app_state()?.settings.stripe_mode.is_test())
        }
        .await,
    )
}

/// Creates `count` payments (plus a disputed and a declined one when asked). `account`: only
/// admins may name one; owners leave it out and get their own.
#[server]
pub async fn create_test_payments(
    account: Option<String>,
    count: u32,
    with_dispute: Option<String>,
    with_decline: Option<String>,
) -> Result<TestDataReport, AppError> {
    crate::error::with_status(
        ssr::create_test_payments(
            account,
            count,
            with_dispute.is_some(),
            with_decline.is_some(),
        )
        .await,
    )
}

/// Refunds the newest successful test payment that has not been refunded.
#[server]
pub async fn refund_test_payment(account: Option<String>) -> Result<TestDataReport, AppError> {
    crate::error::with_status(ssr::refund_test_payment(account).await)
}

/// Pays out the whole available balance in every currency, when the schedule is manual.
#[server]
pub async fn create_test_payout(account: Option<String>) -> Result<TestDataReport, AppError> {
    crate::error::with_status(ssr::create_test_payout(account).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{CreatedItem, TestDataReport};
    use crate::auth::{ssr as auth, Role};
    use crate::db::connected_accounts::{self, ConnectedAccountRow};
    use crate::error::AppError;
    use crate::state::{app_state, AppState};
    use crate::stripe_errors::to_app_error;
    use domain::money::format_amount;
    use domain::test_payments::{self, TestCard, TestPaymentOptions};
    use stripe_client::api::payments::{
        AutomaticPaymentMethods, CreatePaymentIntent, CreateRefund,
    };
    use stripe_client::api::payouts::CreatePayout;
    use stripe_client::api::ListParams;
    use stripe_client::error::ErrorKind;
    use stripe_client::models::payment::PaymentIntentStatus;
    use stripe_client::RequestOptions;

    /// Marks what the tools made, so "refund" picks a test payment and never a real one.
    const MARK: &str = "portal_test_data";

    /// The account to act on, after checking the caller may, and that this is a test mode.
    async fn target(account: Option<String>) -> Result<(AppState, ConnectedAccountRow), AppError> {
        let state = app_state()?;
        let row = match account.filter(|a| !a.is_empty()) {
            Some(id) => {
                auth::require_role(Role::Admin).await?;
                if !crate::account_sync::is_account_id(&id) {
                    return Err(AppError::NotFound);
                }
                connected_accounts::find_by_stripe_id(&state.db, &id)
                    .await?
                    .ok_or(AppError::NotFound)?
            }
            None => {
                let user = auth::require_user().await?;
                connected_accounts::find_by_owner(&state.db, user.id)
                    .await?
                    .ok_or_else(|| {
                        AppError::Conflict(
                            "You have no connected account yet: start onboarding first.".into(),
                        )
                    })?
            }
        };
        // Checked after the caller, so a live portal answers "no such tool" to everyone alike.
        if !state.settings.stripe_mode.is_test() {
            return Err(AppError::NotFound);
        }
        Ok((state, row))
    }

    fn opts(row: &ConnectedAccountRow) -> RequestOptions {
        RequestOptions::for_account(row.stripe_account_id.clone())
    }

    pub async fn create_test_payments(
        account: Option<String>,
        count: u32,
        with_dispute: bool,
        with_decline: bool,
    ) -> Result<TestDataReport, AppError> {
        let (state, row) = target(account).await?;
        let config = crate::platform::current(&state).await?;
        let options = TestPaymentOptions {
            count,
            with_dispute,
            with_decline,
        };
        let home = test_payments::home_currency(row.country.as_deref().unwrap_or("US"));
        let plan = test_payments::plan(options, home, rand::random())
            .map_err(|e| AppError::invalid("count", e.to_string()))?;
        let mut report = TestDataReport::default();
        for planned in plan {
            let fee = config
                .application_fee
                .fee_for(planned.amount, &planned.currency);
            let mut params = CreatePaymentIntent {
                amount: planned.amount,
                currency: planned.currency.clone(),
                payment_method: Some(planned.card.payment_method().to_string()),
                confirm: true,
                // Test cards never redirect; without this, Stripe's default automatic payment
                // methods may redirect and the confirm would need a `return_url` (Stripe's
                // `PaymentIntentAutomaticPaymentMethods.allow_redirects`, see stripe-client).
                automatic_payment_methods: Some(AutomaticPaymentMethods::without_redirects()),
                return_url: None,
                application_fee_amount: (fee > 0).then_some(fee),
                description: Some(planned.description.clone()),
                metadata: Default::default(),
            };
            params.metadata.insert(MARK.into(), "true".into());
            let summary = format!(
                "{} · {} · application fee {}",
                format_amount(planned.amount, &planned.currency),
                planned.card.label(),
                format_amount(fee, &planned.currency)
            );
            match state
                .stripe
                .create_payment_intent(&params, &opts(&row))
                .await
            {
                Ok(pi) => report.items.push(CreatedItem {
                    kind: if planned.card == TestCard::CreateDispute {
                        "Disputed payment".into()
                    } else {
                        "Payment".into()
                    },
                    id: pi.id,
                    summary,
                    succeeded: pi.status == PaymentIntentStatus::Succeeded,
                }),
                Err(err) => {
                    // The declined test card fails on purpose: Stripe keeps it as a failed
                    // payment and names it in the card error.
                    let declined = match err.kind() {
                        ErrorKind::Api(api) if api.error_type == "card_error" => {
                            api.payment_intent.as_ref().map(|pi| pi.id.clone())
                        }
                        _ => None,
                    };
                    match declined {
                        Some(id) if planned.card == TestCard::ChargeDeclined => {
                            report.items.push(CreatedItem {
                                kind: "Declined payment".into(),
                                id,
                                summary: format!("{summary} · declined by the card issuer"),
                                succeeded: false,
                            })
                        }
                        _ if report.items.is_empty() => {
                            return Err(to_app_error("create the test payment", &err))
                        }
                        // Keep what was made: the report says where it stopped.
                        _ => {
                            let AppError::Conflict(message) =
                                to_app_error("create the next test payment", &err)
                            else {
                                break;
                            };
                            report.items.push(CreatedItem {
                                kind: "Stopped".into(),
                                id: String::new(),
                                summary: message,
                                succeeded: false,
                            });
                            break;
                        }
                    }
                }
            }
        }
        tracing::info!(
            account = %row.stripe_account_id,
            created = report.items.len(),
            "test payments created"
        );
        Ok(report)
    }

    pub async fn refund_test_payment(account: Option<String>) -> Result<TestDataReport, AppError> {
        let (state, row) = target(account).await?;
        let recent = state
            .stripe
            .list_payment_intents(&ListParams::limit(100), &opts(&row))
            .await
            .map_err(|e| to_app_error("list the payments", &e))?;
        let candidates = recent.data.into_iter().filter(|pi| {
            pi.status == PaymentIntentStatus::Succeeded && pi.metadata.contains_key(MARK)
        });
        for pi in candidates {
            let params = CreateRefund {
                payment_intent: pi.id.clone(),
                amount: None,
                refund_application_fee: Some(true),
            };
            match state.stripe.create_refund(&params, &opts(&row)).await {
                Ok(refund) => {
                    return Ok(TestDataReport {
                        items: vec![CreatedItem {
                            kind: "Refund".into(),
                            id: refund.id,
                            summary: format!(
                                "{} back to the customer for {}",
                                format_amount(refund.amount, &refund.currency),
                                pi.id
                            ),
                            succeeded: true,
                        }],
                    })
                }
                // Already refunded in full: try the next one.
                Err(e) if e.code() == Some("charge_already_refunded") => continue,
                Err(e) => return Err(to_app_error("refund the payment", &e)),
            }
        }
        Err(AppError::Conflict(
            "There is no test payment left to refund. Create test payments first.".into(),
        ))
    }

    pub async fn create_test_payout(account: Option<String>) -> Result<TestDataReport, AppError> {
        let (state, row) = target(account).await?;
        // Read from Stripe, not the cache: the schedule may have changed a moment ago.
        let fresh = crate::account_sync::fetch(
            &state.stripe,
            &row.stripe_account_id,
            row.api_version()
                .unwrap_or(connected_accounts::ApiVersion::V1),
        )
        .await
        .map_err(|e| match e {
            crate::account_sync::SyncError::Stripe(e) => to_app_error("read the account", &e),
            other => {
                tracing::error!(error = %other, "reading the account for a test payout");
                AppError::Internal
            }
        })?;
        if fresh.payout_interval.as_deref() != Some("manual") {
            return Err(AppError::Conflict(
                "Payouts are automatic on this account's schedule. Switch the schedule to manual to pay out by hand."
                    .into(),
            ));
        }
        if !fresh.payouts_enabled {
            return Err(AppError::Conflict(
                "Payouts are not enabled for this account yet: finish onboarding first.".into(),
            ));
        }
        let balance = state
            .stripe
            .retrieve_balance(&opts(&row))
            .await
            .map_err(|e| to_app_error("read the balance", &e))?;
        let mut report = TestDataReport::default();
        for available in balance.available.iter().filter(|a| a.amount > 0) {
            let mut params = CreatePayout::new(available.amount, available.currency.clone());
            params.description = Some("Test payout".into());
            params.metadata.insert(MARK.into(), "true".into());
            let payout = state
                .stripe
                .create_payout(&params, &opts(&row))
                .await
                .map_err(|e| to_app_error("create the payout", &e))?;
            report.items.push(CreatedItem {
                kind: "Payout".into(),
                id: payout.id,
                summary: format!(
                    "{} to the account's bank",
                    format_amount(payout.amount, &payout.currency)
                ),
                succeeded: true,
            });
        }
        if report.items.is_empty() {
            return Err(AppError::Conflict(
                "There is no available balance to pay out yet. Card payments become available after a few days."
                    .into(),
            ));
        }
        Ok(report)
    }
}
