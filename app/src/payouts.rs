//! The owner's payout schedule, balance and recent payouts (read from Stripe with
//! `Stripe-Account`), schedule changes checked with Stripe's rules before they are sent, and
//! "pay out now" on a manual schedule.

use crate::error::AppError;
use domain::payout_schedule::ScheduleForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyLine {
    pub currency: String,
    pub available: String,
    pub pending: String,
    /// Minor units available (for "pay out now").
    pub available_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutLine {
    pub id: String,
    pub amount: String,
    pub status: String,
    pub arrival: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutOverview {
    /// "Every Monday, funds available 7 days after payment".
    pub schedule: String,
    pub manual: bool,
    /// "Monday 30 November 2026" (estimate; weekends and holidays may move it).
    pub next_payout: Option<String>,
    pub balances: Vec<MoneyLine>,
    pub recent: Vec<PayoutLine>,
    pub payouts_enabled: bool,
    /// The owner may change the schedule (platform setting, v1 accounts).
    pub editable: bool,
    /// The current schedule as the form shows it.
    pub form: ScheduleForm,
    pub minimum_delay_days: u16,
    /// A fresh token for "pay out now": the same click sent twice makes one payout.
    pub pay_out_token: String,
}

#[server]
pub async fn get_payout_overview() -> Result<PayoutOverview, AppError> {
    crate::error::with_status(ssr::overview().await)
}

/// Saves the schedule; a refusal names the field (`interval`, `delay_days`, `weekly_anchor`,
/// `monthly_anchor`) so the form shows it there and keeps what was typed.
#[server]
pub async fn update_payout_schedule(
    interval: String,
    delay_days: String,
    weekly_anchor: Option<String>,
    monthly_anchor: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(
        ssr::update(ScheduleForm {
            interval,
            delay_days,
            weekly_anchor: weekly_anchor.unwrap_or_default(),
            monthly_anchor: monthly_anchor.unwrap_or_default(),
        })
        .await,
    )
}

/// Pays out the available balance in `currency`. `request` (a random token made when the page
/// was drawn) is in the idempotency key, with the amount (see [`crate::idempotency_keys`]): a
/// double submission makes one payout.
#[server]
pub async fn pay_out_now(currency: String, request: String) -> Result<String, AppError> {
    crate::error::with_status(ssr::pay_out_now(currency, request).await)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{MoneyLine, PayoutLine, PayoutOverview};
    use crate::account_sync::{self, SyncCause, VersionHint};
    use crate::db::connected_accounts::{ApiVersion, ConnectedAccountRow};
    use crate::db::unix_now;
    use crate::error::AppError;
    use crate::onboarding::ssr::{my_row, owner};
    use crate::state::{app_state, AppState};
    use crate::stripe_errors::to_app_error;
    use domain::account_status::deadline_date_label;
    use domain::calendar::Date;
    use domain::money::format_amount;
    use domain::payout_schedule::{
        minimum_delay_days, PayoutInterval, ReportedSchedule, ScheduleField, ScheduleForm,
    };
    use stripe_client::api::payouts::{CreatePayout, ListPayouts};
    use stripe_client::api::ListParams;
    use stripe_client::{ErrorKind, Params, RequestOptions};

    async fn mine() -> Result<(AppState, ConnectedAccountRow), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let row = my_row(&state, &user).await?.ok_or_else(|| {
            AppError::Conflict("You have no connected account yet: start onboarding first.".into())
        })?;
        Ok((state, row))
    }

    /// The schedule as cached, as a form (what the owner sees and edits).
    pub fn form_of(row: &ConnectedAccountRow) -> ScheduleForm {
        ScheduleForm {
            interval: row
                .payout_interval
                .clone()
                .unwrap_or_else(|| "daily".into()),
            delay_days: row
                .payout_delay_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            weekly_anchor: row.payout_weekly_anchor.clone().unwrap_or_default(),
            monthly_anchor: row
                .payout_monthly_anchor
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// Only a schedule Stripe reported (a v1 account's `settings.payouts.schedule`); a v2
    /// account's is not in its Account object, so it is not guessed (whatever schedule columns
    /// a v1 snapshot event may have left on a v2 row).
    pub fn reported_schedule(row: &ConnectedAccountRow) -> ReportedSchedule {
        let form = form_of(row);
        ReportedSchedule::from_cached(
            (row.api_version() == Some(ApiVersion::V1) && row.payout_interval.is_some())
                .then_some(&form),
            row.country.as_deref().unwrap_or("US"),
        )
    }

    pub async fn overview() -> Result<PayoutOverview, AppError> {
        let (state, row) = mine().await?;
        let config = crate::platform::current(&state).await?;
        let editable =
            config.owners_edit_payout_schedule && row.api_version() == Some(ApiVersion::V1);
        overview_of(&state, &row, editable).await
    }

    /// The account's schedule, balance and recent payouts (also used by the console).
    pub async fn overview_of(
        state: &AppState,
        row: &ConnectedAccountRow,
        editable: bool,
    ) -> Result<PayoutOverview, AppError> {
        let country = row.country.clone().unwrap_or_else(|| "US".into());
        let form = form_of(row);
        // Neither a schedule nor a next payout Stripe did not report ([`reported_schedule`]).
        let reported = reported_schedule(row);
        let today = Date::from_unix(unix_now());
        let next = reported
            .next_payout_on_or_after(today.add_days(1))
            .map(|d| deadline_date_label(d.to_unix()));
        let opts = RequestOptions::for_account(row.stripe_account_id.clone());
        let balance = state
            .stripe
            .retrieve_balance(&opts)
            .await
            .map_err(|e| to_app_error("read the balance", &e))?;
        let mut balances: Vec<MoneyLine> = Vec::new();
        for a in &balance.available {
            balances.push(MoneyLine {
                currency: a.currency.to_ascii_uppercase(),
                available: format_amount(a.amount, &a.currency),
                pending: format_amount(0, &a.currency),
                available_minor: a.amount,
            });
        }
        for p in &balance.pending {
            let code = p.currency.to_ascii_uppercase();
            match balances.iter_mut().find(|b| b.currency == code) {
                Some(line) => line.pending = format_amount(p.amount, &p.currency),
                None => balances.push(MoneyLine {
                    currency: code,
                    available: format_amount(0, &p.currency),
                    pending: format_amount(p.amount, &p.currency),
                    available_minor: 0,
                }),
            }
        }
        let payouts = state
            .stripe
            .list_payouts(
                &ListPayouts {
                    list: ListParams::limit(5),
                    ..ListPayouts::default()
                },
                &opts,
            )
            .await
            .map_err(|e| to_app_error("read the payouts", &e))?;
        let recent = payouts
            .data
            .into_iter()
            .map(|p| PayoutLine {
                amount: format_amount(p.amount, &p.currency),
                status: p.status.as_str().replace('_', " "),
                arrival: p.arrival_date.map(deadline_date_label),
                id: p.id,
            })
            .collect();
        Ok(PayoutOverview {
            schedule: reported.words(),
            manual: reported
                .schedule()
                .is_some_and(|s| s.interval == PayoutInterval::Manual),
            next_payout: next,
            balances,
            recent,
            payouts_enabled: row.payouts_enabled != 0,
            editable,
            form,
            minimum_delay_days: minimum_delay_days(&country),
            pay_out_token: format!("{:032x}", rand::random::<u128>()),
        })
    }

    /// Checks `form` with Stripe's rules and saves it on `account` (also used by the console).
    pub async fn save_schedule(
        state: &AppState,
        row: &ConnectedAccountRow,
        form: &ScheduleForm,
    ) -> Result<(), AppError> {
        let country = row.country.clone().unwrap_or_else(|| "US".into());
        let schedule = form.parse(&country).map_err(|errors| {
            let first = &errors[0];
            AppError::invalid(first.field.name(), first.message.clone())
        })?;
        let mut params = Params::new();
        for (k, v) in schedule.to_form_params() {
            params = params.set(k, v);
        }
        let result: Result<serde_json::Value, _> = state
            .stripe
            .post_form(
                &format!("/v1/accounts/{}", row.stripe_account_id),
                &params,
                &RequestOptions::new(),
            )
            .await;
        if let Err(e) = result {
            // Stripe's refusal goes next to the field its `param` names.
            if let ErrorKind::Api(api) = e.kind() {
                if let Some(field) = api
                    .param
                    .as_deref()
                    .and_then(ScheduleField::from_stripe_param)
                {
                    return Err(AppError::invalid(
                        field.name(),
                        api.message
                            .clone()
                            .unwrap_or_else(|| "Stripe refused this value.".into()),
                    ));
                }
            }
            return Err(to_app_error("save the payout schedule", &e));
        }
        account_sync::sync(
            &state.db,
            &state.stripe,
            &row.stripe_account_id,
            VersionHint::IfNew(ApiVersion::V1),
            SyncCause::default(),
        )
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "payout schedule saved; refreshing the cache failed");
            AppError::Conflict("The schedule was saved; reload to see it.".into())
        })?;
        Ok(())
    }

    pub async fn update(form: ScheduleForm) -> Result<(), AppError> {
        let (state, row) = mine().await?;
        let config = crate::platform::current(&state).await?;
        if !config.owners_edit_payout_schedule || row.api_version() != Some(ApiVersion::V1) {
            return Err(AppError::Forbidden);
        }
        save_schedule(&state, &row, &form).await
    }

    pub async fn pay_out_now(currency: String, request: String) -> Result<String, AppError> {
        let (state, row) = mine().await?;
        if request.len() < 16
            || request.len() > 64
            || !request.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(AppError::invalid(
                "request",
                "Reload the page and try again.",
            ));
        }
        if row.payouts_enabled == 0 {
            return Err(AppError::Conflict(
                "Payouts are not enabled for your account yet: Stripe still needs information from you.".into(),
            ));
        }
        if row.payout_interval.as_deref() != Some("manual") {
            return Err(AppError::Conflict(
                "Your payouts are automatic. Switch the schedule to manual to pay out yourself."
                    .into(),
            ));
        }
        let currency = currency.to_ascii_lowercase();
        let opts = RequestOptions::for_account(row.stripe_account_id.clone());
        let balance = state
            .stripe
            .retrieve_balance(&opts)
            .await
            .map_err(|e| to_app_error("read your balance", &e))?;
        let available = balance
            .available
            .iter()
            .find(|a| a.currency == currency)
            .map_or(0, |a| a.amount);
        if available <= 0 {
            return Err(AppError::Conflict(format!(
                "There is no available balance in {} to pay out.",
                currency.to_ascii_uppercase()
            )));
        }
        let payout = state
            .stripe
            .create_payout(
                &CreatePayout::new(available, currency.clone()),
                &opts.idempotency_key(crate::idempotency_keys::derive(
                    &state.settings.installation_id,
                    &format!("payout-{}-{request}", row.id),
                    &crate::idempotency_keys::form_parameters(&[
                        ("amount", available.to_string()),
                        ("currency", currency.clone()),
                    ]),
                )),
            )
            .await
            .map_err(|e| to_app_error("create the payout", &e))?;
        tracing::info!(account = %row.stripe_account_id, payout = %payout.id, "manual payout");
        Ok(format!(
            "Payout of {} started ({}).",
            format_amount(payout.amount, &payout.currency),
            payout.id
        ))
    }
}
