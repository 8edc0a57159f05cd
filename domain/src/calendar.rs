//! UTC calendar dates from Unix seconds, without a clock or a time-zone database, so that
//! deadlines and payout dates come out the same on the server and in the browser.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Seconds in a day; Unix time ignores leap seconds, so every day has exactly this many.
pub const SECONDS_PER_DAY: i64 = 86_400;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day of the week, spelled as Stripe spells `weekly_anchor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Monday first, as Stripe's dashboard lists them.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// Stripe's wire value (`monday`), also used as the form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }

    /// Reads Stripe's wire value; anything else is `None` so forms can say which field is wrong.
    pub fn parse(value: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str() == value)
    }

    /// The name shown to people (`Monday`).
    pub fn label(self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }

    /// Monday = 0 … Sunday = 6, for day arithmetic.
    pub fn index(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Whether `year` has a 29 February (Gregorian rules).
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; monthly payouts on the 29th–31st fall back to this.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A calendar date in UTC. Deadlines and payout dates are shown as dates, so day arithmetic is
/// done on these rather than on raw seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A valid date, or `None` (e.g. 30 February), so invalid input never reaches arithmetic.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// The UTC date of a Unix timestamp (what Stripe sends for `current_deadline`).
    pub fn from_unix(seconds: i64) -> Date {
        Date::from_day_number(seconds.div_euclid(SECONDS_PER_DAY))
    }

    /// Midnight UTC at the start of this date, as Unix seconds.
    pub fn to_unix(self) -> i64 {
        self.day_number() * SECONDS_PER_DAY
    }

    /// Days since 1970-01-01 (negative before), so two dates can be subtracted.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (inverse of [`Date::day_number`]).
    pub fn from_day_number(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `days` later (or earlier when negative).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_day_number(self.day_number() + days)
    }

    /// The day of the week (1970-01-01 was a Thursday).
    pub fn weekday(self) -> Weekday {
        Weekday::ALL[(self.day_number() + 3).rem_euclid(7) as usize]
    }

    /// `3 March 2025`: unambiguous in every English-speaking country, unlike 3/4/2025.
    pub fn long_label(self) -> String {
        let month = MONTH_NAMES[usize::from(self.month.clamp(1, 12)) - 1];
        format!("{} {} {}", self.day, month, self.year)
    }
}

impl fmt::Display for Date {
    /// ISO 8601 (`2025-03-03`), for URLs, logs and `<time datetime>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment people read (UTC), e.g. `3 March 2025, 14:05 UTC`.
pub fn moment_label(seconds: i64) -> String {
    let in_day = seconds.rem_euclid(86_400);
    format!(
        "{}, {:02}:{:02} UTC",
        Date::from_unix(seconds).long_label(),
        in_day / 3_600,
        in_day % 3_600 / 60
    )
}

/// Reads an RFC 3339 time (v2 accounts send `summary.minimum_deadline.time` this way, e.g.
/// `2022-09-18T13:22:18.123Z`) as Unix seconds, so v1 and v2 deadlines compare alike.
/// Fractions of a second are dropped; `None` for anything that is not RFC 3339.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let date = Date::new(year, num(5..7)? as u8, num(8..10)? as u8)?;
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let tz = rest.get(1..)?;
            if tz.len() != 5 || tz.as_bytes()[2] != b':' {
                return None;
            }
            let (h, m) = (tz.get(0..2)?, tz.get(3..5)?);
            if !(h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())) {
                return None;
            }
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    Some(date.to_unix() + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_as_date_and_utc_time() {
        // 2025-03-03T14:05:09Z
        assert_eq!(moment_label(1_741_010_709), "3 March 2025, 14:05 UTC");
        assert_eq!(moment_label(0), "1 January 1970, 00:00 UTC");
    }

    #[test]
    fn unix_epoch_and_known_dates() {
        assert_eq!(Date::from_unix(0), Date::new(1970, 1, 1).unwrap());
        // 2024-02-29T12:00:00Z
        assert_eq!(
            Date::from_unix(1_709_208_000),
            Date::new(2024, 2, 29).unwrap()
        );
        assert_eq!(Date::new(2000, 3, 1).unwrap().to_unix(), 951_868_800);
        // One second before the epoch is still 31 December 1969.
        assert_eq!(Date::from_unix(-1), Date::new(1969, 12, 31).unwrap());
    }

    #[test]
    fn day_numbers_round_trip_over_four_centuries() {
        let mut expected = Date::new(1900, 1, 1).unwrap();
        for n in
            Date::new(1900, 1, 1).unwrap().day_number()..Date::new(2300, 1, 1).unwrap().day_number()
        {
            let date = Date::from_day_number(n);
            assert_eq!(date, expected);
            assert_eq!(date.day_number(), n);
            expected = if date.day < days_in_month(date.year, date.month) {
                Date {
                    day: date.day + 1,
                    ..date
                }
            } else if date.month < 12 {
                Date {
                    month: date.month + 1,
                    day: 1,
                    ..date
                }
            } else {
                Date {
                    year: date.year + 1,
                    month: 1,
                    day: 1,
                }
            };
        }
    }

    #[test]
    fn leap_years_follow_gregorian_rules() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2025, 4), 30);
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::new(2025, 1, 0).is_none());
    }

    #[test]
    fn weekdays() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), Weekday::Thursday);
        assert_eq!(Date::new(2025, 3, 3).unwrap().weekday(), Weekday::Monday);
        assert_eq!(Date::new(2024, 12, 29).unwrap().weekday(), Weekday::Sunday);
        assert_eq!(
            Date::new(1969, 12, 31).unwrap().weekday(),
            Weekday::Wednesday
        );
        for day in Weekday::ALL {
            assert_eq!(Weekday::parse(day.as_str()), Some(day));
        }
        assert_eq!(Weekday::parse("Monday"), None);
    }

    #[test]
    fn labels() {
        let date = Date::new(2025, 3, 3).unwrap();
        assert_eq!(date.long_label(), "3 March 2025");
        assert_eq!(date.to_string(), "2025-03-03");
        assert_eq!(date.add_days(-3).to_string(), "2025-02-28");
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2022-09-18T13:22:18.123Z"),
            Some(1_663_507_338)
        );
        assert_eq!(
            parse_rfc3339("2022-09-18T15:22:18+02:00"),
            Some(1_663_507_338)
        );
        assert_eq!(
            parse_rfc3339("2022-09-18T08:22:18-05:00"),
            Some(1_663_507_338)
        );
        for bad in [
            "",
            "2022-09-18",
            "2022-09-18T13:22:18",
            "2022-02-30T00:00:00Z",
            "2022-09-18T24:00:00Z",
            "2022-09-18T13:22:18.Z",
            "2022-09-18T13:22:18+0200",
            "20x2-09-18T13:22:18Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
