use super::*;

fn schedule(interval: PayoutInterval, delay: DelayDays) -> PayoutSchedule {
    PayoutSchedule {
        interval,
        delay_days: delay,
        weekly_anchor: None,
        monthly_anchor: None,
    }
}

fn weekly(day: Weekday, delay: u16) -> PayoutSchedule {
    PayoutSchedule {
        weekly_anchor: Some(day),
        ..schedule(PayoutInterval::Weekly, DelayDays::Days(delay))
    }
}

fn monthly(day: u8, delay: u16) -> PayoutSchedule {
    PayoutSchedule {
        monthly_anchor: Some(day),
        ..schedule(PayoutInterval::Monthly, DelayDays::Days(delay))
    }
}

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

fn fields(result: Result<(), Vec<ScheduleError>>) -> Vec<ScheduleField> {
    result
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn reads_stripes_schedule_object() {
    let daily: PayoutSchedule =
        serde_json::from_str(r#"{"delay_days": 2, "interval": "daily"}"#).unwrap();
    assert_eq!(daily, schedule(PayoutInterval::Daily, DelayDays::Days(2)));
    let weekly_json: PayoutSchedule = serde_json::from_str(
        r#"{"delay_days": 7, "interval": "weekly", "weekly_anchor": "friday", "weekly_payout_days": ["friday"]}"#,
    )
    .unwrap();
    assert_eq!(weekly_json, weekly(Weekday::Friday, 7));
    let minimum: PayoutSchedule =
        serde_json::from_str(r#"{"delay_days": "minimum", "interval": "manual"}"#).unwrap();
    assert_eq!(minimum.delay_days, DelayDays::Minimum);
    assert!(
        serde_json::from_str::<PayoutSchedule>(r#"{"delay_days": -1, "interval": "daily"}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<PayoutSchedule>(r#"{"delay_days": 2, "interval": "hourly"}"#)
            .is_err()
    );
    assert_eq!(
        serde_json::to_string(&monthly(31, 3)).unwrap(),
        r#"{"interval":"monthly","delay_days":3,"monthly_anchor":31}"#
    );
}

#[test]
fn valid_schedules_pass() {
    assert_eq!(
        schedule(PayoutInterval::Manual, DelayDays::Minimum).validate("US"),
        Ok(())
    );
    assert_eq!(
        schedule(PayoutInterval::Daily, DelayDays::Days(2)).validate("US"),
        Ok(())
    );
    assert_eq!(weekly(Weekday::Monday, 31).validate("us"), Ok(()));
    assert_eq!(monthly(1, 3).validate("GB"), Ok(()));
    assert_eq!(monthly(31, 30).validate("BR"), Ok(()));
}

#[test]
fn anchors_belong_to_their_interval() {
    assert_eq!(
        fields(schedule(PayoutInterval::Weekly, DelayDays::Minimum).validate("US")),
        [ScheduleField::WeeklyAnchor]
    );
    assert_eq!(
        fields(schedule(PayoutInterval::Monthly, DelayDays::Minimum).validate("US")),
        [ScheduleField::MonthlyAnchor]
    );
    let daily_with_anchors = PayoutSchedule {
        weekly_anchor: Some(Weekday::Monday),
        monthly_anchor: Some(3),
        ..schedule(PayoutInterval::Daily, DelayDays::Days(2))
    };
    let errors = daily_with_anchors.validate("US").unwrap_err();
    assert_eq!(
        errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>(),
        [
            "A day of the week can only be set for weekly payouts.",
            "A day of the month can only be set for monthly payouts."
        ]
    );
    for bad in [0, 32] {
        assert_eq!(
            fields(monthly(bad, 3).validate("US")),
            [ScheduleField::MonthlyAnchor]
        );
    }
}

#[test]
fn delay_days_between_country_minimum_and_maximum() {
    let daily = |days| schedule(PayoutInterval::Daily, DelayDays::Days(days));
    let errors = daily(1).validate("US").unwrap_err();
    assert_eq!(errors[0].field, ScheduleField::DelayDays);
    assert_eq!(
        errors[0].message,
        "The shortest delay for accounts in US is 2 days."
    );
    assert_eq!(fields(daily(2).validate("GB")), [ScheduleField::DelayDays]);
    assert_eq!(fields(daily(29).validate("BR")), [ScheduleField::DelayDays]);
    assert_eq!(daily(4).validate("DE"), Ok(()));
    assert_eq!(fields(daily(3).validate("DE")), [ScheduleField::DelayDays]);
    assert_eq!(daily(MAX_DELAY_DAYS).validate("US"), Ok(()));
    let too_long = daily(MAX_DELAY_DAYS + 1).validate("US").unwrap_err();
    assert_eq!(too_long[0].message, "The delay can be at most 31 days.");
    assert_eq!(minimum_delay_days("us"), 2);
    assert_eq!(DelayDays::Minimum.resolve("JP"), 4);
    assert_eq!(DelayDays::Days(9).resolve("JP"), 9);
}

#[test]
fn wording() {
    assert_eq!(
        schedule(PayoutInterval::Manual, DelayDays::Days(2)).describe(),
        "Manual: each payout is started by hand"
    );
    assert_eq!(
        schedule(PayoutInterval::Daily, DelayDays::Days(2)).describe(),
        "Daily, 2 days after payment"
    );
    assert_eq!(
        schedule(PayoutInterval::Daily, DelayDays::Days(1)).describe(),
        "Daily, 1 day after payment"
    );
    assert_eq!(
        schedule(PayoutInterval::Daily, DelayDays::Minimum).describe(),
        "Daily, as soon as Stripe allows after payment"
    );
    assert_eq!(weekly(Weekday::Monday, 7).describe(), "Every Monday");
    assert_eq!(
        weekly(Weekday::Monday, 7).describe_with_delay(),
        "Every Monday, funds available 7 days after payment"
    );
    assert_eq!(
        monthly(31, 7).describe(),
        "Monthly on the 31st (or the last day of shorter months)"
    );
    assert_eq!(
        monthly(29, 7).describe(),
        "Monthly on the 29th (or the last day of shorter months)"
    );
    assert_eq!(monthly(28, 7).describe(), "Monthly on the 28th");
    assert_eq!(
        monthly(1, 3).describe_with_delay(),
        "Monthly on the 1st, funds available 3 days after payment"
    );
    assert_eq!(
        schedule(PayoutInterval::Daily, DelayDays::Days(2)).describe_with_delay(),
        "Daily, 2 days after payment"
    );
    let ordinals: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 30].map(ordinal).into();
    assert_eq!(
        ordinals,
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "30th"]
    );
}

#[test]
fn form_params_round_trip() {
    let params = weekly(Weekday::Friday, 7).to_form_params();
    assert_eq!(
        params,
        [
            (
                "settings[payouts][schedule][interval]".to_string(),
                "weekly".to_string()
            ),
            (
                "settings[payouts][schedule][delay_days]".to_string(),
                "7".to_string()
            ),
            (
                "settings[payouts][schedule][weekly_anchor]".to_string(),
                "friday".to_string()
            ),
        ]
    );
    for original in [
        weekly(Weekday::Friday, 7),
        monthly(31, 3),
        schedule(PayoutInterval::Daily, DelayDays::Minimum),
        schedule(PayoutInterval::Manual, DelayDays::Minimum),
    ] {
        assert_eq!(
            PayoutSchedule::from_form_params(&original.to_form_params(), "GB"),
            Ok(original)
        );
    }
    assert_eq!(
        schedule(PayoutInterval::Manual, DelayDays::Days(5)).to_form_params(),
        [(
            "settings[payouts][schedule][interval]".to_string(),
            "manual".to_string()
        )]
    );
    // Like Stripe, the wire form refuses an anchor for another interval.
    let errors = PayoutSchedule::from_form_params(
        &[
            ("settings[payouts][schedule][interval]", "daily"),
            ("settings[payouts][schedule][weekly_anchor]", "monday"),
            ("unrelated", "x"),
        ],
        "US",
    )
    .unwrap_err();
    assert_eq!(errors[0].field, ScheduleField::WeeklyAnchor);
    assert_eq!(
        ScheduleField::from_stripe_param("settings[payouts][schedule][monthly_anchor]"),
        Some(ScheduleField::MonthlyAnchor)
    );
    assert_eq!(
        ScheduleField::from_stripe_param("settings[payouts][debit_negative_balances]"),
        None
    );
}

#[test]
fn form_reports_every_field_and_keeps_input() {
    let form = ScheduleForm {
        interval: "fortnightly".into(),
        delay_days: "two".into(),
        weekly_anchor: "funday".into(),
        monthly_anchor: "first".into(),
    };
    let errors = form.parse("US").unwrap_err();
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        [
            ScheduleField::Interval,
            ScheduleField::DelayDays,
            ScheduleField::WeeklyAnchor,
            ScheduleField::MonthlyAnchor
        ]
    );
    assert_eq!(form.interval, "fortnightly", "the form is not consumed");

    let missing_anchor = ScheduleForm {
        interval: "weekly".into(),
        delay_days: "1".into(),
        ..ScheduleForm::default()
    };
    assert_eq!(
        missing_anchor
            .parse("US")
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect::<Vec<_>>(),
        [ScheduleField::WeeklyAnchor, ScheduleField::DelayDays]
    );

    let switched = ScheduleForm {
        interval: "monthly".into(),
        delay_days: " ".into(),
        weekly_anchor: "monday".into(),
        monthly_anchor: "31".into(),
    };
    let parsed = switched.parse("US").unwrap();
    assert_eq!(parsed.weekly_anchor, None);
    assert_eq!(parsed.monthly_anchor, Some(31));
    assert_eq!(parsed.delay_days, DelayDays::Minimum);
    assert_eq!(ScheduleForm::from(&parsed).parse("US"), Ok(parsed));
}

#[test]
fn next_payout_dates() {
    let monday = date(2025, 3, 3);
    assert_eq!(
        schedule(PayoutInterval::Manual, DelayDays::Minimum).next_payout_on_or_after(monday),
        None
    );
    assert_eq!(
        schedule(PayoutInterval::Daily, DelayDays::Days(2)).next_payout_on_or_after(monday),
        Some(monday)
    );
    assert_eq!(
        weekly(Weekday::Monday, 7).next_payout_on_or_after(monday),
        Some(monday)
    );
    assert_eq!(
        weekly(Weekday::Sunday, 7).next_payout_on_or_after(monday),
        Some(date(2025, 3, 9))
    );
    assert_eq!(
        weekly(Weekday::Friday, 7).next_payout_on_or_after(date(2025, 12, 27)),
        Some(date(2026, 1, 2))
    );
    // Month ends and leap years: the 31st falls back to the last day of shorter months.
    assert_eq!(
        monthly(31, 3).next_payout_on_or_after(date(2025, 2, 1)),
        Some(date(2025, 2, 28))
    );
    assert_eq!(
        monthly(31, 3).next_payout_on_or_after(date(2024, 2, 1)),
        Some(date(2024, 2, 29))
    );
    assert_eq!(
        monthly(30, 3).next_payout_on_or_after(date(2024, 2, 29)),
        Some(date(2024, 2, 29))
    );
    assert_eq!(
        monthly(29, 3).next_payout_on_or_after(date(2100, 2, 1)),
        Some(date(2100, 2, 28))
    );
    assert_eq!(
        monthly(31, 3).next_payout_on_or_after(date(2025, 4, 1)),
        Some(date(2025, 4, 30))
    );
    assert_eq!(
        monthly(15, 3).next_payout_on_or_after(date(2025, 3, 16)),
        Some(date(2025, 4, 15))
    );
    assert_eq!(
        monthly(1, 3).next_payout_on_or_after(date(2025, 12, 2)),
        Some(date(2026, 1, 1))
    );
    assert_eq!(
        monthly(31, 3).next_payout_on_or_after(date(2025, 3, 31)),
        Some(date(2025, 3, 31))
    );
}

#[test]
fn only_a_schedule_stripe_reported_is_shown() {
    let monday = date(2025, 12, 1);
    // A v2 account: Stripe's v2 Account carries no schedule, so nothing is guessed.
    let unknown = ReportedSchedule::from_cached(None, "US");
    assert_eq!(unknown, ReportedSchedule::NotReported);
    assert_eq!(unknown.words(), SCHEDULE_NOT_REPORTED);
    assert!(!unknown.words().contains("as soon as Stripe allows"));
    assert_eq!(unknown.next_payout_on_or_after(monday), None);
    // Cached fields that are empty or do not read are not a schedule either.
    assert_eq!(
        ReportedSchedule::from_cached(Some(&ScheduleForm::default()), "US"),
        ReportedSchedule::NotReported
    );
    let unreadable = ScheduleForm {
        interval: "fortnightly".into(),
        ..ScheduleForm::default()
    };
    assert_eq!(
        ReportedSchedule::from_cached(Some(&unreadable), "US"),
        ReportedSchedule::NotReported
    );

    // A v1 account's `settings.payouts.schedule`, as cached.
    let weekly_form = ScheduleForm {
        interval: "weekly".into(),
        delay_days: "7".into(),
        weekly_anchor: "monday".into(),
        monthly_anchor: String::new(),
    };
    let reported = ReportedSchedule::from_cached(Some(&weekly_form), "US");
    assert_eq!(reported.schedule(), Some(&weekly(Weekday::Monday, 7)));
    assert_eq!(
        reported.words(),
        "Every Monday, funds available 7 days after payment"
    );
    assert_eq!(reported.next_payout_on_or_after(monday), Some(monday));
}
