//! The serde attributes that let one type have two shapes: its JSON (the CLI's, docs/cli.md) and
//! a binary format without field names (`postcard`: the page⇄worker wire, `protocol::wire`, and
//! share links, `export::share`). Such a format reads a struct as a sequence of its fields, so a field may
//! never be left out: `skip_serializing_if` would shift every field after it. Fields that JSON
//! leaves out when empty use [`none_in_json`] and [`empty_in_json`] instead of `Option::is_none`
//! and `Vec::is_empty`: they skip the field in JSON and never while [`encoding`] runs. A field
//! that is free-form JSON ([`serde_json::Value`]) crosses the wire as its JSON text
//! ([`json_text`]); the format cannot describe a value without knowing its type.
//!
//! A type whose JSON is internally tagged or flattened (`ModelSpec`, `OutputSpec`), which such a
//! format cannot read, gets both shapes through [`two_shapes!`]: its JSON from a mirror, and a
//! plain derive for binary formats (share links are postcard, `export::share`).
//!
//! `protocol::wire`'s round trip of every reply the session tests produce fails when a type on
//! the wire uses something the format cannot carry.

use std::cell::Cell;

thread_local! {
    /// True while a value is being encoded for the wire.
    static ENCODING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (which serialises for the wire) with fields that JSON skips kept.
pub fn encoding<R>(f: impl FnOnce() -> R) -> R {
    let before = ENCODING.with(|e| e.replace(true));
    let out = f();
    ENCODING.with(|e| e.set(before));
    out
}

fn on_the_wire() -> bool {
    ENCODING.with(Cell::get)
}

/// `value` as postcard bytes, with the fields JSON skips kept ([`encoding`]): the one writer of
/// the page⇄worker replies and of share links.
///
/// # Errors
/// A value the format cannot carry, in words.
pub fn to_bytes<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    encoding(|| postcard::to_allocvec(value)).map_err(|e| e.to_string())
}

/// The value [`to_bytes`] wrote: all of `bytes`, nothing left over.
///
/// # Errors
/// Bytes that are not one whole value, in words.
pub fn from_bytes<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (value, rest) = postcard::take_from_bytes::<T>(bytes).map_err(|e| e.to_string())?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(format!("{} bytes left over", rest.len()))
    }
}

/// `skip_serializing_if` for an `Option` that JSON leaves out when `None`.
pub fn none_in_json<T>(value: &Option<T>) -> bool {
    value.is_none() && !on_the_wire()
}

/// `skip_serializing_if` for a `Vec` that JSON leaves out when empty.
pub fn empty_in_json<T>(value: &[T]) -> bool {
    value.is_empty() && !on_the_wire()
}

/// `#[serde(with = "crate::core::wire::json_text")]` on a [`serde_json::Value`] field: the
/// value itself in JSON (and every human-readable format), its JSON text in a binary one.
pub mod json_text {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serialises `value` as it is, or as its JSON text for a binary format.
    ///
    /// # Errors
    /// Those of the serializer.
    pub fn serialize<S: Serializer>(value: &serde_json::Value, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            value.serialize(serializer)
        } else {
            serializer.serialize_str(&value.to_string())
        }
    }

    /// Reads what [`serialize`] wrote.
    ///
    /// # Errors
    /// Those of the deserializer, or text that is not JSON.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<serde_json::Value, D::Error> {
        if deserializer.is_human_readable() {
            serde_json::Value::deserialize(deserializer)
        } else {
            let text = String::deserialize(deserializer)?;
            serde_json::from_str(&text).map_err(D::Error::custom)
        }
    }
}

/// Implements `Serialize` and `Deserialize` for a type with two shapes, chosen by the format's
/// `is_human_readable`: `two_shapes!(Type, Json)`, where `Type`'s own derives are under
/// `#[serde(remote = "Self")]` (the plain shape, externally tagged, nothing flattened: what a
/// binary format such as postcard can read) and `Json` is a `#[serde(remote = "Type")]` mirror
/// with the JSON's attributes (`tag = …`, `flatten`), so the JSON stays as it was. postcard's
/// reader says it is not human-readable, so the page links no reader of the JSON shape for it.
macro_rules! two_shapes {
    ($ty:ident, $json:ident) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if serializer.is_human_readable() {
                    $json::serialize(self, serializer)
                } else {
                    $ty::serialize(self, serializer)
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                if deserializer.is_human_readable() {
                    $json::deserialize(deserializer)
                } else {
                    $ty::deserialize(deserializer)
                }
            }
        }
    };
}
pub(crate) use two_shapes;

#[cfg(test)]
mod tests {
    use crate::core::models::{ModelSpec, TreeParams};
    use crate::core::outputs::{OutputKind, OutputSpec, ScoreSpec};

    /// Both shapes of a [`two_shapes!`] type: its JSON as `json`, and back; postcard, and back.
    fn both_shapes<T>(value: &T, json: &str)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let written = serde_json::to_string(value).unwrap();
        assert_eq!(written, json);
        assert_eq!(&serde_json::from_str::<T>(&written).unwrap(), value);
        let bytes = super::to_bytes(value).unwrap();
        assert_eq!(&super::from_bytes::<T>(&bytes).unwrap(), value);
    }

    #[test]
    fn two_shaped_types_keep_their_json_and_cross_postcard() {
        let tree = ModelSpec::Tree(TreeParams { max_depth: Some(3), min_samples_split: 2, min_samples_leaf: 1 });
        both_shapes(&tree, r#"{"model":"tree","max_depth":3,"min_samples_split":2,"min_samples_leaf":1}"#);
        let score = OutputSpec {
            column: "decile_score".into(),
            kind: OutputKind::Score(ScoreSpec { threshold: 5.0, higher_is_positive: false }),
        };
        both_shapes(&score, r#"{"column":"decile_score","kind":"score","threshold":5.0,"higher_is_positive":false}"#);
        let label =
            OutputSpec { column: "score_text".into(), kind: OutputKind::Prediction { positive: "High".into() } };
        both_shapes(&label, r#"{"column":"score_text","kind":"prediction","positive":"High"}"#);
    }
}
