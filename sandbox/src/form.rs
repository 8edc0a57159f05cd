//! Stripe's v1 request encoding: `application/x-www-form-urlencoded` with bracket notation
//! (`a[b][c]=v`, `a[]=v`, `a[0]=v`), parsed into a JSON tree of strings, objects and arrays.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// Splits `a[b][]` into `["a", "b", ""]`.
fn split_key(key: &str) -> Option<Vec<String>> {
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => return Some(vec![key.to_string()]),
    };
    let mut parts = vec![head.to_string()];
    while !rest.is_empty() {
        if !rest.starts_with('[') {
            return None;
        }
        let close = rest.find(']')?;
        parts.push(rest[1..close].to_string());
        rest = &rest[close + 1..];
    }
    if parts[0].is_empty() {
        return None;
    }
    Some(parts)
}

fn insert(
    target: &mut Value,
    parts: &[String],
    value: String,
    full_key: &str,
) -> Result<(), ApiError> {
    let conflict = || {
        ApiError::invalid(
            format!("Invalid parameter structure for {full_key}"),
            Some(full_key),
        )
    };
    let (first, rest) = (&parts[0], &parts[1..]);
    if first.is_empty() {
        // `a[]`: append to an array.
        let arr = match target {
            Value::Array(a) => a,
            Value::Null => {
                *target = Value::Array(Vec::new());
                target.as_array_mut().expect("just set")
            }
            _ => return Err(conflict()),
        };
        if rest.is_empty() {
            arr.push(Value::String(value));
        } else {
            // `a[][b]=`: start a new element unless the last one lacks this key.
            let need_new = match arr.last() {
                Some(Value::Object(m)) => m.contains_key(&rest[0]),
                _ => true,
            };
            if need_new {
                arr.push(Value::Object(Map::new()));
            }
            let last = arr.last_mut().expect("non-empty");
            insert(last, rest, value, full_key)?;
        }
        return Ok(());
    }
    if target.is_null() {
        *target = Value::Object(Map::new());
    }
    let map = target.as_object_mut().ok_or_else(conflict)?;
    if rest.is_empty() {
        if map.contains_key(first) && !map[first].is_string() {
            return Err(conflict());
        }
        map.insert(first.clone(), Value::String(value));
        Ok(())
    } else {
        let child = map.entry(first.clone()).or_insert(Value::Null);
        if child.is_string() {
            return Err(conflict());
        }
        insert(child, rest, value, full_key)
    }
}

/// Objects whose keys are all integers (`a[0]=x&a[1]=y`) become arrays.
fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                normalize(v);
            }
            if !map.is_empty()
                && map
                    .keys()
                    .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
            {
                let mut items: Vec<(usize, Value)> = map
                    .iter()
                    .map(|(k, v)| (k.parse::<usize>().unwrap_or(usize::MAX), v.clone()))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                *value = Value::Array(items.into_iter().map(|(_, v)| v).collect());
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// Parses a form body or query string into a JSON object.
pub fn parse(body: &str) -> Result<Value, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).map_err(|_| {
        ApiError::invalid("Invalid request body: could not parse form encoding", None)
    })?;
    let mut root = Value::Object(Map::new());
    for (key, value) in pairs {
        let parts = split_key(&key).ok_or_else(|| {
            ApiError::invalid(format!("Invalid parameter name: {key}"), Some(&key))
        })?;
        insert(&mut root, &parts, value, &key)?;
    }
    // Only nested values become arrays: the body itself is always an object of parameters
    // (a top-level `5=` is a parameter named "5", which the handler then refuses as unknown).
    if let Value::Object(map) = &mut root {
        map.values_mut().for_each(normalize);
    }
    Ok(root)
}

/// Merges `extra` (e.g. query parameters) into `base`, keeping existing keys of `base`.
pub fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.entry(k).or_insert(v);
        }
    }
}

/// Renders a nested parameter name the way Stripe reports it: `settings[payouts][schedule]`.
pub fn param_name(path: &[&str]) -> String {
    let mut out = path[0].to_string();
    for p in &path[1..] {
        out.push('[');
        out.push_str(p);
        out.push(']');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_brackets_arrays_and_indexes() {
        let v =
            parse("a[b][c]=1&expand[]=x&expand[]=y&items[0][p]=q&items[1][p]=r&email=e%40x.com")
                .unwrap();
        assert_eq!(
            v,
            json!({"a":{"b":{"c":"1"}},"expand":["x","y"],"items":[{"p":"q"},{"p":"r"}],"email":"e@x.com"})
        );
    }

    #[test]
    fn numeric_top_level_names_stay_parameters() {
        // Found by `cargo fuzz run sandbox_form` (fuzz/regressions/sandbox_form/).
        assert_eq!(parse("5=").unwrap(), json!({"5": ""}));
        assert_eq!(parse("0=a&1=b").unwrap(), json!({"0": "a", "1": "b"}));
        assert_eq!(parse("a[0]=x").unwrap(), json!({"a": ["x"]}));
    }

    #[test]
    fn rejects_conflicting_structures() {
        assert!(parse("a=1&a[b]=2").is_err());
        assert!(parse("a[b]=1&a=2").is_err());
        assert!(parse("[x]=1").is_err());
    }

    #[test]
    fn names_nested_params() {
        assert_eq!(
            param_name(&["settings", "payouts", "schedule"]),
            "settings[payouts][schedule]"
        );
    }
}
