//! Stripe's rules for `settings.payouts.schedule`, checked the same way in the browser (as the
//! owner types) and on the server (before calling Stripe), with errors tied to the form field.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::{days_in_month, Date, Weekday};

/// The longest payout delay this portal offers, in days.
pub const MAX_DELAY_DAYS: u16 = 31;

/// The form-parameter prefix Stripe uses for the schedule on `POST /v1/accounts/{id}`.
const PARAM_PREFIX: &str = "settings[payouts][schedule]";

/// How often Stripe pays out automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayoutInterval {
    Manual,
    Daily,
    Weekly,
    Monthly,
}

impl PayoutInterval {
    pub const ALL: [PayoutInterval; 4] = [
        PayoutInterval::Manual,
        PayoutInterval::Daily,
        PayoutInterval::Weekly,
        PayoutInterval::Monthly,
    ];

    /// Stripe's wire value, also the form value.
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutInterval::Manual => "manual",
            PayoutInterval::Daily => "daily",
            PayoutInterval::Weekly => "weekly",
            PayoutInterval::Monthly => "monthly",
        }
    }

    /// Reads Stripe's wire value.
    pub fn parse(value: &str) -> Option<PayoutInterval> {
        PayoutInterval::ALL
            .into_iter()
            .find(|i| i.as_str() == value)
    }

    /// Option text for the interval select.
    pub fn label(self) -> &'static str {
        match self {
            PayoutInterval::Manual => "Manual",
            PayoutInterval::Daily => "Daily",
            PayoutInterval::Weekly => "Weekly",
            PayoutInterval::Monthly => "Monthly",
        }
    }
}

/// `delay_days`: a number of days, or Stripe's `minimum` (the shortest the country allows),
/// which lets the form offer "as soon as possible" without knowing the account's minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DelayDays {
    Minimum,
    Days(u16),
}

impl DelayDays {
    /// The days this means for an account in `country`.
    pub fn resolve(self, country: &str) -> u16 {
        match self {
            DelayDays::Minimum => minimum_delay_days(country),
            DelayDays::Days(days) => days,
        }
    }

    /// The form / wire value (`minimum` or the number).
    pub fn to_param(self) -> String {
        match self {
            DelayDays::Minimum => "minimum".into(),
            DelayDays::Days(days) => days.to_string(),
        }
    }
}

impl Serialize for DelayDays {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DelayDays::Minimum => serializer.serialize_str("minimum"),
            DelayDays::Days(days) => serializer.serialize_u16(*days),
        }
    }
}

impl<'de> Deserialize<'de> for DelayDays {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DelayVisitor;
        impl Visitor<'_> for DelayVisitor {
            type Value = DelayDays;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of days or \"minimum\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DelayDays, E> {
                u16::try_from(v)
                    .map(DelayDays::Days)
                    .map_err(|_| E::custom("delay_days out of range"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DelayDays, E> {
                u16::try_from(v)
                    .map(DelayDays::Days)
                    .map_err(|_| E::custom("delay_days out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DelayDays, E> {
                if v == "minimum" {
                    Ok(DelayDays::Minimum)
                } else {
                    v.parse().map(DelayDays::Days).map_err(E::custom)
                }
            }
        }
        deserializer.deserialize_any(DelayVisitor)
    }
}

/// The shortest `delay_days` Stripe allows by country (ISO 3166 alpha-2), in step with the
/// offline emulator's table. Stripe remains the authority: a refusal from Stripe is shown next to
/// the field like any other error.
pub fn minimum_delay_days(country: &str) -> u16 {
    match country.to_ascii_uppercase().as_str() {
        "US" => 2,
        "AU" | "NZ" | "CA" | "GB" => 3,
        "BR" => 30,
        _ => 4,
    }
}

/// A payout schedule (Stripe's `transfer_schedule`, minus the multi-day arrays this portal does
/// not offer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutSchedule {
    pub interval: PayoutInterval,
    pub delay_days: DelayDays,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_anchor: Option<Weekday>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_anchor: Option<u8>,
}

/// The schedule form's fields, so an error can be shown next to the one that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleField {
    Interval,
    DelayDays,
    WeeklyAnchor,
    MonthlyAnchor,
}

impl ScheduleField {
    /// The form input's name (Stripe's own field name).
    pub fn name(self) -> &'static str {
        match self {
            ScheduleField::Interval => "interval",
            ScheduleField::DelayDays => "delay_days",
            ScheduleField::WeeklyAnchor => "weekly_anchor",
            ScheduleField::MonthlyAnchor => "monthly_anchor",
        }
    }

    /// Stripe's `param` for this field, to map a Stripe refusal back to the field.
    pub fn stripe_param(self) -> String {
        format!("{PARAM_PREFIX}[{}]", self.name())
    }

    /// The field a Stripe error's `param` points at, if it is one of these.
    pub fn from_stripe_param(param: &str) -> Option<ScheduleField> {
        [
            ScheduleField::Interval,
            ScheduleField::DelayDays,
            ScheduleField::WeeklyAnchor,
            ScheduleField::MonthlyAnchor,
        ]
        .into_iter()
        .find(|f| f.stripe_param() == param)
    }
}

/// One problem with one field, in words for the person filling the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleError {
    pub field: ScheduleField,
    pub message: String,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScheduleError {}

fn error(field: ScheduleField, message: impl Into<String>) -> ScheduleError {
    ScheduleError {
        field,
        message: message.into(),
    }
}

/// What the schedule form sends, as typed, so a refused form can be shown again unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub interval: String,
    #[serde(default)]
    pub delay_days: String,
    #[serde(default)]
    pub weekly_anchor: String,
    #[serde(default)]
    pub monthly_anchor: String,
}

impl ScheduleForm {
    /// Reads and checks the form for an account in `country`; every field's problem at once.
    /// An empty delay means `minimum` (Stripe's default). An anchor left over from another
    /// interval (the form hides it when the select changes) is dropped, not refused.
    pub fn parse(&self, country: &str) -> Result<PayoutSchedule, Vec<ScheduleError>> {
        self.parse_with(country, true)
    }

    fn parse_with(
        &self,
        country: &str,
        drop_other_anchors: bool,
    ) -> Result<PayoutSchedule, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        let interval = match PayoutInterval::parse(self.interval.trim()) {
            Some(interval) => Some(interval),
            None => {
                errors.push(error(
                    ScheduleField::Interval,
                    "Choose how often to pay out: manual, daily, weekly or monthly.",
                ));
                None
            }
        };
        let delay_text = self.delay_days.trim();
        let delay_days = if delay_text.is_empty() || delay_text == "minimum" {
            Some(DelayDays::Minimum)
        } else {
            match delay_text.parse::<u16>() {
                Ok(days) => Some(DelayDays::Days(days)),
                Err(_) => {
                    errors.push(error(
                        ScheduleField::DelayDays,
                        "Enter the delay as a whole number of days.",
                    ));
                    None
                }
            }
        };
        let weekly_text = self.weekly_anchor.trim();
        let weekly_anchor = if weekly_text.is_empty() {
            None
        } else {
            match Weekday::parse(&weekly_text.to_ascii_lowercase()) {
                Some(day) => Some(day),
                None => {
                    errors.push(error(
                        ScheduleField::WeeklyAnchor,
                        "Choose a day of the week.",
                    ));
                    None
                }
            }
        };
        let monthly_text = self.monthly_anchor.trim();
        let monthly_anchor = if monthly_text.is_empty() {
            None
        } else {
            match monthly_text.parse::<u8>() {
                Ok(day) => Some(day),
                Err(_) => {
                    errors.push(error(
                        ScheduleField::MonthlyAnchor,
                        "Choose a day of the month from 1 to 31.",
                    ));
                    None
                }
            }
        };
        let (Some(interval), Some(delay_days)) = (interval, delay_days) else {
            return Err(errors);
        };
        let keep = |wanted: PayoutInterval| !drop_other_anchors || interval == wanted;
        let schedule = PayoutSchedule {
            interval,
            delay_days,
            weekly_anchor: weekly_anchor.filter(|_| keep(PayoutInterval::Weekly)),
            monthly_anchor: monthly_anchor.filter(|_| keep(PayoutInterval::Monthly)),
        };
        if let Err(more) = schedule.validate(country) {
            for problem in more {
                if !errors.iter().any(|seen| seen.field == problem.field) {
                    errors.push(problem);
                }
            }
        }
        if errors.is_empty() {
            Ok(schedule)
        } else {
            Err(errors)
        }
    }
}

impl From<&PayoutSchedule> for ScheduleForm {
    fn from(schedule: &PayoutSchedule) -> Self {
        ScheduleForm {
            interval: schedule.interval.as_str().into(),
            delay_days: schedule.delay_days.to_param(),
            weekly_anchor: schedule
                .weekly_anchor
                .map(|d| d.as_str().to_string())
                .unwrap_or_default(),
            monthly_anchor: schedule
                .monthly_anchor
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }
}

impl PayoutSchedule {
    /// Stripe's rules: `weekly_anchor` only and always with weekly, `monthly_anchor` (1–31) only
    /// and always with monthly, `delay_days` from the country's minimum up to
    /// [`MAX_DELAY_DAYS`].
    pub fn validate(&self, country: &str) -> Result<(), Vec<ScheduleError>> {
        let mut errors = Vec::new();
        match (self.interval, self.weekly_anchor) {
            (PayoutInterval::Weekly, None) => errors.push(error(
                ScheduleField::WeeklyAnchor,
                "Choose the day of the week for weekly payouts.",
            )),
            (PayoutInterval::Weekly, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(error(
                ScheduleField::WeeklyAnchor,
                "A day of the week can only be set for weekly payouts.",
            )),
        }
        match (self.interval, self.monthly_anchor) {
            (PayoutInterval::Monthly, None) => errors.push(error(
                ScheduleField::MonthlyAnchor,
                "Choose the day of the month for monthly payouts.",
            )),
            (PayoutInterval::Monthly, Some(day)) if !(1..=31).contains(&day) => errors.push(error(
                ScheduleField::MonthlyAnchor,
                "Choose a day of the month from 1 to 31.",
            )),
            (PayoutInterval::Monthly, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(error(
                ScheduleField::MonthlyAnchor,
                "A day of the month can only be set for monthly payouts.",
            )),
        }
        if let DelayDays::Days(days) = self.delay_days {
            let minimum = minimum_delay_days(country);
            if days < minimum {
                errors.push(error(
                    ScheduleField::DelayDays,
                    format!(
                        "The shortest delay for accounts in {} is {}.",
                        country.to_ascii_uppercase(),
                        days_text(minimum)
                    ),
                ));
            } else if days > MAX_DELAY_DAYS {
                errors.push(error(
                    ScheduleField::DelayDays,
                    format!("The delay can be at most {MAX_DELAY_DAYS} days."),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The schedule in words: "Daily, 2 days after payment", "Every Monday", "Monthly on the
    /// 31st (or the last day of shorter months)", "Manual: each payout is started by hand".
    pub fn describe(&self) -> String {
        match self.interval {
            PayoutInterval::Manual => "Manual: each payout is started by hand".into(),
            PayoutInterval::Daily => match self.delay_days {
                DelayDays::Days(days) => format!("Daily, {} after payment", days_text(days)),
                DelayDays::Minimum => "Daily, as soon as Stripe allows after payment".into(),
            },
            PayoutInterval::Weekly => match self.weekly_anchor {
                Some(day) => format!("Every {}", day.label()),
                None => "Weekly".into(),
            },
            PayoutInterval::Monthly => match self.monthly_anchor {
                Some(day) if day >= 29 => format!(
                    "Monthly on the {} (or the last day of shorter months)",
                    ordinal(day)
                ),
                Some(day) => format!("Monthly on the {}", ordinal(day)),
                None => "Monthly".into(),
            },
        }
    }

    /// [`PayoutSchedule::describe`] plus when funds become available, for weekly and monthly
    /// schedules where the delay is not already in the sentence ("Every Monday, funds available
    /// 7 days after payment").
    pub fn describe_with_delay(&self) -> String {
        let base = self.describe();
        match (self.interval, self.delay_days) {
            (PayoutInterval::Weekly | PayoutInterval::Monthly, DelayDays::Days(days)) => {
                format!("{base}, funds available {} after payment", days_text(days))
            }
            (PayoutInterval::Weekly | PayoutInterval::Monthly, DelayDays::Minimum) => {
                format!("{base}, funds available as soon as Stripe allows")
            }
            _ => base,
        }
    }

    /// Stripe's form parameters for `POST /v1/accounts/{id}`. A manual schedule sends no
    /// `delay_days` (Stripe keeps the last value and ignores it for manual payouts).
    pub fn to_form_params(&self) -> Vec<(String, String)> {
        let key = |field: ScheduleField| field.stripe_param();
        let mut params = vec![(key(ScheduleField::Interval), self.interval.as_str().into())];
        if self.interval != PayoutInterval::Manual {
            params.push((key(ScheduleField::DelayDays), self.delay_days.to_param()));
        }
        if let (PayoutInterval::Weekly, Some(day)) = (self.interval, self.weekly_anchor) {
            params.push((key(ScheduleField::WeeklyAnchor), day.as_str().into()));
        }
        if let (PayoutInterval::Monthly, Some(day)) = (self.interval, self.monthly_anchor) {
            params.push((key(ScheduleField::MonthlyAnchor), day.to_string()));
        }
        params
    }

    /// Reads Stripe form parameters back into a checked schedule, as strictly as Stripe does (an
    /// anchor for another interval is refused). Keys outside the schedule are ignored.
    pub fn from_form_params<K: AsRef<str>, V: AsRef<str>>(
        params: &[(K, V)],
        country: &str,
    ) -> Result<PayoutSchedule, Vec<ScheduleError>> {
        let mut form = ScheduleForm::default();
        for (key, value) in params {
            let value = value.as_ref().to_string();
            let Some(name) = key
                .as_ref()
                .strip_prefix(PARAM_PREFIX)
                .and_then(|rest| rest.strip_prefix('['))
                .and_then(|rest| rest.strip_suffix(']'))
            else {
                continue;
            };
            match name {
                "interval" => form.interval = value,
                "delay_days" => form.delay_days = value,
                "weekly_anchor" => form.weekly_anchor = value,
                "monthly_anchor" => form.monthly_anchor = value,
                _ => {}
            }
        }
        form.parse_with(country, false)
    }

    /// The next date an automatic payout is expected, on or after `from` (pass tomorrow once
    /// today's payout has gone). `None` for manual schedules. Bank holidays and weekends, which
    /// Stripe skips in some countries, are not known here, so this is an estimate.
    pub fn next_payout_on_or_after(&self, from: Date) -> Option<Date> {
        match self.interval {
            PayoutInterval::Manual => None,
            PayoutInterval::Daily => Some(from),
            PayoutInterval::Weekly => {
                let anchor = self.weekly_anchor?;
                let ahead =
                    (i64::from(anchor.index()) - i64::from(from.weekday().index())).rem_euclid(7);
                Some(from.add_days(ahead))
            }
            PayoutInterval::Monthly => {
                let anchor = self.monthly_anchor.filter(|d| (1..=31).contains(d))?;
                let in_month = |year: i32, month: u8| Date {
                    year,
                    month,
                    day: anchor.min(days_in_month(year, month)),
                };
                let this_month = in_month(from.year, from.month);
                if this_month >= from {
                    Some(this_month)
                } else if from.month == 12 {
                    Some(in_month(from.year + 1, 1))
                } else {
                    Some(in_month(from.year, from.month + 1))
                }
            }
        }
    }
}

/// What the portal says about an account's payout schedule: only what a Stripe object said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportedSchedule {
    /// From the account's `settings.payouts.schedule` (v1 Account; ../shared/stripe-docs/FACTS.md
    /// "Accounts v1").
    Reported(PayoutSchedule),
    /// No Stripe object said: the v2 Account (`v2.core.account` in
    /// ../shared/stripe-openapi/stripe-connect-subset.json) carries no payout schedule, only the
    /// `stripe_balance.payouts` capability's status. No schedule and no next payout date are
    /// shown, only where to see the schedule.
    NotReported,
}

/// The words for [`ReportedSchedule::NotReported`]: Stripe's payouts component shows the
/// schedule (and lets the owner change it where the platform turned on its
/// `edit_payout_schedule` feature, FACTS.md "Connect.js"), as does the Stripe Dashboard.
pub const SCHEDULE_NOT_REPORTED: &str = "Stripe manages this account's payout schedule and has not shared it with the portal: see it (and, where allowed, change it) in Stripe's payouts component on the Payouts page or in the Stripe Dashboard.";

impl ReportedSchedule {
    /// From the cached schedule fields: `None` (Stripe reported no schedule) or a form that
    /// does not read is [`ReportedSchedule::NotReported`], never a guessed default.
    pub fn from_cached(form: Option<&ScheduleForm>, country: &str) -> ReportedSchedule {
        match form.filter(|f| !f.interval.trim().is_empty()) {
            Some(form) => form
                .parse(country)
                .map_or(ReportedSchedule::NotReported, ReportedSchedule::Reported),
            None => ReportedSchedule::NotReported,
        }
    }

    pub fn schedule(&self) -> Option<&PayoutSchedule> {
        match self {
            ReportedSchedule::Reported(schedule) => Some(schedule),
            ReportedSchedule::NotReported => None,
        }
    }

    /// The schedule in words ([`PayoutSchedule::describe_with_delay`]), or
    /// [`SCHEDULE_NOT_REPORTED`].
    pub fn words(&self) -> String {
        self.schedule().map_or_else(
            || SCHEDULE_NOT_REPORTED.to_string(),
            PayoutSchedule::describe_with_delay,
        )
    }

    /// [`PayoutSchedule::next_payout_on_or_after`] of a reported schedule; `None` otherwise.
    pub fn next_payout_on_or_after(&self, from: Date) -> Option<Date> {
        self.schedule()?.next_payout_on_or_after(from)
    }
}

fn days_text(days: u16) -> String {
    if days == 1 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`, `31st`.
fn ordinal(day: u8) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

#[cfg(test)]
mod tests;
