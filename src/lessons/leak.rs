//! Reading the lessons' `&'static` data back from JSON (`static/lessons.json`, see
//! [`super::course`]): each string and list read is leaked once into a `&'static` value, so the
//! page holds exactly the types the native code builds from its constants. The page reads the
//! course once, at start, and keeps it for its whole life, so nothing leaks more than once.
//!
//! Used as `#[serde(deserialize_with = "...")]` on the data types' fields.

use serde::{Deserialize, Deserializer};

fn leak_string(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_vec<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

/// A string.
pub fn str<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    String::deserialize(d).map(leak_string)
}

/// A string or `null`.
pub fn opt_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    Option::<String>::deserialize(d).map(|s| s.map(leak_string))
}

/// A list of strings.
pub fn strs<'de, D: Deserializer<'de>>(d: D) -> Result<&'static [&'static str], D::Error> {
    Vec::<String>::deserialize(d).map(|v| leak_vec(v.into_iter().map(leak_string).collect()))
}

/// Five strings (the rubric of an open prompt).
pub fn str5<'de, D: Deserializer<'de>>(d: D) -> Result<[&'static str; 5], D::Error> {
    <[String; 5]>::deserialize(d).map(|a| a.map(leak_string))
}

/// A list of values.
pub fn slice<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<&'static [T], D::Error> {
    Vec::<T>::deserialize(d).map(leak_vec)
}

/// A list of (name, strings) pairs.
#[allow(clippy::type_complexity)]
pub fn named_strs<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<&'static [(&'static str, &'static [&'static str])], D::Error> {
    Vec::<(String, Vec<String>)>::deserialize(d).map(|v| {
        leak_vec(
            v.into_iter().map(|(k, s)| (leak_string(k), leak_vec(s.into_iter().map(leak_string).collect()))).collect(),
        )
    })
}

/// A list of (lesson, step, strings) triples.
#[allow(clippy::type_complexity)]
pub fn step_strs<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<&'static [(&'static str, &'static str, &'static [&'static str])], D::Error> {
    Vec::<(String, String, Vec<String>)>::deserialize(d).map(|v| {
        leak_vec(
            v.into_iter()
                .map(|(l, s, q)| (leak_string(l), leak_string(s), leak_vec(q.into_iter().map(leak_string).collect())))
                .collect(),
        )
    })
}

/// A list of (name, values) pairs.
#[allow(clippy::type_complexity)]
pub fn named_slice<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<&'static [(&'static str, &'static [T])], D::Error> {
    Vec::<(String, Vec<T>)>::deserialize(d)
        .map(|v| leak_vec(v.into_iter().map(|(k, s)| (leak_string(k), leak_vec(s))).collect()))
}
