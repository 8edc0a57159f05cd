//! Plans for the test-data tools: realistic test payments (amounts, currencies, Stripe's test
//! cards) for a connected account. Deterministic for a given seed, so tests can check the plan.

use serde::{Deserialize, Serialize};

use crate::money::decimals;

/// At most this many ordinary payments per click (each is one Stripe call).
pub const MAX_TEST_PAYMENTS: u32 = 20;

/// Stripe's test payment methods the tools use, and what each does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestCard {
    Visa,
    VisaDebit,
    Mastercard,
    /// Succeeds, then the customer disputes it.
    CreateDispute,
    /// Declined by the issuer: a failed payment.
    ChargeDeclined,
}

impl TestCard {
    /// The test PaymentMethod id Stripe accepts in test mode.
    pub fn payment_method(self) -> &'static str {
        match self {
            TestCard::Visa => "pm_card_visa",
            TestCard::VisaDebit => "pm_card_visa_debit",
            TestCard::Mastercard => "pm_card_mastercard",
            TestCard::CreateDispute => "pm_card_createDispute",
            TestCard::ChargeDeclined => "pm_card_chargeDeclined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TestCard::Visa => "Visa",
            TestCard::VisaDebit => "Visa debit",
            TestCard::Mastercard => "Mastercard",
            TestCard::CreateDispute => "Visa (will be disputed)",
            TestCard::ChargeDeclined => "Visa (declined)",
        }
    }
}

/// What the owner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestPaymentOptions {
    /// Ordinary successful payments (1..=[`MAX_TEST_PAYMENTS`]).
    pub count: u32,
    /// One more payment that the customer disputes.
    pub with_dispute: bool,
    /// One more payment that the card issuer declines.
    pub with_decline: bool,
}

/// Why a request for test payments was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    CountOutOfRange,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::CountOutOfRange => {
                write!(f, "Choose between 1 and {MAX_TEST_PAYMENTS} payments.")
            }
        }
    }
}

/// One payment to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPayment {
    /// Minor units of `currency`.
    pub amount: i64,
    /// ISO 4217, lower case.
    pub currency: String,
    pub card: TestCard,
    pub description: String,
}

/// The currency an account in `country` is usually paid in (lower case); USD when unknown.
pub fn home_currency(country: &str) -> &'static str {
    match country.to_ascii_uppercase().as_str() {
        "GB" => "gbp",
        "JP" => "jpy",
        "CA" => "cad",
        "AU" => "aud",
        "NZ" => "nzd",
        "CH" => "chf",
        "SE" => "sek",
        "NO" => "nok",
        "DK" => "dkk",
        "PL" => "pln",
        "SG" => "sgd",
        "HK" => "hkd",
        "MX" => "mxn",
        "AT" | "BE" | "CY" | "DE" | "EE" | "ES" | "FI" | "FR" | "GR" | "HR" | "IE" | "IT"
        | "LT" | "LU" | "LV" | "MT" | "NL" | "PT" | "SI" | "SK" => "eur",
        _ => "usd",
    }
}

/// SplitMix64: a small, good-enough generator; no dependency and the same on server and browser.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Typical basket prices in whole units of a two-decimal currency, and what was bought.
const BASKETS: &[(i64, &str)] = &[
    (8, "Coffee beans"),
    (15, "Paperback book"),
    (24, "Monthly subscription"),
    (39, "Running socks, 3 pairs"),
    (59, "Desk lamp"),
    (89, "Concert ticket"),
    (140, "Weekend bike rental"),
    (260, "Design consultation"),
];

/// An amount in minor units of `currency` near `whole` units of a two-decimal currency. Prices
/// end the way shops price them (.99, .50, .00); zero-decimal currencies (JPY, KRW…) get whole
/// amounts scaled to the currency (about 150 yen to the dollar, rounded to 10).
fn price(rng: &mut Rng, whole: i64, currency: &str) -> i64 {
    match decimals(currency) {
        0 => {
            let scale = if currency.eq_ignore_ascii_case("krw") {
                1_300
            } else {
                150
            };
            (whole * scale / 10 + rng.below(10) as i64) * 10
        }
        d => {
            let cents = [99, 50, 0, 49][rng.below(4) as usize];
            let unit = 10_i64.pow(d);
            let major = (whole - 1).max(1);
            major * unit + cents * unit / 100
        }
    }
}

/// The payments to create: `count` ordinary ones over the usual test cards, then the disputed and
/// the declined one if asked, all in the account's home currency (the currency it settles and
/// pays out in: Stripe converts other presentment currencies into it, which the offline emulator
/// does not model).
pub fn plan(
    options: TestPaymentOptions,
    home_currency: &str,
    seed: u64,
) -> Result<Vec<PlannedPayment>, PlanError> {
    if options.count == 0 || options.count > MAX_TEST_PAYMENTS {
        return Err(PlanError::CountOutOfRange);
    }
    let currency = home_currency.to_ascii_lowercase();
    let mut rng = Rng(seed);
    let ordinary = [TestCard::Visa, TestCard::VisaDebit, TestCard::Mastercard];
    let mut cards: Vec<TestCard> = (0..options.count as usize)
        .map(|i| ordinary[i % ordinary.len()])
        .collect();
    if options.with_dispute {
        cards.push(TestCard::CreateDispute);
    }
    if options.with_decline {
        cards.push(TestCard::ChargeDeclined);
    }
    Ok(cards
        .into_iter()
        .map(|card| {
            let (whole, what) = BASKETS[rng.below(BASKETS.len() as u64) as usize];
            PlannedPayment {
                amount: price(&mut rng, whole, &currency),
                description: format!("Test payment: {what}"),
                currency: currency.clone(),
                card,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(count: u32) -> TestPaymentOptions {
        TestPaymentOptions {
            count,
            with_dispute: false,
            with_decline: false,
        }
    }

    #[test]
    fn count_is_bounded() {
        assert_eq!(plan(options(0), "usd", 1), Err(PlanError::CountOutOfRange));
        assert_eq!(
            plan(options(MAX_TEST_PAYMENTS + 1), "usd", 1),
            Err(PlanError::CountOutOfRange)
        );
        assert_eq!(
            plan(options(MAX_TEST_PAYMENTS), "usd", 1).unwrap().len(),
            20
        );
    }

    #[test]
    fn special_cards_come_after_the_ordinary_ones() {
        let planned = plan(
            TestPaymentOptions {
                count: 3,
                with_dispute: true,
                with_decline: true,
            },
            "usd",
            7,
        )
        .unwrap();
        let cards: Vec<TestCard> = planned.iter().map(|p| p.card).collect();
        assert_eq!(
            cards,
            vec![
                TestCard::Visa,
                TestCard::VisaDebit,
                TestCard::Mastercard,
                TestCard::CreateDispute,
                TestCard::ChargeDeclined
            ]
        );
    }

    #[test]
    fn amounts_are_realistic_and_above_stripes_minimum() {
        for seed in 0..200 {
            for p in plan(options(10), "usd", seed).unwrap() {
                {
                    assert!((700..=26_000).contains(&p.amount), "{p:?}");
                    assert!(matches!(p.amount % 100, 99 | 50 | 0 | 49), "{p:?}");
                }
            }
        }
    }

    #[test]
    fn zero_decimal_currencies_get_whole_yen() {
        for seed in 0..100 {
            for p in plan(options(5), "jpy", seed).unwrap() {
                {
                    assert_eq!(p.amount % 10, 0, "{p:?}");
                    assert!((1_000..=40_000).contains(&p.amount), "{p:?}");
                }
            }
        }
    }

    #[test]
    fn payments_are_in_the_home_currency_with_varied_amounts() {
        let planned = plan(options(8), "GBP", 3).unwrap();
        assert!(planned.iter().all(|p| p.currency == "gbp"));
        let mut amounts: Vec<i64> = planned.iter().map(|p| p.amount).collect();
        amounts.sort();
        amounts.dedup();
        assert!(amounts.len() > 3, "{amounts:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_plan() {
        assert_eq!(
            plan(options(5), "usd", 42).unwrap(),
            plan(options(5), "usd", 42).unwrap()
        );
        assert_ne!(
            plan(options(5), "usd", 42).unwrap(),
            plan(options(5), "usd", 43).unwrap()
        );
    }

    #[test]
    fn home_currency_by_country() {
        assert_eq!(home_currency("us"), "usd");
        assert_eq!(home_currency("DE"), "eur");
        assert_eq!(home_currency("JP"), "jpy");
        assert_eq!(home_currency("ZZ"), "usd");
    }
}
