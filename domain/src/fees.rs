//! The platform's application fee on direct charges (`application_fee_amount`), computed in the
//! charge currency's minor units.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::format_amount;

/// The largest percentage a platform may set: 100% (in basis points).
pub const MAX_PERCENT_BPS: u32 = 10_000;

/// A fixed part of the fee in one currency. A fixed fee only applies to charges in its own
/// currency: there is no exchange rate here, and reusing the number in another currency's minor
/// units would turn 30 cents into 30 yen or 30 won.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedFee {
    /// ISO 4217, lower case.
    pub currency: String,
    /// Minor units of `currency`.
    pub amount: i64,
}

/// The platform setting: a percentage of the charge plus a fixed amount per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFeeRule {
    /// Percentage in basis points (290 = 2.9%), so settings never hold floating point.
    pub percent_bps: u32,
    #[serde(default)]
    pub fixed: Vec<FixedFee>,
}

/// Why a fee setting was refused; `Display` is the sentence shown in the settings form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeeRuleError {
    PercentTooHigh,
    PercentNotANumber,
    FixedNegative { currency: String },
    FixedDuplicate { currency: String },
}

impl fmt::Display for FeeRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeeRuleError::PercentTooHigh => f.write_str("The percentage can be at most 100%."),
            FeeRuleError::PercentNotANumber => {
                f.write_str("Enter the percentage as a number with at most two decimals, like 2.9.")
            }
            FeeRuleError::FixedNegative { currency } => write!(
                f,
                "The fixed fee in {} cannot be negative.",
                currency.to_ascii_uppercase()
            ),
            FeeRuleError::FixedDuplicate { currency } => write!(
                f,
                "There are two fixed fees in {}. Keep one.",
                currency.to_ascii_uppercase()
            ),
        }
    }
}

impl std::error::Error for FeeRuleError {}

impl ApplicationFeeRule {
    /// A percentage plus one fixed fee in one currency, the common case.
    pub fn new(percent_bps: u32, fixed_currency: &str, fixed_amount: i64) -> Self {
        ApplicationFeeRule {
            percent_bps,
            fixed: vec![FixedFee {
                currency: fixed_currency.to_ascii_lowercase(),
                amount: fixed_amount,
            }],
        }
    }

    /// Checks the setting before it is saved, so a bad rule never reaches a charge.
    pub fn validate(&self) -> Result<(), FeeRuleError> {
        if self.percent_bps > MAX_PERCENT_BPS {
            return Err(FeeRuleError::PercentTooHigh);
        }
        let mut seen: Vec<String> = Vec::new();
        for fixed in &self.fixed {
            let currency = fixed.currency.to_ascii_lowercase();
            if fixed.amount < 0 {
                return Err(FeeRuleError::FixedNegative { currency });
            }
            if seen.contains(&currency) {
                return Err(FeeRuleError::FixedDuplicate { currency });
            }
            seen.push(currency);
        }
        Ok(())
    }

    /// The fixed part for `currency` (0 when none is set for it).
    pub fn fixed_for(&self, currency: &str) -> i64 {
        self.fixed
            .iter()
            .find(|f| f.currency.eq_ignore_ascii_case(currency))
            .map_or(0, |f| f.amount.max(0))
    }

    /// `application_fee_amount` for a charge of `amount` minor units in `currency`: the
    /// percentage rounded half up to a whole minor unit (a whole yen for JPY), plus the fixed
    /// part, never negative and never more than the charge (Stripe refuses a larger fee).
    pub fn fee_for(&self, amount: i64, currency: &str) -> i64 {
        if amount <= 0 {
            return 0;
        }
        let bps = i128::from(self.percent_bps.min(MAX_PERCENT_BPS));
        let percent_part = (i128::from(amount) * bps + 5_000) / 10_000;
        let total = percent_part + i128::from(self.fixed_for(currency));
        total.clamp(0, i128::from(amount)) as i64
    }

    /// The rule in words for `currency`, e.g. "2.9% + $0.30" or "3.6%".
    pub fn describe(&self, currency: &str) -> String {
        let percent = format_percent_bps(self.percent_bps);
        match self.fixed_for(currency) {
            0 => percent,
            fixed => format!("{percent} + {}", format_amount(fixed, currency)),
        }
    }
}

/// `290` → "2.9%", `1000` → "10%", `5` → "0.05%".
pub fn format_percent_bps(bps: u32) -> String {
    let whole = bps / 100;
    let fraction = bps % 100;
    if fraction == 0 {
        format!("{whole}%")
    } else {
        let digits = format!("{fraction:02}");
        format!("{whole}.{}%", digits.trim_end_matches('0'))
    }
}

/// Reads a percentage typed in the settings form (`2.9`, `2.90 %`, `10`) as basis points.
pub fn parse_percent_bps(input: &str) -> Result<u32, FeeRuleError> {
    let text = input.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return Err(FeeRuleError::PercentNotANumber);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 || whole.len() > 6 {
        return Err(FeeRuleError::PercentNotANumber);
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| FeeRuleError::PercentNotANumber)?
    };
    let fraction: u32 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| FeeRuleError::PercentNotANumber)?;
    let bps = whole * 100 + fraction;
    if bps > MAX_PERCENT_BPS {
        return Err(FeeRuleError::PercentTooHigh);
    }
    Ok(bps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentage_rounds_half_up_in_minor_units() {
        let rule = ApplicationFeeRule {
            percent_bps: 290,
            fixed: Vec::new(),
        };
        // 2.9% of $10.00 = 29 cents exactly.
        assert_eq!(rule.fee_for(1000, "usd"), 29);
        // 2.9% of $0.50 = 1.45 cents → 1; of $0.55 = 1.595 → 2.
        assert_eq!(rule.fee_for(50, "usd"), 1);
        assert_eq!(rule.fee_for(55, "usd"), 2);
        // Exactly half a minor unit rounds up: 5% of 10 = 0.5 → 1.
        let five = ApplicationFeeRule {
            percent_bps: 500,
            fixed: Vec::new(),
        };
        assert_eq!(five.fee_for(10, "usd"), 1);
        assert_eq!(five.fee_for(9, "usd"), 0);
    }

    #[test]
    fn zero_decimal_currencies_round_to_whole_units() {
        let rule = ApplicationFeeRule::new(360, "jpy", 40);
        // 3.6% of ¥1,000 = ¥36, plus ¥40.
        assert_eq!(rule.fee_for(1000, "jpy"), 76);
        // 3.6% of ¥125 = ¥4.5 → ¥5, plus ¥40.
        assert_eq!(rule.fee_for(125, "jpy"), 45);
        assert_eq!(rule.describe("jpy"), "3.6% + ¥40");
        // The yen fixed fee does not leak into other currencies.
        assert_eq!(rule.fee_for(1000, "usd"), 36);
        assert_eq!(rule.describe("usd"), "3.6%");
    }

    #[test]
    fn fixed_fee_applies_in_its_own_currency() {
        let rule = ApplicationFeeRule::new(290, "USD", 30);
        assert_eq!(rule.fee_for(1000, "usd"), 59);
        assert_eq!(rule.fee_for(1000, "USD"), 59);
        assert_eq!(rule.fee_for(1000, "eur"), 29);
        assert_eq!(rule.describe("usd"), "2.9% + $0.30");
    }

    #[test]
    fn never_above_the_amount_never_negative() {
        let rule = ApplicationFeeRule::new(290, "usd", 30);
        assert_eq!(rule.fee_for(20, "usd"), 20);
        assert_eq!(rule.fee_for(0, "usd"), 0);
        assert_eq!(rule.fee_for(-500, "usd"), 0);
        let everything = ApplicationFeeRule {
            percent_bps: 50_000,
            fixed: Vec::new(),
        };
        assert_eq!(everything.fee_for(1234, "usd"), 1234);
        let negative_fixed = ApplicationFeeRule::new(0, "usd", -100);
        assert_eq!(negative_fixed.fee_for(1000, "usd"), 0);
        // No overflow on the largest amounts.
        let full = ApplicationFeeRule::new(10_000, "usd", 0);
        assert_eq!(full.fee_for(i64::MAX, "usd"), i64::MAX);
    }

    #[test]
    fn rule_validation() {
        assert_eq!(ApplicationFeeRule::new(290, "usd", 30).validate(), Ok(()));
        assert_eq!(
            ApplicationFeeRule::new(10_001, "usd", 30).validate(),
            Err(FeeRuleError::PercentTooHigh)
        );
        assert_eq!(
            ApplicationFeeRule::new(100, "usd", -1).validate(),
            Err(FeeRuleError::FixedNegative {
                currency: "usd".into()
            })
        );
        let duplicate = ApplicationFeeRule {
            percent_bps: 100,
            fixed: vec![
                FixedFee {
                    currency: "usd".into(),
                    amount: 30,
                },
                FixedFee {
                    currency: "USD".into(),
                    amount: 25,
                },
            ],
        };
        assert_eq!(
            duplicate.validate().unwrap_err().to_string(),
            "There are two fixed fees in USD. Keep one."
        );
    }

    #[test]
    fn percentages_in_and_out() {
        assert_eq!(parse_percent_bps("2.9"), Ok(290));
        assert_eq!(parse_percent_bps(" 2.90 % "), Ok(290));
        assert_eq!(parse_percent_bps("10"), Ok(1000));
        assert_eq!(parse_percent_bps(".05"), Ok(5));
        assert_eq!(parse_percent_bps("100"), Ok(10_000));
        assert_eq!(
            parse_percent_bps("100.01"),
            Err(FeeRuleError::PercentTooHigh)
        );
        for bad in ["", "%", "abc", "2.955", "-1", "1e2", "2,9"] {
            assert_eq!(
                parse_percent_bps(bad),
                Err(FeeRuleError::PercentNotANumber),
                "{bad}"
            );
        }
        assert_eq!(format_percent_bps(290), "2.9%");
        assert_eq!(format_percent_bps(1000), "10%");
        assert_eq!(format_percent_bps(5), "0.05%");
        assert_eq!(format_percent_bps(1234), "12.34%");
        for bps in [0, 1, 10, 99, 290, 1234, 10_000] {
            assert_eq!(parse_percent_bps(&format_percent_bps(bps)), Ok(bps));
        }
    }
}
