//! Reading and validating request parameters the way Stripe does: unknown parameters are rejected,
//! required ones must be present and non-empty, enums and integers are checked.

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::form::param_name;

/// Rejects keys of `obj` not in `allowed`; `path` names where `obj` sits (empty for the top level).
pub fn allow(obj: &Value, allowed: &[&str], path: &[&str]) -> ApiResult<()> {
    let Some(map) = obj.as_object() else {
        if path.is_empty() || obj.is_null() {
            return Ok(());
        }
        return Err(ApiError::invalid(
            format!("Invalid object: {} must be a hash", param_name(path)),
            Some(&param_name(path)),
        ));
    };
    for key in map.keys() {
        if (key != "expand" || !path.is_empty()) && !allowed.contains(&key.as_str()) {
            let mut full: Vec<&str> = path.to_vec();
            full.push(key);
            return Err(ApiError::unknown(&param_name(&full)));
        }
    }
    Ok(())
}

/// Requires `obj` (if present) to be a hash and returns it.
pub fn hash<'a>(obj: &'a Value, key: &str, path: &[&str]) -> ApiResult<Option<&'a Value>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(_) => {
            let mut full = path.to_vec();
            full.push(key);
            let name = param_name(&full);
            Err(ApiError::invalid(
                format!("Invalid object: {name} must be a hash"),
                Some(&name),
            ))
        }
    }
}

fn full_name(path: &[&str], key: &str) -> String {
    let mut full = path.to_vec();
    full.push(key);
    param_name(&full)
}

/// An optional string (empty strings are returned as `Some("")`, meaning "unset").
pub fn opt_str(obj: &Value, key: &str, path: &[&str]) -> ApiResult<Option<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => {
            let name = full_name(path, key);
            Err(ApiError::invalid(
                format!("Invalid string: {name} must be a string"),
                Some(&name),
            ))
        }
    }
}

/// An optional string that may not be empty.
pub fn opt_nonempty(obj: &Value, key: &str, path: &[&str]) -> ApiResult<Option<String>> {
    match opt_str(obj, key, path)? {
        Some(s) if s.is_empty() => Err(ApiError::empty(&full_name(path, key))),
        other => Ok(other),
    }
}

pub fn req_str(obj: &Value, key: &str, path: &[&str]) -> ApiResult<String> {
    opt_nonempty(obj, key, path)?.ok_or_else(|| ApiError::missing(&full_name(path, key)))
}

pub fn opt_enum(
    obj: &Value,
    key: &str,
    path: &[&str],
    allowed: &[&str],
) -> ApiResult<Option<String>> {
    let Some(v) = opt_nonempty(obj, key, path)? else {
        return Ok(None);
    };
    if allowed.contains(&v.as_str()) {
        Ok(Some(v))
    } else {
        let name = full_name(path, key);
        let list = match allowed.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}, or {last}", rest.join(", ")),
            Some((last, _)) => last.to_string(),
            None => String::new(),
        };
        Err(ApiError::invalid(
            format!("Invalid {name}: must be one of {list}"),
            Some(&name),
        ))
    }
}

pub fn opt_bool(obj: &Value, key: &str, path: &[&str]) -> ApiResult<Option<bool>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" => Ok(Some(false)),
        Some(other) => {
            let name = full_name(path, key);
            let shown = other
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| other.to_string());
            Err(ApiError::invalid_code(
                "parameter_invalid_boolean",
                format!("Invalid boolean: {shown}"),
                Some(&name),
            ))
        }
    }
}

pub fn opt_int(obj: &Value, key: &str, path: &[&str]) -> ApiResult<Option<i64>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(Value::String(s)) => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::invalid_integer(&full_name(path, key), s)),
        Some(other) => Err(ApiError::invalid_integer(
            &full_name(path, key),
            &other.to_string(),
        )),
    }
}

/// `metadata[...]`: string values of at most 500 characters; empty values delete keys.
pub fn apply_metadata(
    target: &mut std::collections::BTreeMap<String, String>,
    obj: &Value,
) -> ApiResult<()> {
    match obj.get("metadata") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if s.is_empty() => {
            target.clear();
            Ok(())
        }
        Some(Value::Object(map)) => {
            for (k, v) in map {
                let s = v.as_str().ok_or_else(|| {
                    ApiError::invalid(
                        format!("Invalid metadata[{k}]: must be a string"),
                        Some(&format!("metadata[{k}]")),
                    )
                })?;
                if k.len() > 40 {
                    return Err(ApiError::invalid(
                        "Metadata keys can have at most 40 characters.",
                        Some(&format!("metadata[{k}]")),
                    ));
                }
                if s.len() > 500 {
                    return Err(ApiError::invalid(
                        "Metadata values can have at most 500 characters.",
                        Some(&format!("metadata[{k}]")),
                    ));
                }
                if s.is_empty() {
                    target.remove(k);
                } else {
                    target.insert(k.clone(), s.to_string());
                }
            }
            Ok(())
        }
        Some(_) => Err(ApiError::invalid(
            "Invalid object: metadata must be a hash",
            Some("metadata"),
        )),
    }
}

/// `expand[]` values.
pub fn expand_list(obj: &Value) -> ApiResult<Vec<String>> {
    match obj.get("expand") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ApiError::invalid("Invalid array: expand", Some("expand")))
            })
            .collect(),
        Some(Value::String(s)) if s.is_empty() => Ok(Vec::new()),
        Some(_) => Err(ApiError::invalid(
            "Invalid array: expand must be an array",
            Some("expand"),
        )),
    }
}

/// Flattens nested hashes into dotted paths: `{individual: {dob: {day: "1"}}}` → `individual.dob.day = 1`.
pub fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, child, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), child, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => {}
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rejects_unknown_nested_params() {
        let v = json!({"settings": {"payouts": {"foo": "1"}}});
        let err = allow(
            &v["settings"]["payouts"],
            &["schedule"],
            &["settings", "payouts"],
        )
        .unwrap_err();
        assert_eq!(err.code.as_deref(), Some("parameter_unknown"));
        assert_eq!(err.param.as_deref(), Some("settings[payouts][foo]"));
    }

    #[test]
    fn enums_integers_and_booleans() {
        let v = json!({"interval": "yearly", "n": "x", "b": "maybe"});
        assert!(opt_enum(&v, "interval", &[], &["daily", "weekly"])
            .unwrap_err()
            .message
            .contains("daily, or weekly"));
        assert_eq!(
            opt_int(&v, "n", &[]).unwrap_err().code.as_deref(),
            Some("parameter_invalid_integer")
        );
        assert!(opt_bool(&v, "b", &[]).is_err());
        assert_eq!(
            req_str(&json!({"a": ""}), "a", &[])
                .unwrap_err()
                .code
                .as_deref(),
            Some("parameter_invalid_empty")
        );
        assert_eq!(
            req_str(&json!({}), "a", &[]).unwrap_err().code.as_deref(),
            Some("parameter_missing")
        );
    }
}
