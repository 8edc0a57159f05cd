//! `settings[payouts][schedule]` with Stripe's validation: interval manual|daily|weekly|monthly,
//! weekly_anchor only (and required) with weekly, monthly_anchor 1–31 only (and required) with monthly,
//! delay_days at least the country's minimum or `minimum`.

use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::params::{allow, opt_enum, opt_str};
use crate::spec::Operation;

const PATH: &[&str] = &["settings", "payouts", "schedule"];
const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The shortest payout delay Stripe allows for accounts in `country`.
pub fn minimum_delay(country: &str) -> i64 {
    match country {
        "US" => 2,
        "JP" => 4,
        "BR" => 30,
        "AU" | "NZ" | "CA" | "GB" => 3,
        _ => 4,
    }
}

fn p(key: &str) -> String {
    format!("settings[payouts][schedule][{key}]")
}

/// Applies `params` to the `current` schedule and returns the new one, or Stripe's error. `op` is
/// the operation whose table (`settings[payouts][schedule]`) names the parameters and their values.
pub fn apply(current: &Value, params: &Value, country: &str, op: &Operation) -> ApiResult<Value> {
    let path = |key: &'static str| [PATH, &[key]].concat();
    allow(params, &op.names(PATH), PATH)?;
    let interval = opt_enum(params, "interval", PATH, op.one_of(&path("interval")))?
        .or_else(|| current["interval"].as_str().map(str::to_string))
        .unwrap_or_else(|| "daily".into());
    let min = minimum_delay(country);
    let mut out =
        json!({"delay_days": current["delay_days"].as_i64().unwrap_or(min), "interval": interval});

    if let Some(d) = params.get("delay_days") {
        let raw = d
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| d.to_string());
        let days = if raw == "minimum" {
            min
        } else {
            let n: i64 = raw
                .parse()
                .map_err(|_| ApiError::invalid_integer(&p("delay_days"), &raw))?;
            if n < min {
                return Err(ApiError::invalid(
                    format!("The minimum delay_days for accounts in {country} is {min}. Pass `minimum` to use the shortest delay available."),
                    Some(&p("delay_days")),
                ));
            }
            if n > 365 {
                return Err(ApiError::invalid(
                    "delay_days must be at most 365.",
                    Some(&p("delay_days")),
                ));
            }
            n
        };
        out["delay_days"] = json!(days);
    }

    let weekly_anchor = opt_enum(
        params,
        "weekly_anchor",
        PATH,
        op.one_of(&path("weekly_anchor")),
    )?;
    let weekly_days = params.get("weekly_payout_days");
    match (interval.as_str(), &weekly_anchor) {
        ("weekly", Some(a)) => out["weekly_anchor"] = json!(a),
        ("weekly", None) => match current["weekly_anchor"].as_str() {
            Some(a) if current["interval"] == json!("weekly") => out["weekly_anchor"] = json!(a),
            _ if weekly_days.is_some() => {}
            _ => return Err(ApiError::missing(&p("weekly_anchor"))),
        },
        (_, Some(_)) => {
            return Err(ApiError::invalid(
                "You can only set `weekly_anchor` when `interval` is `weekly`.",
                Some(&p("weekly_anchor")),
            ))
        }
        _ => {}
    }
    if let Some(days) = weekly_days {
        if interval != "weekly" {
            return Err(ApiError::invalid(
                "You can only set `weekly_payout_days` when `interval` is `weekly`.",
                Some(&p("weekly_payout_days")),
            ));
        }
        let list: Vec<String> = match days {
            Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => {
                return Err(ApiError::invalid(
                    "Invalid array",
                    Some(&p("weekly_payout_days")),
                ))
            }
        };
        if list.is_empty() || list.iter().any(|d| !DAYS[..5].contains(&d.as_str())) {
            return Err(ApiError::invalid(
                "weekly_payout_days must be weekdays (monday to friday).",
                Some(&p("weekly_payout_days")),
            ));
        }
        out["weekly_payout_days"] = json!(list);
    }

    let monthly_anchor = match params.get("monthly_anchor") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let raw = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            let n: i64 = raw
                .parse()
                .map_err(|_| ApiError::invalid_integer(&p("monthly_anchor"), &raw))?;
            if !(1..=31).contains(&n) {
                return Err(ApiError::invalid(
                    "Invalid monthly_anchor: must be an integer between 1 and 31",
                    Some(&p("monthly_anchor")),
                ));
            }
            Some(n)
        }
    };
    let monthly_days = params.get("monthly_payout_days");
    match (interval.as_str(), monthly_anchor) {
        ("monthly", Some(a)) => out["monthly_anchor"] = json!(a),
        ("monthly", None) => match current["monthly_anchor"].as_i64() {
            Some(a) if current["interval"] == json!("monthly") => out["monthly_anchor"] = json!(a),
            _ if monthly_days.is_some() => {}
            _ => return Err(ApiError::missing(&p("monthly_anchor"))),
        },
        (_, Some(_)) => {
            return Err(ApiError::invalid(
                "You can only set `monthly_anchor` when `interval` is `monthly`.",
                Some(&p("monthly_anchor")),
            ))
        }
        _ => {}
    }
    if let Some(days) = monthly_days {
        if interval != "monthly" {
            return Err(ApiError::invalid(
                "You can only set `monthly_payout_days` when `interval` is `monthly`.",
                Some(&p("monthly_payout_days")),
            ));
        }
        let list: Vec<i64> = match days {
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .and_then(|s| s.parse().ok())
                        .filter(|n| (1..=31).contains(n))
                })
                .collect::<Option<Vec<i64>>>()
                .ok_or_else(|| {
                    ApiError::invalid(
                        "monthly_payout_days must be integers between 1 and 31.",
                        Some(&p("monthly_payout_days")),
                    )
                })?,
            _ => {
                return Err(ApiError::invalid(
                    "Invalid array",
                    Some(&p("monthly_payout_days")),
                ))
            }
        };
        out["monthly_payout_days"] = json!(list);
    }
    if let Some(s) = opt_str(params, "interval", PATH)? {
        if s.is_empty() {
            return Err(ApiError::empty(&p("interval")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: &Operation = &crate::spec::POST_ACCOUNT;

    fn daily() -> Value {
        json!({"delay_days": 2, "interval": "daily"})
    }

    #[test]
    fn accepts_valid_schedules() {
        assert_eq!(
            apply(
                &daily(),
                &json!({"interval": "weekly", "weekly_anchor": "friday"}),
                "US",
                OP
            )
            .unwrap(),
            json!({"delay_days": 2, "interval": "weekly", "weekly_anchor": "friday"})
        );
        assert_eq!(
            apply(
                &daily(),
                &json!({"interval": "monthly", "monthly_anchor": "31", "delay_days": "7"}),
                "US",
                OP
            )
            .unwrap(),
            json!({"delay_days": 7, "interval": "monthly", "monthly_anchor": 31})
        );
        assert_eq!(
            apply(&daily(), &json!({"interval": "manual"}), "US", OP).unwrap(),
            json!({"delay_days": 2, "interval": "manual"})
        );
        assert_eq!(
            apply(
                &json!({"delay_days": 9, "interval": "daily"}),
                &json!({"delay_days": "minimum"}),
                "US",
                OP
            )
            .unwrap()["delay_days"],
            2
        );
    }

    #[test]
    fn rejects_invalid_schedules() {
        let err = |p: Value| apply(&daily(), &p, "US", OP).unwrap_err();
        assert!(err(json!({"interval": "yearly"}))
            .message
            .contains("must be one of"));
        assert_eq!(
            err(json!({"interval": "daily", "weekly_anchor": "monday"}))
                .param
                .as_deref(),
            Some("settings[payouts][schedule][weekly_anchor]")
        );
        assert_eq!(
            err(json!({"interval": "weekly"})).code.as_deref(),
            Some("parameter_missing")
        );
        assert_eq!(
            err(json!({"interval": "monthly", "monthly_anchor": "32"}))
                .param
                .as_deref(),
            Some("settings[payouts][schedule][monthly_anchor]")
        );
        assert_eq!(
            err(json!({"interval": "monthly", "monthly_anchor": "0"}))
                .param
                .as_deref(),
            Some("settings[payouts][schedule][monthly_anchor]")
        );
        assert_eq!(
            err(json!({"interval": "weekly", "weekly_anchor": "friday", "monthly_anchor": "3"}))
                .param
                .as_deref(),
            Some("settings[payouts][schedule][monthly_anchor]")
        );
        assert!(err(json!({"delay_days": "1"})).message.contains("minimum"));
        assert_eq!(
            err(json!({"delay_days": "soon"})).code.as_deref(),
            Some("parameter_invalid_integer")
        );
        assert_eq!(
            err(json!({"weekly_anchor": "funday", "interval": "weekly"}))
                .param
                .as_deref(),
            Some("settings[payouts][schedule][weekly_anchor]")
        );
    }
}
