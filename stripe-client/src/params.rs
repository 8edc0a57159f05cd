//! Nested request parameters and Stripe's form encoding with bracket notation:
//! maps become `a[b][c]=v`, lists `a[0]=v` (`a[0][b]=v` for lists of maps), and
//! `expand` is sent as `expand[]=v` like Stripe's own examples.

use serde::Serialize;

use crate::error::StripeError;

/// One parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A scalar; numbers and booleans are sent as their decimal/`true`/`false` text.
    /// An empty string clears a field (Stripe's "unset" convention).
    Str(String),
    /// A nested object: `key[child]=…`.
    Map(Params),
    /// A list with indices: `key[0]=…`, `key[1][child]=…`.
    List(Vec<ParamValue>),
    /// A list of scalars without indices: `key[]=a&key[]=b`.
    Array(Vec<String>),
}

macro_rules! scalar_from {
    ($($ty:ty),*) => {$(
        impl From<$ty> for ParamValue {
            fn from(value: $ty) -> Self {
                ParamValue::Str(value.to_string())
            }
        }
    )*};
}
scalar_from!(&str, String, &String, bool, i32, i64, u8, u16, u32, u64, usize);

impl From<Params> for ParamValue {
    fn from(value: Params) -> Self {
        ParamValue::Map(value)
    }
}

impl<T: Into<ParamValue>> From<Vec<T>> for ParamValue {
    fn from(values: Vec<T>) -> Self {
        ParamValue::List(values.into_iter().map(Into::into).collect())
    }
}

/// Ordered, nested request parameters. Keys keep the order they were set in; setting a key
/// again replaces its value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(String, ParamValue)>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` (builder style).
    pub fn set(mut self, key: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets `key` when `value` is `Some`.
    pub fn set_opt<V: Into<ParamValue>>(self, key: impl Into<String>, value: Option<V>) -> Self {
        match value {
            Some(value) => self.set(key, value),
            None => self,
        }
    }

    /// Sets `key` to a nested map built by `build`.
    pub fn nested(self, key: impl Into<String>, build: impl FnOnce(Params) -> Params) -> Self {
        self.set(key, ParamValue::Map(build(Params::new())))
    }

    /// Adds `expand[]=field` for each field (merged with earlier `expand` calls).
    pub fn expand<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let new: Vec<String> = fields.into_iter().map(Into::into).collect();
        if new.is_empty() {
            return self;
        }
        match self.get_mut("expand") {
            Some(ParamValue::Array(existing)) => existing.extend(new),
            _ => self.insert("expand", ParamValue::Array(new)),
        }
        self
    }

    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<ParamValue>) {
        let key = key.into();
        let value = value.into();
        match self
            .entries
            .iter_mut()
            .find(|(existing, _)| *existing == key)
        {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&ParamValue> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut ParamValue> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Merges `other` into `self`: nested maps are merged, anything else is replaced.
    pub fn merge(mut self, other: Params) -> Self {
        for (key, value) in other.entries {
            match (self.get_mut(&key), value) {
                (Some(ParamValue::Map(mine)), ParamValue::Map(theirs)) => {
                    let merged = std::mem::take(mine).merge(theirs);
                    *mine = merged;
                }
                (_, value) => self.insert(key, value),
            }
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Converts any serializable value (a typed parameter struct) into parameters.
    /// `None` fields should be skipped with `skip_serializing_if`; a JSON `null` becomes an
    /// empty string, which Stripe reads as "unset this field". Keys of objects come out
    /// sorted, so the encoding does not depend on serde_json's `preserve_order` feature.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, StripeError> {
        let json = serde_json::to_value(value).map_err(|error| {
            StripeError::invalid_request(format!("cannot encode parameters: {error}"))
        })?;
        match json {
            serde_json::Value::Object(map) => Ok(Self {
                entries: sorted_entries(map),
            }),
            serde_json::Value::Null => Ok(Self::new()),
            other => Err(StripeError::invalid_request(format!(
                "parameters must be an object, got {other}"
            ))),
        }
    }

    /// The flat `(key, value)` pairs in bracket notation, in order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (key, value) in &self.entries {
            flatten(key.clone(), value, &mut out);
        }
        out
    }

    /// The `application/x-www-form-urlencoded` body (or query string). Brackets in keys are
    /// left readable, as Stripe's libraries send them; everything else is percent-encoded.
    pub fn to_form(&self) -> String {
        self.to_pairs()
            .iter()
            .map(|(key, value)| {
                let key = encode_component(key)
                    .replace("%5B", "[")
                    .replace("%5D", "]");
                format!("{key}={}", encode_component(value))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

impl ParamValue {
    fn from_json(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => ParamValue::Str(String::new()),
            Value::Bool(b) => ParamValue::Str(b.to_string()),
            Value::Number(n) => ParamValue::Str(n.to_string()),
            Value::String(s) => ParamValue::Str(s),
            Value::Array(items) => {
                ParamValue::List(items.into_iter().map(Self::from_json).collect())
            }
            Value::Object(map) => ParamValue::Map(Params {
                entries: sorted_entries(map),
            }),
        }
    }
}

fn sorted_entries(map: serde_json::Map<String, serde_json::Value>) -> Vec<(String, ParamValue)> {
    let mut entries: Vec<(String, ParamValue)> = map
        .into_iter()
        .map(|(key, value)| (key, ParamValue::from_json(value)))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

fn flatten(prefix: String, value: &ParamValue, out: &mut Vec<(String, String)>) {
    match value {
        ParamValue::Str(s) => out.push((prefix, s.clone())),
        ParamValue::Map(params) => {
            for (key, child) in &params.entries {
                flatten(format!("{prefix}[{key}]"), child, out);
            }
        }
        ParamValue::List(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(format!("{prefix}[{index}]"), item, out);
            }
        }
        ParamValue::Array(items) => {
            for item in items {
                out.push((format!("{prefix}[]"), item.clone()));
            }
        }
    }
}

/// Percent-encodes one key or value as `application/x-www-form-urlencoded` does.
fn encode_component(text: &str) -> String {
    // serde_urlencoded encodes `("", text)` as `=<encoded>`; take what follows the `=`.
    let encoded = serde_urlencoded::to_string([("", text)]).unwrap_or_default();
    encoded.trim_start_matches('=').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_maps_use_brackets() {
        let params = Params::new()
            .set("type", "express")
            .nested("controller", |c| {
                c.nested("fees", |f| f.set("payer", "application"))
                    .nested("stripe_dashboard", |d| d.set("type", "express"))
            })
            .nested("capabilities", |c| {
                c.nested("transfers", |t| t.set("requested", true))
            });
        assert_eq!(
            params.to_form(),
            "type=express&controller[fees][payer]=application&controller[stripe_dashboard][type]=express&capabilities[transfers][requested]=true"
        );
    }

    #[test]
    fn lists_are_indexed_and_expand_uses_empty_brackets() {
        let params = Params::new()
            .set("enabled_events", vec!["account.updated", "payout.paid"])
            .set(
                "items",
                ParamValue::List(vec![Params::new()
                    .set("price", "p_1")
                    .set("quantity", 2u32)
                    .into()]),
            )
            .expand(["requirements"])
            .expand(["external_accounts"]);
        assert_eq!(
            params.to_form(),
            "enabled_events[0]=account.updated&enabled_events[1]=payout.paid&items[0][price]=p_1&items[0][quantity]=2&expand[]=requirements&expand[]=external_accounts"
        );
    }

    #[test]
    fn values_are_percent_encoded_but_bracket_keys_stay_readable() {
        let params = Params::new()
            .set("return_url", "https://example.com/return?a=1&b=two words")
            .nested("metadata", |m| m.set("owner id", "ü&="));
        assert_eq!(
            params.to_form(),
            "return_url=https%3A%2F%2Fexample.com%2Freturn%3Fa%3D1%26b%3Dtwo+words&metadata[owner+id]=%C3%BC%26%3D"
        );
    }

    #[test]
    fn from_serialize_maps_structs_and_nulls() {
        #[derive(Serialize)]
        struct Schedule {
            interval: &'static str,
            delay_days: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            weekly_anchor: Option<&'static str>,
        }
        #[derive(Serialize)]
        struct Body {
            schedule: Schedule,
            description: Option<String>,
        }
        let params = Params::from_serialize(&Body {
            schedule: Schedule {
                interval: "daily",
                delay_days: 2,
                weekly_anchor: None,
            },
            description: None,
        })
        .unwrap();
        assert_eq!(
            params.to_form(),
            "description=&schedule[delay_days]=2&schedule[interval]=daily"
        );
        assert!(Params::from_serialize(&5).is_err());
    }

    #[test]
    fn setting_again_replaces_and_merge_is_deep() {
        let a = Params::new()
            .set("email", "a@example.com")
            .nested("metadata", |m| m.set("a", "1"));
        let b = Params::new()
            .set("email", "b@example.com")
            .nested("metadata", |m| m.set("b", "2"));
        assert_eq!(
            a.merge(b).to_form(),
            "email=b%40example.com&metadata[a]=1&metadata[b]=2"
        );
    }

    #[test]
    fn empty_containers_send_nothing() {
        let params = Params::new()
            .set("list", Vec::<String>::new())
            .set("map", Params::new())
            .expand(Vec::<String>::new());
        assert_eq!(params.to_form(), "");
    }
}
