//! Stripe objects. Every model ignores fields it does not know, and every enum keeps values it
//! does not know in an `Other(String)` variant, because Stripe adds both without notice.

use serde::{Deserialize, Deserializer};

/// An enum over Stripe's string values that keeps unknown values in `Other(String)`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this client does not know yet, kept as Stripe sent it.
            Other(String),
        }

        impl $name {
            /// Every value this client knows.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(other) => other.as_str(),
                }
            }

            pub fn parse(value: &str) -> Self {
                match value {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse(value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::parse(&value))
            }
        }

        impl From<$name> for $crate::params::ParamValue {
            fn from(value: $name) -> Self {
                $crate::params::ParamValue::Str(value.as_str().to_owned())
            }
        }

        impl From<&$name> for $crate::params::ParamValue {
            fn from(value: &$name) -> Self {
                $crate::params::ParamValue::Str(value.as_str().to_owned())
            }
        }
    };
}

pub mod account;
pub mod account_session;
pub mod balance;
pub mod capability;
pub mod dispute;
pub mod event;
pub mod external_account;
pub mod links;
pub mod list;
pub mod oauth;
pub mod payment;
pub mod payout;
pub mod v2;
pub mod webhook_endpoint;

/// Reads `null` as the type's default (Stripe sends `null` for empty lists and maps in places).
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An id field that Stripe sends as the object instead when it was expanded with `expand[]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdOrObject {
    Id(String),
    Object { id: String },
}

impl IdOrObject {
    fn into_id(self) -> String {
        match self {
            IdOrObject::Id(id) | IdOrObject::Object { id } => id,
        }
    }
}

/// Reads an id, or the id of the expanded object.
pub(crate) fn id_or_object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(IdOrObject::deserialize(deserializer)?.into_id())
}

/// [`id_or_object`] for a field that may be `null` or absent.
pub(crate) fn optional_id_or_object<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<IdOrObject>::deserialize(deserializer)?.map(IdOrObject::into_id))
}

/// Objects with an id, so an [`Expandable`] can give its id either way.
pub trait HasId {
    fn id(&self) -> &str;
}

/// A field that is an id unless it was expanded with `expand[]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

impl<T: HasId> Expandable<T> {
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(object) => object.id(),
        }
    }
}

impl<T> Expandable<T> {
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }
}

/// The answer to a delete: `{id, object, deleted: true}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Deleted {
    pub id: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub deleted: bool,
}

pub type Metadata = std::collections::BTreeMap<String, String>;

#[cfg(test)]
mod tests {
    use super::*;

    string_enum! {
        enum Colour { Red => "red", Green => "green" }
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let parsed: Vec<Colour> = serde_json::from_str(r#"["red","ultraviolet"]"#).unwrap();
        assert_eq!(
            parsed,
            vec![Colour::Red, Colour::Other("ultraviolet".into())]
        );
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            r#"["red","ultraviolet"]"#
        );
        assert_eq!(Colour::Green.as_str(), "green");
        assert_eq!(Colour::KNOWN, &["red", "green"]);
    }

    #[test]
    fn expandable_is_an_id_or_an_object() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Thing {
            id: String,
        }
        impl HasId for Thing {
            fn id(&self) -> &str {
                &self.id
            }
        }
        let id: Expandable<Thing> = serde_json::from_str(r#""th_1""#).unwrap();
        let object: Expandable<Thing> = serde_json::from_str(r#"{"id":"th_2","x":1}"#).unwrap();
        assert_eq!(id.id(), "th_1");
        assert_eq!(object.id(), "th_2");
        assert!(id.as_object().is_none());
    }
}
