//! Serde helpers: instants travel as RFC 3339 strings in every JSON the project
//! writes, so that a person can read an export.

use crate::time::{parse_rfc3339, to_rfc3339, Time};
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_rfc3339(*t))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
    let s = std::borrow::Cow::<str>::deserialize(d)?;
    parse_rfc3339(&s)
        .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}")))
}

pub mod option {
    use super::{parse_rfc3339, Deserialize, Deserializer, Serializer, Time};

    pub fn serialize<S: Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        match Option::<std::borrow::Cow<str>>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_rfc3339(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}"))),
        }
    }
}
