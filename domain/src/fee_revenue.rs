//! The platform's application-fee revenue, arranged for people: summed per UTC day by the
//! database, laid out here as a run of days with zeros where nothing was earned, or folded into
//! months. Net means taken minus refunded; a refund counts against the day the fee was taken
//! (the fee's `amount_refunded` does not say when it was refunded).

use serde::{Deserialize, Serialize};

use crate::calendar::Date;

/// Fees in one currency taken on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTotal {
    /// Days since 1970-01-01.
    pub day: i64,
    /// Lower case.
    pub currency: String,
    pub fees: i64,
    /// Taken minus refunded, minor units.
    pub net: i64,
}

/// One currency over consecutive days, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySeries {
    pub currency: String,
    /// Net per day, one entry per day of the window (0: nothing that day).
    pub net: Vec<i64>,
    pub total: i64,
    pub fees: i64,
}

/// The `days` days ending with `last_day` (both days since 1970-01-01), one series per currency
/// that has fees in them, the largest total first. Sums outside the window are left out.
pub fn daily_series(sums: &[DayTotal], last_day: i64, days: usize) -> Vec<DailySeries> {
    let first_day = last_day - days as i64 + 1;
    let mut out: Vec<DailySeries> = Vec::new();
    for s in sums {
        if s.day < first_day || s.day > last_day {
            continue;
        }
        let currency = s.currency.to_ascii_lowercase();
        let i = match out.iter().position(|c| c.currency == currency) {
            Some(i) => i,
            None => {
                out.push(DailySeries {
                    currency,
                    net: vec![0; days],
                    total: 0,
                    fees: 0,
                });
                out.len() - 1
            }
        };
        let series = &mut out[i];
        series.net[(s.day - first_day) as usize] += s.net;
        series.total += s.net;
        series.fees += s.fees;
    }
    out.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.currency.cmp(&b.currency))
    });
    out
}

/// One calendar month (UTC) of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub year: i32,
    pub month: u8,
    pub currency: String,
    pub fees: i64,
    pub net: i64,
}

/// Folds day sums into months, the newest month first and, within a month, currencies in
/// alphabetical order.
pub fn by_month(sums: &[DayTotal]) -> Vec<MonthTotal> {
    let mut out: Vec<MonthTotal> = Vec::new();
    for s in sums {
        let date = Date::from_day_number(s.day);
        let currency = s.currency.to_ascii_lowercase();
        match out
            .iter_mut()
            .find(|m| m.year == date.year && m.month == date.month && m.currency == currency)
        {
            Some(m) => {
                m.fees += s.fees;
                m.net += s.net;
            }
            None => out.push(MonthTotal {
                year: date.year,
                month: date.month,
                currency,
                fees: s.fees,
                net: s.net,
            }),
        }
    }
    out.sort_by(|a, b| {
        (b.year, b.month)
            .cmp(&(a.year, a.month))
            .then_with(|| a.currency.cmp(&b.currency))
    });
    out
}

/// `March 2025`.
pub fn month_label(year: i32, month: u8) -> String {
    let date = Date {
        year,
        month: month.clamp(1, 12),
        day: 1,
    };
    // "1 March 2025" without its day.
    date.long_label()
        .split_once(' ')
        .map_or_else(String::new, |(_, rest)| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(day: i64, currency: &str, fees: i64, net: i64) -> DayTotal {
        DayTotal {
            day,
            currency: currency.into(),
            fees,
            net,
        }
    }

    #[test]
    fn a_window_of_days_has_a_zero_for_every_day_without_fees() {
        let today = Date::new(2026, 3, 31).unwrap().day_number();
        let sums = [
            day(today - 40, "usd", 1, 999), // before the window
            day(today - 29, "usd", 2, 300), // its first day
            day(today - 3, "EUR", 1, 50),
            day(today, "usd", 1, 200),
            day(today + 1, "usd", 1, 999), // after it
        ];
        let series = daily_series(&sums, today, 30);
        assert_eq!(series.len(), 2);
        let usd = &series[0];
        assert_eq!(usd.currency, "usd");
        assert_eq!(usd.net.len(), 30);
        assert_eq!((usd.net[0], usd.net[29]), (300, 200));
        assert_eq!(usd.net[1..29].iter().sum::<i64>(), 0);
        assert_eq!((usd.total, usd.fees), (500, 3));
        assert_eq!(series[1].currency, "eur");
        assert_eq!(series[1].net[26], 50);
        assert!(daily_series(&[], today, 30).is_empty());
    }

    #[test]
    fn days_fold_into_calendar_months_newest_first() {
        let d = |y, m, dd| Date::new(y, m, dd).unwrap().day_number();
        let sums = [
            day(d(2025, 12, 31), "usd", 1, 100),
            day(d(2026, 1, 1), "usd", 2, 250),
            day(d(2026, 1, 31), "usd", 1, 50),
            day(d(2026, 1, 15), "jpy", 1, 300),
        ];
        let months = by_month(&sums);
        let seen: Vec<_> = months
            .iter()
            .map(|m| (m.year, m.month, m.currency.as_str(), m.fees, m.net))
            .collect();
        assert_eq!(
            seen,
            vec![
                (2026, 1, "jpy", 1, 300),
                (2026, 1, "usd", 3, 300),
                (2025, 12, "usd", 1, 100),
            ]
        );
        assert_eq!(month_label(2026, 1), "January 2026");
        assert_eq!(month_label(2025, 12), "December 2025");
    }
}
