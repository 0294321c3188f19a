//! Instants as whole seconds since the Unix epoch, UTC.
//!
//! The core never reads a clock (docs/design.md rule 5): every instant is handed in by the
//! caller, and "now" is a parameter wherever it matters.
//!
//! [`Time`] is an instant; a duration is plain seconds (`i64`): an instant less an
//! instant is a duration, an instant plus a duration an instant. Instants travel
//! as RFC 3339 strings in every JSON the project writes (so that a person can read
//! an export) and are declared `string` to TypeScript: one mapping, here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ops::{Add, AddAssign, Sub, SubAssign};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An instant: seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Time(pub i64);

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// The span of instants the ledger accepts: X was founded in 2006, and nothing we
/// read can come from far in the future. Anything outside is a malformed input.
pub const EARLIEST: Time = Time(1_136_073_600); // 2006-01-01T00:00:00Z
pub const LATEST: Time = Time(4_102_444_800); // 2100-01-01T00:00:00Z

impl Time {
    pub const MIN: Time = Time(i64::MIN);
    pub const MAX: Time = Time(i64::MAX);

    /// The second holding an instant given in milliseconds (a cursor, a notice).
    pub fn from_ms(ms: i64) -> Time {
        Time(ms.div_euclid(1000))
    }
    /// The second holding an instant given in microseconds (a TID, Jetstream's
    /// `time_us`), saturating.
    pub fn from_micros(us: u64) -> Time {
        Time(i64::try_from(us / 1_000_000).unwrap_or(i64::MAX))
    }
    /// Seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }
    #[must_use]
    pub fn saturating_add(self, seconds: i64) -> Time {
        Time(self.0.saturating_add(seconds))
    }
    pub fn checked_add(self, seconds: i64) -> Option<Time> {
        self.0.checked_add(seconds).map(Time)
    }
    #[must_use]
    pub fn saturating_sub(self, seconds: i64) -> Time {
        Time(self.0.saturating_sub(seconds))
    }
    /// The duration from `earlier` to this instant, saturating.
    pub fn since(self, earlier: Time) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<i64> for Time {
    type Output = Time;
    fn add(self, seconds: i64) -> Time {
        Time(self.0 + seconds)
    }
}
impl Sub<i64> for Time {
    type Output = Time;
    fn sub(self, seconds: i64) -> Time {
        Time(self.0 - seconds)
    }
}
impl Sub<Time> for Time {
    type Output = i64;
    fn sub(self, earlier: Time) -> i64 {
        self.0 - earlier.0
    }
}
impl AddAssign<i64> for Time {
    fn add_assign(&mut self, seconds: i64) {
        self.0 += seconds;
    }
}
impl SubAssign<i64> for Time {
    fn sub_assign(&mut self, seconds: i64) {
        self.0 -= seconds;
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&to_rfc3339(*self))
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_rfc3339(*self))
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        parse_rfc3339(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}")))
    }
}

/// Formats an instant as RFC 3339 (`2026-11-26T01:02:03Z`).
pub fn to_rfc3339(t: Time) -> String {
    match OffsetDateTime::from_unix_timestamp(t.0).map(|d| d.format(&Rfc3339)) {
        Ok(Ok(s)) => s,
        // Only reachable for instants outside what `time` represents; the ledger
        // never holds such a value (see `EARLIEST`/`LATEST`), so say it plainly.
        _ => format!("@{}", t.0),
    }
}

/// Parses RFC 3339 (any offset, optional fraction; the fraction is dropped).
pub fn parse_rfc3339(s: &str) -> Option<Time> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .ok()
        .map(|d| Time(d.unix_timestamp()))
}

/// Whole days in a span of seconds, rounded down.
pub fn whole_days(span: i64) -> i64 {
    span.div_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_and_parses_known_instants() {
        assert_eq!(to_rfc3339(Time(0)), "1970-01-01T00:00:00Z");
        assert_eq!(to_rfc3339(Time(1_795_654_923)), "2026-11-26T01:02:03Z");
        assert_eq!(
            parse_rfc3339("2026-11-26T01:02:03Z"),
            Some(Time(1_795_654_923))
        );
        assert_eq!(
            parse_rfc3339("2026-11-26T02:02:03.456+01:00"),
            Some(Time(1_795_654_923))
        );
        assert_eq!(parse_rfc3339("26 Nov 2026"), None);
        assert_eq!(
            serde_json::to_string(&Time(1_795_654_923)).unwrap(),
            "\"2026-11-26T01:02:03Z\""
        );
        assert_eq!(serde_json::from_str::<Option<Time>>("null").unwrap(), None);
        assert!(serde_json::from_str::<Time>("1795654923").is_err());
    }

    #[test]
    fn instants_and_durations_add_as_they_should() {
        let t = Time(1_795_654_923);
        assert_eq!(t + DAY - t, DAY);
        assert_eq!((t + DAY) - DAY, t);
        assert_eq!(Time::MAX.saturating_add(1), Time::MAX);
        assert_eq!(t.since(t + 5), -5);
    }

    proptest! {
        #[test]
        fn rfc3339_round_trips(t in EARLIEST.0..LATEST.0) {
            prop_assert_eq!(parse_rfc3339(&to_rfc3339(Time(t))), Some(Time(t)));
        }
    }
}
