//! Reading the lessons' `&'static` data back from JSON (`static/lessons.json`, see
//! [`super::course`]): each string and list read is leaked once into a `&'static` value, so the
//! page holds exactly the types the native code builds from its constants. The page reads the
//! course once, at start, and keeps it for its whole life, so nothing leaks more than once.
//!
//! Used as `#[serde(deserialize_with = "...")]` on the data types' fields.

use serde::{Deserialize, Deserializer};

/// One string, leaked.
pub fn string(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// One list, leaked.
pub fn vec<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

/// A string.
pub fn str<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    String::deserialize(d).map(string)
}

/// A string or `null`.
pub fn opt_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    Option::<String>::deserialize(d).map(|s| s.map(string))
}

/// A list of strings.
pub fn strs<'de, D: Deserializer<'de>>(d: D) -> Result<&'static [&'static str], D::Error> {
    Vec::<String>::deserialize(d).map(|v| vec(v.into_iter().map(string).collect()))
}

/// Five strings (the rubric of an open prompt).
pub fn str5<'de, D: Deserializer<'de>>(d: D) -> Result<[&'static str; 5], D::Error> {
    <[String; 5]>::deserialize(d).map(|a| a.map(string))
}

/// A list of values.
pub fn slice<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<&'static [T], D::Error> {
    Vec::<T>::deserialize(d).map(vec)
}

/// A list of (name, strings) pairs.
#[allow(clippy::type_complexity)]
pub fn named_strs<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<&'static [(&'static str, &'static [&'static str])], D::Error> {
    Vec::<(String, Vec<String>)>::deserialize(d)
        .map(|v| vec(v.into_iter().map(|(k, s)| (string(k), vec(s.into_iter().map(string).collect()))).collect()))
}

/// A list of (lesson, step, strings) triples.
#[allow(clippy::type_complexity)]
pub fn step_strs<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<&'static [(&'static str, &'static str, &'static [&'static str])], D::Error> {
    Vec::<(String, String, Vec<String>)>::deserialize(d).map(|v| {
        vec(v.into_iter().map(|(l, s, q)| (string(l), string(s), vec(q.into_iter().map(string).collect()))).collect())
    })
}

/// A list of (name, values) pairs.
#[allow(clippy::type_complexity)]
pub fn named_slice<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<&'static [(&'static str, &'static [T])], D::Error> {
    Vec::<(String, Vec<T>)>::deserialize(d).map(|v| vec(v.into_iter().map(|(k, s)| (string(k), vec(s))).collect()))
}
