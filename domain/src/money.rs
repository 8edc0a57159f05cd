//! Amounts as Stripe sends them (integers in the currency's minor unit), shown and typed in the
//! account's currency.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Stripe's zero-decimal currencies: `amount` is already in whole units (¥500 is `500`).
const ZERO_DECIMAL: &[&str] = &[
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

/// Stripe's three-decimal currencies (1.000 BHD is `1000`).
const THREE_DECIMAL: &[&str] = &["bhd", "jod", "kwd", "omr", "tnd"];

/// Typed amounts larger than this (in minor units) are refused as typos; it also keeps every
/// computation far from `i64` overflow.
pub const MAX_MINOR_UNITS: i64 = 1_000_000_000_000_000;

/// Digits after the decimal point for `currency` (ISO 4217 code, any case): 0, 2 or 3.
pub fn decimals(currency: &str) -> u32 {
    let code = currency.to_ascii_lowercase();
    if ZERO_DECIMAL.contains(&code.as_str()) {
        0
    } else if THREE_DECIMAL.contains(&code.as_str()) {
        3
    } else {
        2
    }
}

/// Minor units in one whole unit (1, 100 or 1000).
pub fn minor_per_major(currency: &str) -> i64 {
    10_i64.pow(decimals(currency))
}

/// The symbol people expect for common currencies; `None` means show the ISO code.
pub fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency.to_ascii_lowercase().as_str() {
        "usd" => "$",
        "eur" => "€",
        "gbp" => "£",
        "jpy" => "¥",
        "cad" => "CA$",
        "aud" => "A$",
        "nzd" => "NZ$",
        "hkd" => "HK$",
        "sgd" => "S$",
        "mxn" => "MX$",
        "brl" => "R$",
        "inr" => "₹",
        "krw" => "₩",
        "cny" => "CN¥",
        "ils" => "₪",
        "php" => "₱",
        "thb" => "฿",
        "vnd" => "₫",
        "ngn" => "₦",
        _ => return None,
    })
}

/// Formats `minor` units of `currency` for people: `$1,234.56`, `-€5.00`, `¥1,235`,
/// `CHF 10.00`, `BHD 1.500`.
pub fn format_amount(minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    let unit = minor_per_major(currency).unsigned_abs();
    let absolute = minor.unsigned_abs();
    let whole = group_thousands(absolute / unit);
    let number = if places == 0 {
        whole
    } else {
        format!(
            "{whole}.{:0width$}",
            absolute % unit,
            width = places as usize
        )
    };
    let sign = if minor < 0 { "-" } else { "" };
    match symbol(currency) {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{} {number}", currency.to_ascii_uppercase()),
    }
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An amount with its currency, as Stripe's objects pair them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Minor units.
    pub amount: i64,
    /// ISO 4217, lower case as Stripe sends it.
    pub currency: String,
}

impl Money {
    pub fn new(amount: i64, currency: impl Into<String>) -> Money {
        Money {
            amount,
            currency: currency.into().to_ascii_lowercase(),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_amount(self.amount, &self.currency))
    }
}

/// Why a typed amount was refused; `Display` is the sentence shown under the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmountError {
    Empty,
    NotANumber,
    Negative,
    Zero,
    TooManyDecimals { allowed: u32 },
    TooLarge,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => f.write_str("Enter an amount."),
            AmountError::NotANumber => f.write_str("Enter the amount as a number, like 12.50."),
            AmountError::Negative | AmountError::Zero => {
                f.write_str("Enter an amount greater than zero.")
            }
            AmountError::TooManyDecimals { allowed: 0 } => {
                f.write_str("This currency has no decimal places. Enter a whole number.")
            }
            AmountError::TooManyDecimals { allowed } => {
                write!(f, "Use at most {allowed} digits after the decimal point.")
            }
            AmountError::TooLarge => f.write_str("That amount is too large."),
        }
    }
}

impl std::error::Error for AmountError {}

/// Reads an amount someone typed (`1,234.50`, `$12`, `12.5 EUR`) as minor units of `currency`.
/// Amounts typed in this portal move money (payouts, test payments), so they must be above zero.
pub fn parse_amount(input: &str, currency: &str) -> Result<i64, AmountError> {
    let mut text = input.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let negative = text.starts_with('-');
    text = text.trim_start_matches('-').trim();
    let code = currency.to_ascii_uppercase();
    for affix in [symbol(currency).unwrap_or(""), code.as_str()] {
        if affix.is_empty() {
            continue;
        }
        if let Some(rest) = text.strip_prefix(affix) {
            text = rest.trim();
        } else if let Some(rest) = text
            .strip_suffix(affix)
            .or_else(|| text.strip_suffix(affix.to_ascii_lowercase().as_str()))
        {
            text = rest.trim();
        }
    }
    if text.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if !valid_grouping(whole) {
        return Err(AmountError::NotANumber);
    }
    let whole_digits: String = whole.chars().filter(|c| *c != ',').collect();
    let fraction = fraction.unwrap_or("");
    if (whole_digits.is_empty() && fraction.is_empty())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(AmountError::NotANumber);
    }
    let allowed = decimals(currency);
    let significant = fraction.trim_end_matches('0');
    if significant.len() > allowed as usize {
        return Err(AmountError::TooManyDecimals { allowed });
    }
    let whole_value: i64 = if whole_digits.is_empty() {
        0
    } else {
        whole_digits.parse().map_err(|_| AmountError::TooLarge)?
    };
    let mut fraction_value: i64 = 0;
    for position in 0..allowed as usize {
        let digit = significant
            .as_bytes()
            .get(position)
            .map_or(0, |b| i64::from(b - b'0'));
        fraction_value = fraction_value * 10 + digit;
    }
    let minor = whole_value
        .checked_mul(minor_per_major(currency))
        .and_then(|v| v.checked_add(fraction_value))
        .filter(|v| *v <= MAX_MINOR_UNITS)
        .ok_or(AmountError::TooLarge)?;
    if negative && minor > 0 {
        return Err(AmountError::Negative);
    }
    if minor == 0 {
        return Err(AmountError::Zero);
    }
    Ok(minor)
}

/// Digits, optionally grouped by commas in threes (`1,234,567`); no other characters.
fn valid_grouping(whole: &str) -> bool {
    if !whole.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return false;
    }
    if !whole.contains(',') {
        return true;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_per_currency() {
        for code in ZERO_DECIMAL {
            assert_eq!(decimals(code), 0, "{code}");
        }
        for code in THREE_DECIMAL {
            assert_eq!(decimals(code), 3, "{code}");
        }
        assert_eq!(decimals("JPY"), 0);
        assert_eq!(decimals("usd"), 2);
        assert_eq!(decimals("chf"), 2);
        assert_eq!(minor_per_major("kwd"), 1000);
    }

    #[test]
    fn formats_with_symbols_separators_and_signs() {
        assert_eq!(format_amount(123_456, "usd"), "$1,234.56");
        assert_eq!(format_amount(5, "usd"), "$0.05");
        assert_eq!(format_amount(0, "usd"), "$0.00");
        assert_eq!(format_amount(-500, "eur"), "-€5.00");
        assert_eq!(format_amount(1_234_567_890, "gbp"), "£12,345,678.90");
        assert_eq!(format_amount(1235, "jpy"), "¥1,235");
        assert_eq!(format_amount(-1235, "JPY"), "-¥1,235");
        assert_eq!(format_amount(100, "cad"), "CA$1.00");
        assert_eq!(format_amount(100, "aud"), "A$1.00");
        assert_eq!(format_amount(1000, "chf"), "CHF 10.00");
        assert_eq!(format_amount(1500, "bhd"), "BHD 1.500");
        assert_eq!(format_amount(50_000, "krw"), "₩50,000");
        assert_eq!(format_amount(999, "clp"), "CLP 999");
        assert_eq!(
            format_amount(i64::MIN, "usd"),
            "-$92,233,720,368,547,758.08"
        );
        assert_eq!(Money::new(250, "USD").to_string(), "$2.50");
        assert_eq!(Money::new(250, "USD").currency, "usd");
    }

    #[test]
    fn parses_typed_amounts() {
        assert_eq!(parse_amount("12.50", "usd"), Ok(1250));
        assert_eq!(parse_amount(" 1,234.5 ", "usd"), Ok(123_450));
        assert_eq!(parse_amount("$12", "usd"), Ok(1200));
        assert_eq!(parse_amount("12 USD", "usd"), Ok(1200));
        assert_eq!(parse_amount("12 usd", "usd"), Ok(1200));
        assert_eq!(parse_amount("€0.99", "eur"), Ok(99));
        assert_eq!(parse_amount(".5", "usd"), Ok(50));
        assert_eq!(parse_amount("12.", "usd"), Ok(1200));
        assert_eq!(parse_amount("1,500", "jpy"), Ok(1500));
        assert_eq!(parse_amount("1500.00", "jpy"), Ok(1500));
        assert_eq!(parse_amount("1.234", "kwd"), Ok(1234));
        assert_eq!(parse_amount("CHF 10", "chf"), Ok(1000));
    }

    #[test]
    fn refuses_bad_amounts_with_reasons() {
        assert_eq!(parse_amount("  ", "usd"), Err(AmountError::Empty));
        assert_eq!(parse_amount("abc", "usd"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1,23", "usd"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.2.3", "usd"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("£5", "usd"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount(".", "usd"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("-5", "usd"), Err(AmountError::Negative));
        assert_eq!(parse_amount("0.00", "usd"), Err(AmountError::Zero));
        assert_eq!(
            parse_amount("1.234", "usd"),
            Err(AmountError::TooManyDecimals { allowed: 2 })
        );
        assert_eq!(
            parse_amount("10.5", "jpy"),
            Err(AmountError::TooManyDecimals { allowed: 0 })
        );
        assert_eq!(
            parse_amount("99999999999999999999", "usd"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            parse_amount("10000000000000.01", "usd"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            AmountError::TooManyDecimals { allowed: 0 }.to_string(),
            "This currency has no decimal places. Enter a whole number."
        );
        assert_eq!(
            AmountError::Zero.to_string(),
            "Enter an amount greater than zero."
        );
    }

    #[test]
    fn format_and_parse_agree() {
        for (minor, currency) in [
            (123_456, "usd"),
            (99, "eur"),
            (1_000_000, "jpy"),
            (1, "bhd"),
        ] {
            assert_eq!(
                parse_amount(&format_amount(minor, currency), currency),
                Ok(minor)
            );
        }
    }
}
